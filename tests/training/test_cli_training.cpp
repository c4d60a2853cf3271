// End to end: `clustersim simulate` on the shipped training scenarios, its JSON and trace
// outputs, and the errors a user sees for layouts that cannot run.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/e2e/cli_harness.hpp"

using cs::test::run_cli;
using cs::test::source_path;
using cs::test::TempDir;

namespace {

const char* const kScenarios[] = {"train-llama3-8b-8xh100.json", "train-llama3-70b-64xh100.json",
                                  "train-gpt3-175b-1024xa100.json", "train-llama31-405b-16kxh100.json",
                                  "train-mixtral-8x7b-ep8.json"};

std::string scenario_with(const std::string& parallelism, const std::string& extra = "") {
  return R"({"schema_version": 1, "name": "t", "cluster": {"node": "dgx-h100", "nodes": 2, "fabric": {"topology": "fat_tree"}},
    "training": {"model": "llama-3-8b", "seq_len": 4096, "global_batch": 64, "parallelism": )" +
         parallelism + extra + "}}";
}

}  // namespace

TEST_CASE("every shipped training scenario simulates and writes its result") {
  TempDir dir;
  for (const char* name : kScenarios) {
    CAPTURE(name);
    const std::string out = (dir.path() / (std::string(name) + ".out.json")).string();
    const auto r = run_cli({"simulate", source_path(std::string("scenarios/") + name), "--out", out});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("MFU") != std::string::npos);
    CHECK(r.out.find("representative") != std::string::npos);
    const auto j = nlohmann::json::parse(cs::test::read_file(out));
    CHECK(j["kind"] == "training_result");
    const double step = j["step_time_s"].get<double>();
    CHECK(step > 0);
    double sum = 0;
    for (const char* k : {"compute", "tp_comm", "cp_comm", "ep_comm", "pp_comm", "dp_comm", "bubble", "optimizer"}) {
      sum += j["breakdown_s"][k].get<double>();
    }
    CHECK(sum == doctest::Approx(step).epsilon(0.002));
    CHECK(j["mfu"].get<double>() > 0.2);
    CHECK(j["mfu"].get<double>() < 0.75);
    CHECK(j["memory_per_device_bytes"]["total"].get<double>() <= j["memory_per_device_bytes"]["capacity"].get<double>());
    CHECK(j["time_to_train_s"].get<double>() > 0);
    CHECK(j["cost_usd"].get<double>() > 0);
    CHECK(std::fabs(j["analytical"]["difference_pct"].get<double>()) < 5.0);
  }
}

TEST_CASE("the same scenario twice gives byte-identical JSON, and a Chrome trace") {
  TempDir dir;
  const std::string a = (dir.path() / "a.json").string(), b = (dir.path() / "b.json").string();
  const std::string trace = (dir.path() / "trace.json").string();
  const std::string sc = source_path("scenarios/train-llama3-70b-64xh100.json");
  REQUIRE(run_cli({"simulate", sc, "--out", a, "--trace", trace}).code == 0);
  REQUIRE(run_cli({"simulate", sc, "--out", b}).code == 0);
  CHECK(cs::test::read_file(a) == cs::test::read_file(b));
  const auto t = nlohmann::json::parse(cs::test::read_file(trace));
  CHECK(t["traceEvents"].size() > 100);
}

TEST_CASE("every-rank mode on a scenario matches the representative step") {
  TempDir dir;
  const std::string a = (dir.path() / "a.json").string(), b = (dir.path() / "b.json").string();
  const std::string sc = source_path("scenarios/train-llama3-70b-64xh100.json");
  REQUIRE(run_cli({"simulate", sc, "--out", a}).code == 0);
  REQUIRE(run_cli({"simulate", sc, "--out", b, "--all-ranks"}).code == 0);
  const auto ja = nlohmann::json::parse(cs::test::read_file(a)), jb = nlohmann::json::parse(cs::test::read_file(b));
  CHECK(jb["mode"] == "all_ranks");
  CHECK(jb["ranks_simulated"] == 64);
  CHECK(jb["step_time_s"].get<double>() == doctest::Approx(ja["step_time_s"].get<double>()).epsilon(1e-9));
}

TEST_CASE("invalid and non-fitting layouts are rejected with the reason") {
  TempDir dir;
  auto run_text = [&](const std::string& text) {
    return run_cli({"simulate", dir.write("s.json", text)});
  };
  auto r = run_text(scenario_with(R"({"tp": 8, "pp": 1, "dp": 4})"));
  CHECK(r.code == 2);
  CHECK(r.err.find("tp x pp x dp x cp = 8 x 1 x 4 x 1 = 32 but the cluster has 16") != std::string::npos);
  r = run_text(scenario_with(R"({"tp": 3, "pp": 1, "dp": 5})"));
  CHECK(r.code == 2);
  r = run_text(R"({"schema_version": 1, "name": "t", "cluster": {"node": "dgx-h100", "nodes": 2, "accelerators": 15, "fabric": {"topology": "fat_tree"}},
    "training": {"model": "llama-3-8b", "seq_len": 4096, "global_batch": 60, "parallelism": {"tp": 3, "dp": 5}}})");
  CHECK(r.code == 2);
  CHECK(r.err.find("attention heads 32 not divisible by tp 3") != std::string::npos);
  r = run_text(scenario_with(R"({"tp": 1, "pp": 1, "dp": 16})", R"(, "micro_batch": 4, "recompute": "none")"));
  CHECK(r.code == 2);
  CHECK(r.err.find("does not fit") != std::string::npos);
  CHECK(r.err.find("activations") != std::string::npos);
  r = run_text(scenario_with(R"({"tp": 8, "pp": 2, "dp": 1, "virtual_stages": 2})"));
  CHECK(r.code == 2);
  CHECK(r.err.find("needs the interleaved schedule") != std::string::npos);
  r = run_text(scenario_with(R"({"tp": 1, "dp": 16, "zero_stage": 2, "zero3_impl": "deepspeed_2021"})"));
  CHECK(r.code == 2);
  CHECK(r.err.find("zero3_impl deepspeed_2021 needs zero_stage 3 (it is 2)") != std::string::npos);
  r = run_text(scenario_with(R"({"tp": 1, "dp": 16, "zero_stage": 3, "zero3_impl": "deepspeed"})"));
  CHECK(r.code == 2);
  CHECK(r.err.find("/training/parallelism/zero3_impl") != std::string::npos);
}

TEST_CASE("zero3_impl deepspeed_2021 runs from a scenario and is reported") {
  TempDir dir;
  const std::string out = (dir.path() / "ds.out.json").string();
  const auto r = run_cli({"simulate",
                          dir.write("ds.json", scenario_with(R"({"tp": 1, "dp": 16, "zero_stage": 3, "zero3_impl": "deepspeed_2021"})",
                                                             R"(, "recompute": "full")")),
                          "--out", out});
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(cs::test::read_file(out));
  CHECK(j["layout"]["zero3_impl"] == "deepspeed_2021");
  CHECK(j["breakdown_s"]["dp_comm"].get<double>() > 0.0);
}

TEST_CASE("the network layer's fabric-aware collectives can price the step") {
  // Both models price the same collectives; they differ in algorithm choice and link rates.
  TempDir dir;
  const std::string base = R"({"schema_version": 1, "name": "t", "cluster": {"node": "dgx-h100", "nodes": 16, "fabric": {"topology": "fat_tree", "oversubscription": OVS}},
    "training": {"model": "llama-3-8b", "seq_len": 4096, "global_batch": 64, "parallelism": {"tp": 2, "pp": 2, "dp": 32},
                 "overlap": {"dp": false}COMM}})";
  auto make = [&](const std::string& ovs, const std::string& comm) {
    std::string s = base;
    s.replace(s.find("OVS"), 3, ovs);
    s.replace(s.find("COMM"), 4, comm);
    return s;
  };
  auto step = [&](const std::string& text, const std::string& name) {
    const std::string out = (dir.path() / (name + ".out.json")).string();
    const auto r = run_cli({"simulate", dir.write(name + ".json", text), "--out", out});
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(cs::test::read_file(out));
    return std::make_pair(j["step_time_s"].get<double>(), j["breakdown_s"]["dp_comm"].get<double>());
  };
  const auto ab = step(make("1", ""), "ab");
  const auto net = step(make("1", R"(, "comm_model": "network")"), "net");
  CHECK(net.first == doctest::Approx(ab.first).epsilon(0.15));
}
