#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "loaders/data_paths.hpp"
#include "loaders/profile_loader.hpp"
#include "tests/e2e/cli_harness.hpp"

using cs::test::read_file;
using cs::test::run_cli;
using cs::test::source_path;
using cs::test::TempDir;

namespace {
bool has_accelerator(const std::string& name) {
  const auto catalog = cs::load::load_catalog(std::filesystem::path(CLUSTERSIM_SOURCE_DIR) / "hardware-profiles");
  return catalog.accelerators.count(name) > 0;
}
std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }
}  // namespace

TEST_CASE("simulate: an inference scenario writes the summary, JSON, per-request CSV and Chrome trace") {
  TempDir dir;
  const std::string scenario = dir.write("s.json", R"({
    "schema_version": 1, "name": "cli-test", "seed": 9,
    "inference": {
      "model": "llama-3-8b", "accelerator": "h100-sxm", "replicas": 2, "router": "least_outstanding",
      "workload": {"source": "poisson", "rate": 8, "duration": "20s",
                   "prompt_tokens": {"kind": "lognormal", "mean": 600, "cv": 1, "min": 1, "max": 8000},
                   "output_tokens": {"kind": "uniform", "min": 20, "max": 200}},
      "slo": {"ttft_p99": "1s", "tpot_p99": "50ms"}
    }})");
  const auto out = (dir.path() / "r.json").string();
  const auto csv = (dir.path() / "r.csv").string();
  const auto trace = (dir.path() / "t.json").string();
  const auto r = run_cli({"simulate", scenario, "--out", out, "--requests", csv, "--trace", trace});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("TTFT") != std::string::npos);
  CHECK(r.out.find("goodput") != std::string::npos);

  const auto j = nlohmann::json::parse(read_file(out));
  CHECK(j["kind"] == "inference");
  CHECK(j["scenario"] == "cli-test");
  const auto arrived = j["requests"]["arrived"].get<std::uint64_t>();
  CHECK(arrived > 100);
  CHECK(j["requests"]["completed"].get<std::uint64_t>() == arrived);
  CHECK(j["latency_s"]["ttft"]["p99"].get<double>() >= j["latency_s"]["ttft"]["p50"].get<double>());
  CHECK(j["throughput"]["output_tokens_per_s"].get<double>() > 0);
  CHECK(j["replicas"].size() == 2);
  CHECK(j["time_series"].size() >= 19);
  CHECK(j["slo"]["goodput_fraction"].get<double>() <= 1.0);

  const std::string rows = read_file(csv);
  CHECK(rows.rfind("id,arrival_s,prompt_tokens,output_tokens,replica", 0) == 0);
  CHECK(lines(rows) == arrived + 1);

  const auto t = nlohmann::json::parse(read_file(trace));
  bool iteration = false, request_begin = false;
  for (const auto& e : t["traceEvents"]) {
    if (e.value("cat", "") == "iteration" && e.value("ph", "") == "X") iteration = true;
    if (e.value("cat", "") == "request" && e.value("ph", "") == "b") request_begin = true;
  }
  CHECK(iteration);
  CHECK(request_begin);
  // Same seed, same bytes.
  const auto out2 = (dir.path() / "r2.json").string();
  REQUIRE(run_cli({"simulate", scenario, "--out", out2, "--quiet"}).code == 0);
  CHECK(read_file(out) == read_file(out2));
}

TEST_CASE("simulate: bad input exits 2 with the file and pointer") {
  TempDir dir;
  const std::string scenario = dir.write("bad.json", R"({"schema_version": 1, "name": "b",
    "inference": {"model": "llama-3-8b", "accelerator": "h100-sxm",
                  "workload": {"source": "trace", "trace": "bad.csv"}}})");
  dir.write("bad.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,374,44\n2023-11-16 18:15:47,x,1\n");
  const auto r = run_cli({"simulate", scenario});
  CHECK(r.code == 2);
  CHECK(r.err.find("bad.csv:3: bad ContextTokens") != std::string::npos);
  const std::string none = dir.write("none.json", R"({"schema_version": 1, "name": "n"})");
  CHECK(run_cli({"simulate", none}).code == 2);
}

TEST_CASE("simulate: the shipped inference scenarios run") {
  for (const std::string name : {"infer-llama3-8b-h100-azure-conv.json", "infer-llama2-70b-8xh100-tp8.json",
                                 "infer-llama3-70b-disagg-h200.json"}) {
    CAPTURE(name);
    const std::string text = read_file(source_path("scenarios/" + name));
    if (text.find("h200-sxm") != std::string::npos && !has_accelerator("h200-sxm")) {
      WARN_MESSAGE(false, "h200-sxm profile not in the catalog yet; skipping " << name);
      continue;
    }
    TempDir dir;
    const auto out = (dir.path() / "r.json").string();
    const auto r = run_cli({"simulate", source_path("scenarios/" + name), "--out", out, "--quiet"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(read_file(out));
    CHECK(j["requests"]["completed"].get<std::uint64_t>() == j["requests"]["arrived"].get<std::uint64_t>());
    CHECK(j["latency_s"]["tpot"]["p50"].get<double>() > 0);
  }
}
