#include <doctest/doctest.h>

#include <string>

#include "loaders/profile_loader.hpp"

using namespace cs::load;

namespace {
std::string catalog_dir() { return std::string(CLUSTERSIM_SOURCE_DIR) + "/hardware-profiles"; }
}  // namespace

TEST_CASE("every shipped hardware profile loads strictly") {
  const auto catalog = load_catalog(catalog_dir());
  REQUIRE(catalog.accelerators.count("h100-sxm") == 1);
  const auto& h100 = catalog.accelerator("h100-sxm");
  CHECK(h100.peak(cs::hw::DType::bf16) == doctest::Approx(989e12));
  CHECK(h100.peak(cs::hw::DType::bf16, true) == doctest::Approx(1978e12));
  CHECK(h100.memory_bandwidth == doctest::Approx(3.35e12));
  CHECK(h100.memory_bytes == doctest::Approx(80e9));
  CHECK(h100.scale_up.bandwidth_per_direction == doctest::Approx(450e9));
  CHECK(h100.purchase.estimate);
  CHECK_FALSE(h100.sources.empty());
  for (const auto& [name, a] : catalog.accelerators) {
    CHECK_MESSAGE(a.memory_bandwidth > 0, name);
    CHECK_MESSAGE(!a.sources.empty(), name);
  }
}

TEST_CASE("unknown catalog names suggest the nearest") {
  const auto catalog = load_catalog(catalog_dir());
  try {
    catalog.accelerator("h100-smx");
    FAIL("expected an error");
  } catch (const cs::InputError& e) {
    CHECK(std::string(e.what()).find("did you mean \"h100-sxm\"") != std::string::npos);
  }
}

TEST_CASE("profile errors name file and pointer") {
  cs::hw::HardwareCatalog c;
  const auto doc = parse_json_text(R"({"schema_version": 1, "kind": "nic", "name": "x", "technology": "infiniband",
      "generation": "ndr", "port_rate": "400Gbs", "latency": "1us", "power": "20W",
      "sources": [{"title": "t", "date": "2024"}], "confidence": "high"})", "nic.json");
  try {
    add_profile(c, doc);
    FAIL("expected an error");
  } catch (const cs::InputError& e) {
    CHECK(std::string(e.what()).find("nic.json: /port_rate: expected a bandwidth") != std::string::npos);
  }
}
