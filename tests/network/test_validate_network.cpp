// `validate --kind network`: predicted NCCL bus bandwidth against the published records.
// Targets (issue 4): median |error| <= 5%, max <= 12%, over every validated row; the rows
// not from calibration records (held out) must meet the same targets on their own.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "loaders/json_reader.hpp"
#include "loaders/profile_loader.hpp"
#include "loaders/validate_network.hpp"
#include "loaders/validation.hpp"

using namespace cs::load;

TEST_CASE("network validation meets its targets on the published collective records") {
  const std::filesystem::path root = CLUSTERSIM_SOURCE_DIR;
  const cs::hw::HardwareCatalog catalog = load_catalog(root / "hardware-profiles");
  const Document doc = read_json_file(root / "tests" / "validation" / "published.json");
  ObjectReader top(Node::root(doc));
  const Node records = top.required("records");
  top.skip("title");
  top.skip("schema");
  top.skip("conventions");
  std::vector<Node> all;
  for (std::size_t i = 0; i < records.size(); ++i) all.push_back(records.at(i));
  ValidationContext ctx;
  ctx.catalog = &catalog;
  ctx.data_root = root.string();
  const auto rows = validate_network(all, ctx);
  const ValidationSummary s = summarize(rows);
  MESSAGE("validated n=", s.n, " median=", s.median_abs_error_pct, " max=", s.max_abs_error_pct, " skipped=", s.skipped);
  CHECK(s.n >= 40);
  CHECK(s.median_abs_error_pct <= 5.0);
  CHECK(s.max_abs_error_pct <= 12.0);
  // every family of records is represented: 8xA100, 8xH100, 8xH200, NDR per NIC
  for (const char* id : {"micro.azure.A100.nccl_allreduce_busbw#1G", "micro.azure.H100.nccl_allreduce_busbw#1G",
                         "micro.azure.H200.nccl_allreduce_busbw#1G", "micro.nccl.maintainer_expectations#ndr-per-nic",
                         "micro.allreduce.h200_8gpu_node#16GiB-ring"}) {
    const auto it = std::find_if(rows.begin(), rows.end(), [&](const ValidationRow& r) { return r.id == id; });
    REQUIRE_MESSAGE(it != rows.end(), id);
    CHECK_FALSE(it->skipped);
  }
  std::vector<ValidationRow> held_out;
  for (const auto& r : rows) {
    if (!r.skipped && r.reason.find("calibration") == std::string::npos) held_out.push_back(r);
  }
  const ValidationSummary h = summarize(held_out);
  MESSAGE("held out n=", h.n, " median=", h.median_abs_error_pct, " max=", h.max_abs_error_pct);
  CHECK(h.n >= 25);
  CHECK(h.median_abs_error_pct <= 5.0);
  CHECK(h.max_abs_error_pct <= 12.0);
  // small sizes are reported, as skipped rows with a reason, never dropped
  const auto small = std::find_if(rows.begin(), rows.end(), [](const ValidationRow& r) {
    return r.id == "micro.azure.H100.nccl_allreduce_busbw#1K";
  });
  REQUIRE(small != rows.end());
  CHECK(small->skipped);
  CHECK(!small->reason.empty());
}
