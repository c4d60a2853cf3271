#pragma once
// Measured profiles: what the calibration tool (calibration/, docs/calibration.md) writes
// after timing one real GPU, and what clustersim reads back to replace an accelerator's
// default efficiency curves by measured tables.
//
// A measured profile lives in hardware-profiles/measured/<name>.json and names the catalog
// accelerator it calibrates ("accelerator": "h100-sxm"). It holds:
//   device   what was measured (GPU name, compute capability, SMs, clocks, driver, CUDA)
//   tool     how (quick/full run, warm-up and repetitions)
//   samples  the raw per-repetition times, in seconds, of every benchmark
//   fitted   tables fitted from the samples (loaders/calibration_fit.hpp): achieved rates,
//            not efficiencies, so a profile stays valid when a catalog peak is revised.
// apply_measured_profile() turns the rates into the accelerator's EfficiencyModel tables by
// dividing by the catalog's dense peaks and memory bandwidth.
//
// Reading is strict (unknown keys, wrong types, ragged or non-increasing tables are
// InputErrors naming file and JSON pointer), like every other profile.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loaders/json_reader.hpp"
#include "sim/hw/catalog.hpp"
#include "sim/hw/dtype.hpp"

namespace cs::load {

inline constexpr int kMeasuredSchemaVersion = 1;
inline constexpr std::string_view kMeasuredKind = "measured_accelerator";

// ---- raw samples: one entry per configuration, `seconds` = one time per repetition ----

struct GemmSample {
  hw::DType dtype = hw::DType::bf16;
  double m = 0, n = 0, k = 0;  // (M x K) * (K x N)
  std::vector<double> seconds;  // per GEMM call
};

struct MemorySample {
  std::string kernel;  // "copy" (reads and writes `bytes` each) or "read" (reads `bytes`)
  double bytes = 0;    // buffer size
  std::vector<double> seconds;  // per kernel
};

struct TransferSample {
  std::string kind;  // "h2d", "d2h" (pinned host memory) or "p2p" (device to device)
  int src = 0, dst = 0;  // device ordinals for p2p; 0 otherwise
  double bytes = 0;
  std::vector<double> seconds;
};

struct AttentionSample {
  hw::DType dtype = hw::DType::bf16;
  double batch_heads = 0, seq = 0, head_dim = 0;  // non-causal, q_len = kv_len = seq
  std::vector<double> seconds;  // QK^T + softmax + PV, per call
};

struct CollectiveSample {
  std::string op;  // "all_reduce", "all_gather", "reduce_scatter"
  int gpus = 0;
  double bytes = 0;  // buffer size per GPU (NCCL's "size")
  std::vector<double> seconds;
};

struct RawSamples {
  std::vector<GemmSample> gemm;
  std::vector<MemorySample> memory;
  std::vector<double> launch_seconds;  // per launch of an empty kernel, back to back
  std::vector<TransferSample> transfers;
  std::vector<AttentionSample> attention;
  std::vector<CollectiveSample> collectives;
};

// ---- fitted tables ----

// Achieved GEMM rate (FLOP/s, launch overhead excluded) on a full (M, N, K) grid, with the
// same layout as hw::GemmTable.
struct GemmRateTable {
  std::vector<double> m, n, k;
  std::vector<double> flops_per_second;  // index ((im * n.size()) + in) * k.size() + ik
};

// Achieved rate (bytes/s) as a function of size, strictly increasing sizes.
struct RateCurve {
  std::vector<double> bytes;
  std::vector<double> bytes_per_second;
  bool empty() const { return bytes.empty(); }
};

struct FittedTables {
  std::map<hw::DType, GemmRateTable> gemm;
  // Memory: bytes moved (read + written) by one kernel -> achieved bytes/s, per kernel kind.
  std::map<std::string, RateCurve> memory;  // "copy" is applied, "read" is for reference
  double launch_overhead_s = 0;             // 0 = not measured
  std::map<std::string, RateCurve> transfers;    // "h2d", "d2h", "p2p"
  std::map<std::string, RateCurve> collectives;  // NCCL bus bandwidth per op
  // Unfused attention (batched GEMM + softmax) rate over the GEMM-table prediction for the
  // shape the compute model uses for fused attention; recorded, not applied (fused kernels
  // are faster, docs/calibration.md).
  std::optional<double> attention_factor_unfused;
};

struct DeviceInfo {
  std::string name;                // "NVIDIA H100 80GB HBM3"
  std::string compute_capability;  // "9.0"
  int sm_count = 0;
  int gpu_count = 1;
  double memory_bytes = 0;
  double l2_bytes = 0;
  double sm_clock_hz = 0;      // 0 = not readable
  double memory_clock_hz = 0;  // 0 = not readable
  std::string driver;          // e.g. "550.54.15" or "" when not readable
  std::string cuda_driver;     // CUDA version the driver supports, "12.4"
  std::string cuda_runtime;    // CUDA runtime the tool was built with, "13.0"
};

struct ToolInfo {
  std::string name = "clustersim-calibrate";
  std::string version;
  std::string mode;  // "quick" or "full"
  int warmup = 0;
  int repetitions = 0;
  double elapsed_s = 0;  // wall time of the whole run
};

struct MeasuredProfile {
  std::string file;         // where it was read from, for messages ("" when built in memory)
  std::string accelerator;  // catalog name it calibrates
  std::string date;         // ISO 8601 UTC
  std::string notes;
  DeviceInfo device;
  ToolInfo tool;
  RawSamples samples;
  FittedTables fitted;
};

// Strict reader of one measured profile document.
MeasuredProfile read_measured_profile(const Document& doc);
MeasuredProfile read_measured_profile_file(const std::filesystem::path& path);

// The profile as JSON text (stable key order; each sample on one line), and written
// atomically (temporary file, then rename).
std::string measured_profile_json(const MeasuredProfile& profile);
void write_measured_profile(const std::filesystem::path& path, const MeasuredProfile& profile);

// Replaces the named accelerator's efficiency tables and kernel launch overhead by the
// profile's measurements. GEMM rates become efficiencies against the catalog's dense peak
// (clamped to 1; a rate more than 5% above the peak is an InputError, since it means the
// profile names the wrong accelerator); memory rates against its bandwidth. Unknown
// accelerator names are InputErrors listing the catalog.
void apply_measured_profile(hw::HardwareCatalog& catalog, const MeasuredProfile& profile);

// Applies every *.json in `measured_dir` (non-recursive; missing folder = nothing to do).
// Two profiles for the same accelerator are an InputError naming both files.
void apply_calibration(hw::HardwareCatalog& catalog, const std::filesystem::path& measured_dir);

}  // namespace cs::load
