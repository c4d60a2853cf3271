// `clustersim validate calibration/measurements/pytorch-e2e-*.json --kind e2e`: whole PyTorch
// steps measured on an H100 and an H200 (calibration/pytorch/e2e_steps.py, 2026-11-26)
// against clustersim with the shipped measured profiles. The issue's target is 10%:
// training steps from batch 2 and prefill meet it and are gated at it; the remaining rows
// (training at batch 1, decode) are reported and gated loosely so a regression still fails
// (docs/calibration.md, "End-to-end check", says why they miss).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>

#include "tests/e2e/cli_harness.hpp"

using cs::test::run_cli;
using cs::test::source_path;

namespace {

struct Row {
  std::string id;
  double predicted = 0, measured = 0, error_pct = 0;
};

std::vector<Row> scored_rows(const std::string& out, int& skipped) {
  std::vector<Row> rows;
  std::istringstream in(out);
  std::string line;
  skipped = 0;
  while (std::getline(in, line)) {
    if (line.rfind("train.", 0) != 0 && line.rfind("prefill.", 0) != 0 && line.rfind("decode.", 0) != 0) continue;
    if (line.find("skipped:") != std::string::npos) {
      ++skipped;
      continue;
    }
    std::istringstream f(line);
    Row r;
    std::string metric, err;
    f >> r.id >> metric >> r.predicted >> r.measured >> err;
    REQUIRE(metric == "step_ms");
    r.error_pct = std::strtod(err.c_str(), nullptr);
    rows.push_back(r);
  }
  return rows;
}

}  // namespace

TEST_CASE("end-to-end PyTorch steps: training and prefill within 10%, the rest reported") {
  for (const char* gpu : {"h100-sxm", "h200-sxm"}) {
    CAPTURE(gpu);
    const auto r = run_cli({"--data-dir", CLUSTERSIM_SOURCE_DIR, "validate",
                            source_path(std::string("calibration/measurements/pytorch-e2e-") + gpu + ".json"), "--kind",
                            "e2e"});
    CAPTURE(r.out);
    CAPTURE(r.err);
    REQUIRE(r.code == 0);
    int skipped = 0;
    const std::vector<Row> rows = scored_rows(r.out, skipped);
    CHECK(rows.size() == 15);  // 4 training steps, 5 prefill and 6 decode replays
    CHECK(skipped == 11);      // the eager runs of cases also replayed as CUDA graphs
    CHECK(r.out.find("validated n=15 ") != std::string::npos);
    // Every scored row used the measured profile's accelerator.
    CHECK(r.out.find(std::string("(") + gpu + ",") != std::string::npos);
    for (const Row& row : rows) {
      CAPTURE(row.id);
      CHECK(row.predicted > 0);
      const bool gated = row.id.rfind("prefill.", 0) == 0 ||
                         (row.id.rfind("train.", 0) == 0 && row.id.rfind("train.b1.", 0) != 0);
      CHECK(std::abs(row.error_pct) <= (gated ? 10.0 : 40.0));
    }
  }
}

TEST_CASE("an e2e record that cannot be mapped is reported, not guessed") {
  const cs::test::TempDir dir;
  const std::string file = dir.write("bad.json", R"({"title": "t", "schema": "s", "conventions": "c", "records": [
    {"id": "x", "kind": "e2e_step", "config": {"gpu": "Mystery GPU", "model": "mpt-1b", "phase": "decode",
     "batch": 1, "context": 8}, "measured": {"step_s": 0.001}},
    {"id": "y", "kind": "e2e_step", "config": {"gpu": "NVIDIA H100", "model": "mpt-1b", "phase": "decode",
     "batch": 0, "context": 8}, "measured": {"step_s": 0.001}}]})");
  const auto r = run_cli({"--data-dir", CLUSTERSIM_SOURCE_DIR, "validate", file, "--kind", "e2e"});
  CAPTURE(r.out);
  CHECK(r.out.find("no catalog accelerator matches GPU \"Mystery GPU\"") != std::string::npos);
  CHECK(r.out.find("config.batch must be a positive integer") != std::string::npos);
  CHECK(r.out.find("validated n=0 ") != std::string::npos);
}
