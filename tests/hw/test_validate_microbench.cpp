// `clustersim validate tests/validation/published.json --kind microbench`: the compute model
// against published GEMM throughput and HBM bandwidth. Tolerance: median |error| <= 10% and
// max |error| <= 25% over the held-out cases (docs/compute-model.md).
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>

#include "loaders/json_reader.hpp"
#include "loaders/validate_microbench.hpp"
#include "tests/e2e/cli_harness.hpp"

using cs::test::run_cli;

namespace {
const std::string kData = std::string(CLUSTERSIM_SOURCE_DIR);
const std::string kPublished = kData + "/tests/validation/published.json";
constexpr double kMedianTolerancePct = 10.0;
constexpr double kMaxTolerancePct = 25.0;
}  // namespace

TEST_CASE("validate --kind microbench stays within tolerance and prints the summary line last") {
  const auto r = run_cli({"--data-dir", kData, "validate", kPublished, "--kind", "microbench", "--gate-median",
                          std::to_string(kMedianTolerancePct), "--gate-max", std::to_string(kMaxTolerancePct)});
  INFO(r.out);
  INFO(r.err);
  CHECK(r.code == 0);
  const std::regex summary(R"(\nvalidated n=(\d+) median_abs_error_pct=([\d.]+) max_abs_error_pct=([\d.]+) skipped=(\d+)\n$)");
  std::smatch m;
  REQUIRE(std::regex_search(r.out, m, summary));
  const int n = std::stoi(m[1]);
  const double median = std::stod(m[2]);
  const double max = std::stod(m[3]);
  const int skipped = std::stoi(m[4]);
  CHECK(n >= 40);
  CHECK(median <= kMedianTolerancePct);
  CHECK(max <= kMaxTolerancePct);
  CHECK(skipped > 0);
  MESSAGE("microbench validation: n=" << n << " median=" << median << "% max=" << max << "% skipped=" << skipped);

  // GEMM and HBM cases of every device the issue names (H100's are the calibration set).
  for (const char* id : {"micro.azure.A100.gemm#4096^3", "micro.azure.H200.gemm#802816x192x768",
                         "micro.azure_fork.MI300X.all#gemm_fp8#8192^3", "micro.azure.A100.hbm_stream#triad",
                         "micro.azure.H200.hbm_stream#copy", "micro.azure_fork.MI300X.all#hbm#triad"}) {
    CHECK_MESSAGE(std::regex_search(r.out, std::regex(std::regex_replace(std::string(id), std::regex(R"([.^#])"), R"(\$&)") +
                                                      R"(\s+(fp8|fp16)?_?(tflops|hbm_TBps))")),
                  id);
  }
  // What shaped the default curves is skipped, with the reason, never counted.
  CHECK(r.out.find("micro.azure.H100.gemm#8192^3") != std::string::npos);
  CHECK(std::regex_search(r.out, std::regex(R"(micro\.azure\.H100\.gemm#8192\^3\s+skipped: used for calibration of default curves)")));
  CHECK(std::regex_search(r.out, std::regex(R"(micro\.mamf\.bf16\.NVIDIA_A100_SXM\s+skipped: used for calibration of default curves)")));
  // Collectives are left to --kind network; unknown devices are named.
  CHECK(std::regex_search(r.out, std::regex(R"(micro\.azure\.H100\.nccl_allreduce_busbw\s+skipped: collective benchmark: validated by --kind network)")));
  CHECK(std::regex_search(r.out, std::regex(R"(micro\.mamf\.bf16\.Intel_Gaudi_2\s+skipped: device not in catalog)")));
}

TEST_CASE("every microbench record appears in the output: none is silently dropped") {
  const auto r = run_cli({"--data-dir", kData, "validate", kPublished, "--kind", "microbench"});
  REQUIRE(r.code == 0);
  const auto doc = cs::load::read_json_file(kPublished);
  int records = 0;
  for (const auto& rec : doc.root.at("records")) {
    if (rec.at("kind") != "microbench") continue;
    ++records;
    const std::string id = rec.at("id").get<std::string>();
    CHECK_MESSAGE(r.out.find("\n" + id) != std::string::npos, id);
  }
  CHECK(records > 30);
  // Training and inference records are not this validator's: they do not appear.
  CHECK(r.out.find("train.megatron_sc21") == std::string::npos);
}

TEST_CASE("a tightened gate fails with exit 3") {
  const auto r = run_cli({"--data-dir", kData, "validate", kPublished, "--kind", "microbench", "--gate-max", "1"});
  CHECK(r.code == 3);
  CHECK(r.err.find("gate not met") != std::string::npos);
}

TEST_CASE("published device names and GEMM shapes map onto the catalog") {
  using cs::load::catalog_device;
  CHECK(catalog_device("H100 80GB HBM3 (ND H100 v5), CUDA 12.6") == "h100-sxm");
  CHECK(catalog_device("A100-SXM4-80GB (ND A100 v4)") == "a100-80gb-sxm");
  CHECK(catalog_device("NVIDIA A100 PCIe") == std::nullopt);
  CHECK(catalog_device("H200 141GB (ND H200 v5)") == "h200-sxm");
  CHECK(catalog_device("NVIDIA GH200 SXM (900W, 141GB)") == std::nullopt);
  CHECK(catalog_device("GB200 (ND GB200 v6)") == "gb200");
  CHECK(catalog_device("NVIDIA B200 SXM") == "b200");
  CHECK(catalog_device("AMD MI300X (ND MI300X v5)") == "mi300x");
  CHECK(catalog_device("AMD MI325X (1000W)") == std::nullopt);
  const auto cube = cs::load::parse_gemm_shape("4096^3");
  REQUIRE(cube);
  CHECK(cube->m == 4096);
  CHECK(cube->k == 4096);
  const auto skinny = cs::load::parse_gemm_shape("802816x192x768");
  REQUIRE(skinny);
  CHECK(skinny->m == 802816);
  CHECK(skinny->n == 192);
  CHECK(skinny->k == 768);
  CHECK_FALSE(cs::load::parse_gemm_shape("4096x4096"));
  CHECK_FALSE(cs::load::parse_gemm_shape("ax2x3"));
}
