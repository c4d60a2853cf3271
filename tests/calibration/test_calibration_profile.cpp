#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "loaders/calibration_fit.hpp"
#include "loaders/calibration_profile.hpp"
#include "loaders/profile_loader.hpp"
#include "sim/core/error.hpp"
#include "sim/hw/compute_model.hpp"

using namespace cs;
using namespace cs::load;
namespace fs = std::filesystem;

namespace {

const fs::path kSource = CLUSTERSIM_SOURCE_DIR;
const fs::path kSynthetic = kSource / "tests/calibration/data/synthetic-h100-sxm.json";

// A throwaway profile tree, removed at the end of the test.
struct TempTree {
  fs::path root;
  TempTree() {
    static std::atomic<int> counter{0};
    root = fs::temp_directory_path() /
           ("clustersim-calibration-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(root / "accelerators");
    fs::create_directories(root / "measured");
    write("accelerators/test-gpu.json", kAccelerator);
  }
  ~TempTree() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  void write(const std::string& rel, const std::string& text) const { std::ofstream(root / rel) << text; }

  // A minimal accelerator with a BF16 peak of 1000 TFLOP/s and 3 TB/s of memory.
  static constexpr const char* kAccelerator = R"({
    "schema_version": 1, "kind": "accelerator", "name": "test-gpu", "vendor": "test", "architecture": "test",
    "type": "gpu", "compute_units": 128, "peak_dense": {"bf16": "1000TFLOPS", "fp8": "2000TFLOPS"},
    "memory": {"capacity": "80GB", "bandwidth": "3TB/s", "type": "HBM3"}, "l2_cache": "50MB",
    "power": {"tdp": "700W", "idle": "70W"},
    "scale_up": {"technology": "nvlink4", "links": 18, "bandwidth_per_direction": "450GB/s"},
    "host_link": {"pcie_gen": 5, "bandwidth_per_direction": "63GB/s"},
    "kernel_launch_overhead": "9us",
    "sources": [{"title": "test", "date": "2024-01"}], "confidence": "low"})";
};

// A profile for test-gpu fitted from made-up samples (test input, not a measurement).
MeasuredProfile sample_profile() {
  MeasuredProfile p;
  p.accelerator = "test-gpu";
  p.date = "2000-01-01T00:00:00Z";
  p.device.name = "SYNTHETIC";
  p.tool.mode = "synthetic";
  p.tool.repetitions = 3;
  p.samples.launch_seconds = {3e-6, 3.1e-6, 2.9e-6};
  for (double m : {16.0, 4096.0}) {
    for (double n : {1024.0, 8192.0}) {
      for (double k : {1024.0, 8192.0}) {
        const double eff = m > 100 && n > 2000 && k > 2000 ? 0.75 : 0.3;
        const double t = 2 * m * n * k / (1000e12 * eff) + 3e-6;
        p.samples.gemm.push_back({hw::DType::bf16, m, n, k, {t, 1.02 * t, 0.99 * t}});
      }
    }
  }
  for (double size : {1e4, 1e6, 1e9}) {
    const double rate = size < 1e5 ? 0.5e12 : size < 1e7 ? 1.5e12 : 2.7e12;
    p.samples.memory.push_back({"copy", size, {2 * size / rate + 3e-6}});
  }
  p.fitted = fit_samples(p.samples);
  return p;
}

std::string error_of(const std::string& text) {
  try {
    read_measured_profile(parse_json_text(text, "bad.json"));
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("the recorded synthetic samples parse, fit and are labelled synthetic") {
  const MeasuredProfile p = read_measured_profile_file(kSynthetic);
  CHECK(p.tool.mode == "synthetic");
  CHECK(p.device.name.find("SYNTHETIC") != std::string::npos);
  CHECK(p.accelerator == "h100-sxm");
  CHECK(p.samples.gemm.size() == 16);
  CHECK(p.samples.memory.size() == 10);
  CHECK(p.samples.launch_seconds.size() == 7);
  CHECK(p.samples.transfers.size() == 6);
  CHECK(p.samples.attention.size() == 2);
  CHECK(p.samples.collectives.size() == 3);
  CHECK(p.fitted.gemm.empty());  // the recording holds samples only
  const FittedTables f = fit_samples(p.samples, p.file);
  // The generator's launch overhead is 4 us; its GEMM efficiency tops out near 0.75 x 989.
  CHECK(f.launch_overhead_s == doctest::Approx(4e-6).epsilon(0.05));
  const GemmRateTable& g = f.gemm.at(hw::DType::bf16);
  CHECK(g.m == std::vector<double>{1, 16, 256, 4096});
  const double top = g.flops_per_second.back();
  CHECK(top == doctest::Approx(989e12 * 0.75 * (4096 / 4192.0) * (8192 / 8448.0) * (8192 / 8320.0)).epsilon(0.05));
  CHECK(f.memory.at("copy").bytes_per_second.back() < 3.35e12);
  CHECK(f.transfers.count("h2d") == 1);
  CHECK(f.collectives.count("all_reduce@8") == 1);
  REQUIRE(f.attention_factor_unfused.has_value());
  CHECK(*f.attention_factor_unfused > 0.3);
  CHECK(*f.attention_factor_unfused <= 1.0);
}

TEST_CASE("no synthetic profile is ever shipped as a measurement") {
  const fs::path measured = kSource / "hardware-profiles" / "measured";
  if (!fs::is_directory(measured)) return;
  for (const auto& entry : fs::directory_iterator(measured)) {
    if (entry.path().extension() != ".json") continue;
    CAPTURE(entry.path().string());
    const MeasuredProfile p = read_measured_profile_file(entry.path());
    CHECK(p.tool.mode != "synthetic");
    CHECK(p.device.name.find("SYNTHETIC") == std::string::npos);
    CHECK_FALSE(p.samples.gemm.empty());  // a measured profile keeps its raw samples
  }
}

TEST_CASE("write -> load_catalog -> ComputeModel uses the measured tables") {
  const TempTree tree;
  const MeasuredProfile p = sample_profile();
  write_measured_profile(tree.root / "measured" / "test-gpu.json", p);
  // Atomic write: only the target file is left.
  CHECK(std::distance(fs::directory_iterator(tree.root / "measured"), fs::directory_iterator()) == 1);

  const hw::HardwareCatalog before = [&] {
    const TempTree plain;
    return load_catalog(plain.root);
  }();
  CHECK_FALSE(hw::ComputeModel(before.accelerator("test-gpu")).measured());

  const hw::HardwareCatalog catalog = load_catalog(tree.root);
  const hw::AcceleratorSpec& a = catalog.accelerator("test-gpu");
  const hw::ComputeModel model(a);
  CHECK(model.measured());
  CHECK(a.efficiency.gemm_measured(hw::DType::bf16));
  CHECK_FALSE(a.efficiency.gemm_measured(hw::DType::fp8));
  CHECK(a.efficiency.memory_measured());
  CHECK(a.efficiency.describe().find("test-gpu.json") != std::string::npos);
  CHECK(a.efficiency.describe().rfind("measured (", 0) == 0);
  CHECK(a.kernel_launch_overhead_s == doctest::Approx(3e-6));  // replaces the datasheet 9 us

  // The model reproduces the measured median of a compute-bound grid point.
  const double measured = 2 * 4096.0 * 8192 * 8192 / (1000e12 * 0.75) + 3e-6;
  const hw::OpCost big = model.cost(hw::gemm(4096, 8192, 8192, hw::DType::bf16));
  CHECK(big.compute_bound);
  CHECK(big.compute_efficiency == doctest::Approx(0.75).epsilon(0.01));
  CHECK(big.seconds == doctest::Approx(measured).epsilon(0.02));
  // Memory-bound kernels use the measured bandwidth curve: 2.7 TB/s of 3 TB/s at 2 GB moved.
  CHECK(a.efficiency.memory(2e9) == doctest::Approx(0.9).epsilon(0.01));
  CHECK(a.efficiency.memory(2e4) < 0.2);
}

TEST_CASE("a written profile reads back identically") {
  const MeasuredProfile p = sample_profile();
  const std::string text = measured_profile_json(p);
  const MeasuredProfile q = read_measured_profile(parse_json_text(text, "again.json"));
  CHECK(q.accelerator == p.accelerator);
  CHECK(q.samples.gemm.size() == p.samples.gemm.size());
  CHECK(q.samples.gemm[5].seconds == p.samples.gemm[5].seconds);
  CHECK(q.fitted.gemm.at(hw::DType::bf16).flops_per_second == p.fitted.gemm.at(hw::DType::bf16).flops_per_second);
  CHECK(q.fitted.memory.at("copy").bytes == p.fitted.memory.at("copy").bytes);
  CHECK(q.fitted.launch_overhead_s == p.fitted.launch_overhead_s);
  CHECK(measured_profile_json(q) == text);
  // One sample per line.
  CHECK(text.find("\n      {\"dtype\":\"bf16\",\"m\":16,\"n\":1024,\"k\":1024,\"seconds\":[") != std::string::npos);
}

TEST_CASE("malformed measured profiles are clear errors naming file and pointer") {
  const std::string good = measured_profile_json(sample_profile());
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
  };
  CHECK(error_of(good) == "(no error)");
  CHECK(error_of(replaced("\"seconds\":[", "\"seconds\":[-1.0,")).find("bad.json: /samples/gemm/0/seconds/0") !=
        std::string::npos);
  CHECK(error_of(replaced("\"seconds\":[", "\"secs\":[")).find("seconds") != std::string::npos);
  CHECK(error_of(replaced("\"dtype\":\"bf16\"", "\"dtype\":\"bf17\"")).find("/samples/gemm/0/dtype") != std::string::npos);
  CHECK(error_of(replaced("\"kind\": \"measured_accelerator\"", "\"kind\": \"accelerator\"")).find("/kind") !=
        std::string::npos);
  CHECK(error_of(replaced("\"m\":[16,4096]", "\"m\":[4096,16]")).find("strictly increasing") !=
        std::string::npos);
  CHECK(error_of(replaced("\"m\":[16,4096]", "\"m\":[16,1024,4096]")).find("expected 3 x 2 x 2 = 12 rates, got 8") !=
        std::string::npos);
  CHECK(error_of(replaced("\"seconds\":[", "\"seconds\":[],\"x\":[")).find("empty") != std::string::npos);
  CHECK(error_of(replaced("\"date\"", "\"dat\"")).find("date") != std::string::npos);
  CHECK(error_of("{\"schema_version\": 2}").find("schema_version") != std::string::npos);
}

TEST_CASE("a profile that cannot belong to its accelerator is rejected") {
  hw::HardwareCatalog catalog = [] {
    const TempTree t;
    return load_catalog(t.root);
  }();
  MeasuredProfile p = sample_profile();
  p.file = "x.json";
  p.accelerator = "test-gpu-2";
  CHECK_THROWS_WITH_AS(apply_measured_profile(catalog, p), doctest::Contains("unknown accelerator \"test-gpu-2\" (catalog has: test-gpu)"),
                       InputError);
  p.accelerator = "test-gpu";
  MeasuredProfile fast = p;
  for (double& r : fast.fitted.gemm.at(hw::DType::bf16).flops_per_second) r *= 2;  // 1500 TFLOP/s > 1000 peak
  CHECK_THROWS_WITH_AS(apply_measured_profile(catalog, fast), doctest::Contains("exceeds the 1000.0 TFLOP/s dense peak"),
                       InputError);
  MeasuredProfile fp32 = p;
  fp32.fitted.gemm.emplace(hw::DType::tf32, fp32.fitted.gemm.at(hw::DType::bf16));
  CHECK_THROWS_WITH_AS(apply_measured_profile(catalog, fp32), doctest::Contains("has no tf32 peak"), InputError);
  MeasuredProfile cached = p;
  for (double& r : cached.fitted.memory.at("copy").bytes_per_second) r *= 2;  // 5.4 TB/s: L2, not HBM
  CHECK_THROWS_WITH_AS(apply_measured_profile(catalog, cached), doctest::Contains("hit the cache"), InputError);
  // Within 5% of the peak is accepted and clamped to 1.
  MeasuredProfile near = p;
  auto& rates = near.fitted.gemm.at(hw::DType::bf16).flops_per_second;
  rates.back() = 1040e12;
  apply_measured_profile(catalog, near);
  CHECK(catalog.accelerator("test-gpu").efficiency.gemm_table(hw::DType::bf16).efficiency.back() == 1.0);
}

TEST_CASE("two measured profiles for one accelerator are an error naming both") {
  const TempTree tree;
  const MeasuredProfile p = sample_profile();
  write_measured_profile(tree.root / "measured" / "a.json", p);
  write_measured_profile(tree.root / "measured" / "b.json", p);
  try {
    load_catalog(tree.root);
    FAIL("expected an error");
  } catch (const InputError& e) {
    const std::string what = e.what();
    CHECK(what.find("b.json") != std::string::npos);
    CHECK(what.find("already calibrated by") != std::string::npos);
    CHECK(what.find("a.json") != std::string::npos);
  }
}

TEST_CASE("the shipped catalog loads with or without measured profiles") {
  const hw::HardwareCatalog catalog = load_catalog(kSource / "hardware-profiles");
  CHECK_FALSE(catalog.accelerators.empty());
}
