#include <doctest/doctest.h>

#include <string>
#include <vector>

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

TEST_CASE("the catalog holds every accelerator, node and network part the planner shops for") {
  const auto catalog = load_catalog(catalog_dir());
  for (const char* n : {"a100-40gb-sxm", "a100-80gb-sxm", "h100-sxm", "h100-pcie", "h200-sxm", "b200", "gb200", "l40s",
                        "mi300x", "tpu-v4", "tpu-v5e", "tpu-v5p", "tpu-v6e"}) {
    CHECK_MESSAGE(catalog.accelerators.count(n) == 1, n);
  }
  for (const char* n : {"dgx-a100-40gb", "dgx-a100-80gb", "dgx-h100", "hgx-h200", "hgx-b200", "gb200-nvl72",
                        "mi300x-platform", "tpu-v4-host", "tpu-v5p-host", "tpu-v5e-host", "tpu-v6e-host"}) {
    CHECK_MESSAGE(catalog.nodes.count(n) == 1, n);
  }
  for (const char* n : {"cx6-hdr-200g", "cx7-ndr-400g", "cx8-xdr-800g", "roce-100g", "roce-200g", "roce-400g", "roce-800g"}) {
    CHECK_MESSAGE(catalog.nics.count(n) == 1, n);
  }
  for (const char* n : {"qm8700-hdr", "qm9700-ndr", "q3400-xdr", "sn5600-800g"}) CHECK_MESSAGE(catalog.switches.count(n) == 1, n);
  CHECK(catalog.storage_tier("nvme-gen4-3.84tb").kind == cs::hw::StorageKind::local_nvme);
  CHECK(catalog.storage_tier("lustre-ddn-ai400x2").kind == cs::hw::StorageKind::parallel_fs);
  CHECK(catalog.storage_tier("s3-object-store").kind == cs::hw::StorageKind::object_store);
  CHECK_FALSE(catalog.link_media.empty());

  // Spot checks against the datasheets (published.json kind "hardware").
  using cs::hw::DType;
  CHECK(catalog.accelerator("a100-80gb-sxm").memory_bandwidth == doctest::Approx(2039e9));
  CHECK(catalog.accelerator("a100-40gb-sxm").memory_bandwidth == doctest::Approx(1555e9));
  CHECK_FALSE(catalog.accelerator("a100-80gb-sxm").supports(DType::fp8));
  CHECK(catalog.accelerator("h200-sxm").peak(DType::bf16) == doctest::Approx(989e12));
  CHECK(catalog.accelerator("b200").peak(DType::fp8) == doctest::Approx(4.5e15));
  CHECK(catalog.accelerator("gb200").host_link.technology == "nvlink-c2c");
  CHECK(catalog.accelerator("mi300x").scale_up.bandwidth_per_direction == doctest::Approx(448e9));
  CHECK(catalog.accelerator("tpu-v6e").peak(DType::bf16) == doctest::Approx(918e12));
  CHECK(catalog.node("dgx-h100").scale_up.bandwidth_per_accelerator == doctest::Approx(450e9));
  CHECK(catalog.node("dgx-h100").nic_rate == doctest::Approx(50e9));  // filled in from the NIC
  CHECK(catalog.node("gb200-nvl72").scale_up.domain_size == 72);
  CHECK(catalog.node("tpu-v5e-host").scale_up.torus_dims == std::vector<int>{2, 4});
  CHECK(catalog.nic("cx8-xdr-800g").port_rate == doctest::Approx(100e9));
  CHECK(catalog.network_switch("qm9700-ndr").radix == 64);

  // Provenance everywhere; every known price says where it comes from and when.
  auto check_price = [](const cs::hw::Price& p, const std::string& who) {
    if (!p.known()) return;
    CHECK_MESSAGE(!p.source.empty(), who);
    CHECK_MESSAGE(!p.date.empty(), who);
  };
  for (const auto& [n, a] : catalog.accelerators) {
    CHECK_MESSAGE(a.peak(DType::bf16) > 0, n);
    CHECK_MESSAGE(a.memory_bytes > 0, n);
    CHECK_MESSAGE(a.tdp_watts > a.idle_watts, n);
    check_price(a.purchase, n);
    check_price(a.cloud_hourly, n);
    CHECK_MESSAGE((a.purchase.known() || a.cloud_hourly.known()), n);
  }
  for (const auto& [n, node] : catalog.nodes) {
    CHECK_MESSAGE(!node.sources.empty(), n);
    CHECK_MESSAGE(node.max_power_watts > node.base_power_watts, n);
    check_price(node.purchase, n);
    check_price(node.cloud_hourly, n);
  }
  for (const auto& [n, s] : catalog.switches) CHECK_MESSAGE(!s.sources.empty(), n);
  for (const auto& [n, s] : catalog.nics) CHECK_MESSAGE(!s.sources.empty(), n);
}

TEST_CASE("the host link technology is strict") {
  cs::hw::HardwareCatalog c;
  const auto doc = read_json_file(catalog_dir() + "/accelerators/gb200.json");
  auto text = doc.root.dump();
  const auto pos = text.find("nvlink-c2c");
  REQUIRE(pos != std::string::npos);
  text.replace(pos, 10, "nvlink-cc2");
  try {
    add_profile(c, parse_json_text(text, "gb200.json"));
    FAIL("expected an error");
  } catch (const cs::InputError& e) {
    CHECK(std::string(e.what()).find("/host_link/technology") != std::string::npos);
  }
}

TEST_CASE("a misspelled key in a shipped profile is rejected, naming the nearest key") {
  for (const char* file : {"/accelerators/h100-sxm.json", "/nodes/dgx-h100.json", "/storage/s3-object-store.json"}) {
    CAPTURE(file);
    auto root = read_json_file(catalog_dir() + file).root;
    root["confidence_level"] = "high";
    cs::hw::HardwareCatalog c;
    try {
      add_profile(c, parse_json_text(root.dump(), "p.json"));
      FAIL("expected an error");
    } catch (const cs::InputError& e) {
      CHECK(std::string(e.what()).find("confidence_level") != std::string::npos);
    }
  }
  auto eff = read_json_file(catalog_dir() + "/accelerators/h100-sxm.json").root;
  eff["efficiency"]["tile_overhead"] = "2 parsecs";
  cs::hw::HardwareCatalog c;
  CHECK_THROWS_AS(add_profile(c, parse_json_text(eff.dump(), "p.json")), cs::InputError);
}
