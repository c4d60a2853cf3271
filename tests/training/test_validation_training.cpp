// Validation against published training runs (Megatron-LM SC21 Tables 1 and 2, MosaicML
// MPT): `clustersim validate tests/validation/published.json --kind training` must map at
// least 20 runs with a median |error| <= 5% and a max <= 15%. The full set takes about a
// second, so the reduced form (CLUSTERSIM_REDUCED) runs the same records.
#include <doctest/doctest.h>

#include <regex>

#include "tests/e2e/cli_harness.hpp"

TEST_CASE("training predictions agree with published runs") {
  const auto r = cs::test::run_cli({"validate", cs::test::source_path("tests/validation/published.json"), "--kind",
                                    "training", "--gate-median", "5", "--gate-max", "15"});
  MESSAGE(r.out);
  CHECK(r.code == 0);
  std::smatch m;
  REQUIRE(std::regex_search(r.out, m, std::regex(R"(validated n=(\d+) median_abs_error_pct=([\d.]+) max_abs_error_pct=([\d.]+) skipped=(\d+))")));
  CHECK(std::stoi(m[1]) >= 20);
  CHECK(std::stod(m[2]) <= 5.0);
  CHECK(std::stod(m[3]) <= 15.0);
  // Megatron Table 1 and the MPT runs are all mapped.
  CHECK(r.out.find("train.megatron_sc21.table1.gpt_1008.0B ") != std::string::npos);
  CHECK(r.out.find("train.mosaic_mpt.A100_40GB.70b.seq2048.128gpu.bf16 ") != std::string::npos);
}
