#pragma once
// AcceleratorSpec: one accelerator (GPU, TPU chip) as its datasheet and measurements
// describe it. Plain data; all rates in base units (FLOP/s, bytes/s, W, s).
#include <array>
#include <string>
#include <vector>

#include "sim/hw/dtype.hpp"
#include "sim/hw/efficiency.hpp"
#include "sim/hw/provenance.hpp"

namespace cs::hw {

struct ScaleUpLink {
  std::string technology;           // "nvlink3", "nvlink4", "nvlink5", "ici", "infinity-fabric", "none"
  int links = 0;                    // physical links per accelerator
  double bandwidth_per_direction = 0.0;  // bytes/s per accelerator, all links together, one direction
};

struct HostLink {
  std::string technology = "pcie";  // "pcie" or "nvlink-c2c" (Grace-Blackwell)
  int pcie_gen = 0;
  int lanes = 16;
  double bandwidth_per_direction = 0.0;  // bytes/s
};

struct AcceleratorSpec {
  std::string name;          // catalog key, e.g. "h100-sxm"
  std::string display_name;  // "NVIDIA H100 SXM5 80GB"
  std::string vendor;        // "nvidia", "amd", "google"
  std::string architecture;  // "hopper"
  std::string kind = "gpu";  // "gpu" or "tpu"

  // Dense peak throughput per dtype (FLOP/s or OP/s); 0 = the format is not supported.
  std::array<double, kDTypeCount> peak_dense{};
  // 2:4 structured sparsity doubles the tensor peaks, only when a scenario asks for it.
  bool supports_sparsity = false;
  int compute_units = 0;  // SMs / CUs / TensorCores: the wave-quantisation granularity

  double memory_bytes = 0.0;
  double memory_bandwidth = 0.0;  // bytes/s
  std::string memory_type;        // "HBM3"
  double l2_bytes = 0.0;          // last-level on-chip cache / SRAM

  double tdp_watts = 0.0;
  double idle_watts = 0.0;

  ScaleUpLink scale_up;
  HostLink host_link;

  double kernel_launch_overhead_s = 0.0;  // per kernel, as seen back to back on one stream
  EfficiencyModel efficiency;              // default curves or measured tables

  Price purchase;     // USD per accelerator
  Price cloud_hourly; // USD per accelerator-hour

  std::vector<Source> sources;
  Confidence confidence = Confidence::medium;
  std::string notes;
  std::string profile_file;  // where it was loaded from

  double peak(DType d, bool sparse = false) const {
    const double p = peak_dense[index(d)];
    return (sparse && supports_sparsity && d != DType::fp64 && d != DType::fp32) ? 2.0 * p : p;
  }
  bool supports(DType d) const { return peak_dense[index(d)] > 0.0; }
};

}  // namespace cs::hw
