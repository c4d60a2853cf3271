// `clustersim profiles list|show` end to end, through the in-process CLI harness.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "loaders/profile_loader.hpp"
#include "tests/e2e/cli_harness.hpp"

using cs::test::run_cli;

namespace {
const std::string kData = std::string(CLUSTERSIM_SOURCE_DIR);
const std::set<std::string> kIssueAccelerators = {"a100-40gb-sxm", "a100-80gb-sxm", "h100-sxm", "h100-pcie", "h200-sxm",
                                                  "b200", "gb200", "l40s", "mi300x", "tpu-v4", "tpu-v5e", "tpu-v5p",
                                                  "tpu-v6e"};
}  // namespace

TEST_CASE("profiles list --json lists every accelerator of the catalog, and each loads strictly") {
  const auto r = run_cli({"--data-dir", kData, "profiles", "list", "--json"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const auto doc = cs::load::parse_json_text(r.out, "list.json");
  std::set<std::string> accelerators;
  std::set<std::string> kinds;
  for (const auto& p : doc.root.at("profiles")) {
    kinds.insert(p.at("kind").get<std::string>());
    if (p.at("kind") != "accelerator") continue;
    const std::string name = p.at("name").get<std::string>();
    accelerators.insert(name);
    CHECK_MESSAGE(p.at("peak_bf16_flops").get<double>() > 0, name);
    CHECK_MESSAGE(p.at("memory_bytes").get<double>() > 0, name);
    CHECK_MESSAGE(p.at("bandwidth_bytes_per_s").get<double>() > 0, name);
    CHECK_MESSAGE(p.at("power_watts").get<double>() > 0, name);
    CHECK_MESSAGE(!p.at("price_source").get<std::string>().empty(), name);

    // Each one loads strictly on its own: its file, and its `show --json` rendering, which
    // is the profile format with base-unit numbers.
    cs::hw::HardwareCatalog single;
    cs::load::add_profile(single, cs::load::read_json_file(p.at("profile_file").get<std::string>()));
    const auto shown = run_cli({"--data-dir", kData, "profiles", "show", name, "--json"});
    REQUIRE_MESSAGE(shown.code == 0, shown.err);
    cs::hw::HardwareCatalog again;
    cs::load::add_profile(again, cs::load::parse_json_text(shown.out, name + ".json"));
    const auto& a = single.accelerator(name);
    const auto& b = again.accelerator(name);
    CHECK(a.peak(cs::hw::DType::bf16) == doctest::Approx(b.peak(cs::hw::DType::bf16)));
    CHECK(a.memory_bandwidth == doctest::Approx(b.memory_bandwidth));
    CHECK(a.memory_bytes == doctest::Approx(b.memory_bytes));
    CHECK(a.scale_up.bandwidth_per_direction == doctest::Approx(b.scale_up.bandwidth_per_direction));
    CHECK(a.efficiency.defaults().gemm_max_by_dtype == b.efficiency.defaults().gemm_max_by_dtype);
    CHECK(a.purchase.source == b.purchase.source);
    CHECK(a.sources.size() == b.sources.size());
  }
  for (const auto& n : kIssueAccelerators) CHECK_MESSAGE(accelerators.count(n) == 1, n);
  CHECK(kinds == std::set<std::string>{"accelerator", "node", "nic", "switch", "link_medium", "storage"});
}

TEST_CASE("profiles list prints a table, and --kind filters it") {
  const auto r = run_cli({"--data-dir", kData, "profiles", "list"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("peak BF16") != std::string::npos);
  CHECK(r.out.find("price source") != std::string::npos);
  CHECK(r.out.find("989 TFLOP/s") != std::string::npos);  // h100-sxm
  CHECK(r.out.find("dgx-h100") != std::string::npos);
  const auto nics = run_cli({"--data-dir", kData, "profiles", "list", "--kind", "nic"});
  REQUIRE(nics.code == 0);
  CHECK(nics.out.find("cx7-ndr-400g") != std::string::npos);
  CHECK(nics.out.find("h100-sxm") == std::string::npos);
  CHECK(run_cli({"--data-dir", kData, "profiles", "list", "--kind", "gpu"}).code == 2);
}

TEST_CASE("profiles show prints every field with units and sources") {
  const auto r = run_cli({"--data-dir", kData, "profiles", "show", "h100-sxm"});
  REQUIRE(r.code == 0);
  // The shipped measured profile of the H100 (hardware-profiles/measured/) replaces the
  // default curves and the datasheet launch overhead; the datasheet peaks stay.
  for (const char* s : {"compute times: measured (", "measured/h100-sxm.json)", "bandwidth: 3.35 TB/s", "capacity: 80 GB",
                        "bf16: 989 TFLOP/s", "bandwidth_per_direction: 450 GB/s", "kernel_launch_overhead: 3.557 us", "sources:",
                        "https://www.nvidia.com/en-us/data-center/h100/", "estimate: true", "confidence: high"}) {
    CHECK_MESSAGE(r.out.find(s) != std::string::npos, s);
  }
  const auto node = run_cli({"--data-dir", kData, "profiles", "show", "dgx-h100", "--json"});
  REQUIRE(node.code == 0);
  cs::hw::HardwareCatalog c;
  cs::load::add_profile(c, cs::load::parse_json_text(node.out, "dgx-h100.json"));
  CHECK(c.node("dgx-h100").scale_up.in_network_reduction);
  CHECK(c.node("dgx-h100").nic_rate == doctest::Approx(50e9));

  const auto bad = run_cli({"--data-dir", kData, "profiles", "show", "h100-smx"});
  CHECK(bad.code == 2);
  CHECK(bad.err.find("did you mean \"h100-sxm\"") != std::string::npos);
}

TEST_CASE("every kind of profile survives show --json and loads back strictly") {
  const auto list = run_cli({"--data-dir", kData, "profiles", "list", "--json"});
  REQUIRE(list.code == 0);
  const auto doc = cs::load::parse_json_text(list.out, "list.json");
  cs::hw::HardwareCatalog all;
  for (const auto& p : doc.root.at("profiles")) {
    if (p.at("kind") == "accelerator") continue;  // covered above
    const std::string name = p.at("name").get<std::string>();
    const auto shown = run_cli({"--data-dir", kData, "profiles", "show", name, "--json"});
    REQUIRE_MESSAGE(shown.code == 0, name);
    CHECK_NOTHROW(cs::load::add_profile(all, cs::load::parse_json_text(shown.out, name + ".json")));
  }
  CHECK(all.nodes.size() >= 11);
  CHECK(all.storage.at("s3-object-store").monthly_per_tb.value == doctest::Approx(23));
}
