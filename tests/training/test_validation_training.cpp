// Validation against published training runs (Megatron-LM SC21 Tables 1 and 2, MosaicML
// MPT): `clustersim validate tests/validation/published.json --kind training` must map at
// least 20 runs with a median |error| <= 5% and a max <= 15%. The full set takes about a
// second, so the reduced form (CLUSTERSIM_REDUCED) runs the same records.
#include <doctest/doctest.h>

#include <regex>

#include "loaders/profile_loader.hpp"
#include "loaders/data_paths.hpp"
#include "loaders/validate_training.hpp"
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

TEST_CASE("with the network model's contention-aware pricing the targets still hold") {
  // Every concurrent group of each collective family placed on the validation clusters'
  // fat trees in the flow-level NetworkSim (comm_model network).
  const cs::load::Document doc = cs::load::read_json_file(cs::test::source_path("tests/validation/published.json"));
  const cs::load::Node records = cs::load::ObjectReader(cs::load::Node::root(doc)).required("records");
  std::vector<cs::load::Node> all;
  for (std::size_t i = 0; i < records.size(); ++i) all.push_back(records.at(i));
  const auto data = cs::load::DataPaths::locate(std::filesystem::path(cs::test::source_path("")));
  const cs::hw::HardwareCatalog catalog = cs::load::load_catalog(data.profiles());
  cs::load::ValidationContext ctx;
  ctx.catalog = &catalog;
  ctx.data_root = data.root.string();
  const auto rows = cs::load::validate_training_with(all, ctx, cs::models::CommModelKind::network);
  const cs::load::ValidationSummary s = cs::load::summarize(rows);
  MESSAGE("network: n=" << s.n << " median " << s.median_abs_error_pct << " max " << s.max_abs_error_pct);
  CHECK(s.n >= 29);
  CHECK(s.median_abs_error_pct <= 5.0);
  CHECK(s.max_abs_error_pct <= 15.0);
}
