#pragma once
// A small, self-contained data folder for planner tests: one accelerator (the shipped H100
// profile), a test node, NIC, switch and link medium with round prices, the Llama-3-8B
// catalog model, and scenario files written on demand. Independent of the shipped catalog.
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/e2e/cli_harness.hpp"

namespace cs::test {

inline const char* kTestNode = R"({
  "schema_version": 1, "kind": "node", "name": "test-node", "vendor": "test", "accelerator": "h100-sxm",
  "accelerators": 8,
  "scale_up": { "kind": "nvswitch", "domain_size": 8, "bandwidth_per_accelerator": "450GB/s", "latency": "1us" },
  "nics": { "model": "test-nic", "count": 8 },
  "host_memory": "2TB",
  "power": { "max": "10kW", "base": "4kW" },
  "rack_units": 8,
  "prices": { "purchase": { "value": "$300000", "source": "test", "date": "2024-01" },
              "cloud_hourly": { "value": "$40/h", "source": "test", "date": "2024-01" } },
  "sources": [ { "title": "test", "date": "2024-01" } ], "confidence": "low" })";

inline const char* kTestNic = R"({
  "schema_version": 1, "kind": "nic", "name": "test-nic", "technology": "infiniband", "generation": "ndr",
  "port_rate": "400Gbps", "latency": "1us", "power": "20W",
  "prices": { "purchase": { "value": "$2000", "source": "test", "date": "2024-01" } },
  "sources": [ { "title": "test", "date": "2024-01" } ], "confidence": "low" })";

inline const char* kTestSwitch = R"({
  "schema_version": 1, "kind": "switch", "name": "test-switch", "technology": "infiniband", "radix": 8,
  "port_rate": "400Gbps", "latency": "100ns", "power": "500W", "rack_units": 1,
  "prices": { "purchase": { "value": "$30000", "source": "test", "date": "2024-01" } },
  "sources": [ { "title": "test", "date": "2024-01" } ], "confidence": "low" })";

inline const char* kTestLink = R"({
  "schema_version": 1, "kind": "link_medium", "name": "test-optics", "medium": "optics", "rate": "400Gbps",
  "reach_m": 50, "power": "10W",
  "prices": { "purchase": { "value": "$1000", "source": "test", "date": "2024-01" } },
  "sources": [ { "title": "test", "date": "2024-01" } ], "confidence": "low" })";

// A data root (hardware-profiles/, models/catalog/) under a temp folder.
class PlanData {
 public:
  PlanData() {
    namespace fs = std::filesystem;
    const fs::path hp = dir_.path() / "hardware-profiles";
    fs::create_directories(hp);
    fs::create_directories(dir_.path() / "models" / "catalog");
    fs::copy_file(source_path("hardware-profiles/accelerators/h100-sxm.json"), hp / "h100-sxm.json");
    fs::copy_file(source_path("models/catalog/llama-3-8b.json"), dir_.path() / "models/catalog/llama-3-8b.json");
    fs::copy_file(source_path("models/catalog/llama-3-70b.json"), dir_.path() / "models/catalog/llama-3-70b.json");
    std::ofstream(hp / "test-node.json") << kTestNode;
    std::ofstream(hp / "test-nic.json") << kTestNic;
    std::ofstream(hp / "test-switch.json") << kTestSwitch;
    std::ofstream(hp / "test-optics.json") << kTestLink;
  }
  std::string root() const { return dir_.path().string(); }
  std::string write(const std::string& name, const std::string& text) const { return dir_.write(name, text); }
  std::string path(const std::string& name) const { return (dir_.path() / name).string(); }

 private:
  TempDir dir_;
};

// A serving plan over node counts and serving settings; `constraints` is a JSON array body.
inline std::string serving_plan(const std::string& constraints, const std::string& gates = "") {
  return std::string(R"({
  "schema_version": 1, "name": "test-plan",
  "plan": {
    "hardware": ["test-node"],
    "nodes": [1, 2, 3, 4],
    "fabrics": [ { "label": "ft", "topology": "fat_tree", "switch": "test-switch", "link_medium": "test-optics" },
                 { "label": "ft 3:1", "topology": "fat_tree", "oversubscription": 3, "switch": "test-switch" } ],
    "serving": { "model": "llama-3-8b", "dtype": "bf16",
                 "traffic": { "rate": "40/s", "prompt_mean": 1000, "prompt_p99": 4000, "output_mean": 200, "output_p99": 600 },
                 "tp": [1, 2, 4], "max_batch": [32, 128], "prefill_fraction": [0, 0.5] },
    "costs": { "period": "4y", "residual": "10%", "pue": 1.3, "energy_price": "$0.10/kWh", "hosting_per_kw": "$150/month" },
    "constraints": [)") + constraints + R"(],
    "gates": [)" + gates + R"(]
  }
})";
}

}  // namespace cs::test
