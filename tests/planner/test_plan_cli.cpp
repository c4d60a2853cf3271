// `clustersim plan`, `sweep` and `merge` end to end (in-process).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/planner/plan_fixture.hpp"

using cs::test::PlanData;
using cs::test::read_file;
using cs::test::run_cli;
using cs::test::serving_plan;

TEST_CASE("plan prints the answer and writes JSON and CSV") {
  PlanData d;
  const auto file = d.write("plan.json", serving_plan("\"ttft_p99 <= 2s\", \"tpot_p99 <= 100ms\""));
  const auto r = run_cli({"--data-dir", d.root(), "plan", file, "--out", d.path("r.json"), "--csv", d.path("r.csv"),
                          "--threads", "2"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.find("Best per objective") != std::string::npos);
  CHECK(r.out.find("Pareto frontier (total_cost vs ttft_p99)") != std::string::npos);
  CHECK(r.out.find("binding") != std::string::npos);
  CHECK(r.out.find("nodes test-node") != std::string::npos);  // the breakdown
  const auto j = nlohmann::json::parse(read_file(d.path("r.json")));
  CHECK(j["kind"] == "plan_result");
  CHECK(j["candidates"] == 96);
  REQUIRE(j["frontier"].size() > 0);
  CHECK(j["frontier"][0]["cost"]["items"].size() > 0);
  CHECK(j["best"][0]["objective"] == "min total_cost");
  CHECK(j["best"][0]["candidate"]["index"] == j["frontier"][0]["index"]);
  const std::string csv = read_file(d.path("r.csv"));
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 97);
}

TEST_CASE("plan exits 3 when nothing meets the constraints, naming the nearest binding constraint") {
  PlanData d;
  const auto file = d.write("plan.json", serving_plan("\"ttft_p99 <= 5s\", \"usd_per_hour <= $1/h\""));
  const auto r = run_cli({"--data-dir", d.root(), "plan", file});
  CHECK(r.code == 3);
  CHECK(r.out.find("No configuration meets every constraint") != std::string::npos);
  CHECK(r.err.find("binding constraint usd_per_hour <= $1/h") != std::string::npos);
}

TEST_CASE("sweep: same CSV on 1 and 2 threads; shards merge into exactly the unsharded CSV") {
  PlanData d;
  const auto file = d.write("plan.json", serving_plan("\"ttft_p99 <= 2s\""));
  REQUIRE(run_cli({"--data-dir", d.root(), "sweep", file, "--csv", d.path("t1.csv"), "--threads", "1"}).code == 0);
  REQUIRE(run_cli({"--data-dir", d.root(), "sweep", file, "--csv", d.path("t2.csv"), "--threads", "2"}).code == 0);
  const std::string whole = read_file(d.path("t1.csv"));
  CHECK(whole == read_file(d.path("t2.csv")));
  for (int i = 0; i < 3; ++i) {
    const auto r = run_cli({"--data-dir", d.root(), "sweep", file, "--csv", d.path(std::string("s") + std::to_string(i) + ".csv"),
                            "--shard", std::to_string(i) + "/3"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("shard " + std::to_string(i) + "/3") != std::string::npos);
  }
  const auto m = run_cli({"merge", d.path("s2.csv"), d.path("s0.csv"), d.path("s1.csv"), "--csv", d.path("m.csv")});
  INFO(m.err);
  REQUIRE(m.code == 0);
  CHECK(read_file(d.path("m.csv")) == whole);
  // A missing shard is an input error naming it.
  const auto bad = run_cli({"merge", d.path("s0.csv"), d.path("s1.csv"), "--csv", d.path("bad.csv")});
  CHECK(bad.code == 2);
  CHECK(bad.err.find("missing shard(s) 2/3") != std::string::npos);
  CHECK(run_cli({"--data-dir", d.root(), "sweep", file, "--csv", d.path("x.csv"), "--shard", "3/3"}).code == 2);
}

TEST_CASE("sweep gates: exit 3 when the chosen configuration misses one") {
  PlanData d;
  const auto pass = d.write("pass.json", serving_plan("\"ttft_p99 <= 2s\"", "\"ttft_p99 <= 2s\""));
  CHECK(run_cli({"--data-dir", d.root(), "sweep", pass, "--csv", d.path("p.csv")}).code == 0);
  const auto fail = d.write("fail.json", serving_plan("\"ttft_p99 <= 2s\"", "\"ttft_p99 <= 1ms\""));
  const auto r = run_cli({"--data-dir", d.root(), "sweep", fail, "--csv", d.path("f.csv")});
  CHECK(r.code == 3);
  CHECK(r.err.find("gate not met: ttft_p99 <= 1ms") != std::string::npos);
}

TEST_CASE("plan section errors name the file and the JSON pointer") {
  PlanData d;
  std::string text = serving_plan("\"ttft_p99 <= 2s\"");
  text.replace(text.find("\"test-switch\""), 13, "\"test-swich\"");
  const auto r = run_cli({"--data-dir", d.root(), "plan", d.write("bad.json", text)});
  CHECK(r.code == 2);
  CHECK(r.err.find("/plan/fabrics/0/switch") != std::string::npos);
  CHECK(r.err.find("did you mean \"test-switch\"") != std::string::npos);
  std::string t2 = serving_plan("\"ttft_p99 <= 2 parsecs\"");
  const auto r2 = run_cli({"--data-dir", d.root(), "plan", d.write("bad2.json", t2)});
  CHECK(r2.code == 2);
  CHECK(r2.err.find("/plan/constraints/0") != std::string::npos);
  std::string t3 = serving_plan("\"time_to_train <= 2h\"");
  const auto r3 = run_cli({"--data-dir", d.root(), "plan", d.write("bad3.json", t3)});
  CHECK(r3.code == 2);
  CHECK(r3.err.find("needs a \"training\" workload") != std::string::npos);
}

TEST_CASE("the shipped plan scenarios answer (scenarios/default.json and scenarios/plan-*.json)") {
  for (const char* name : {"scenarios/default.json", "scenarios/plan-serving-llama3-70b.json",
                           "scenarios/plan-training-gpt3-rent.json"}) {
    CAPTURE(name);
    cs::test::TempDir dir;
    const std::string out = (dir.path() / "r.json").string();
    const auto r = run_cli({"plan", cs::test::source_path(name), "--threads", "2", "--out", out});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(r.out.find("Best per objective") != std::string::npos);
    const auto j = nlohmann::json::parse(read_file(out));
    CHECK(j["frontier"].size() > 0);
    CHECK(j["feasible"].get<int>() > 0);
  }
}
