#pragma once
// The boundary between the CUDA measurement code (*.cu, compiled by nvcc) and the host
// program (main.cpp, compiled by the C++ compiler, which fits and writes the profile).
// Only standard types cross it, so nvcc never parses the loaders' JSON headers.
//
// Every measurement follows one protocol: `warmup` untimed runs, then `repetitions` timed
// repetitions, each bracketing `inner` back-to-back runs between two CUDA events on one
// stream (inner is chosen so a repetition lasts at least `min_rep_seconds`, amortising
// event resolution). One sample = elapsed / inner, in seconds. Buffers rotate through
// an arena larger than the L2 cache, so each run reads memory, not cache.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cs::calib {

struct Plan {
  bool quick = true;
  int device = 0;
  int warmup = 3;
  int repetitions = 10;
  double min_rep_seconds = 1e-3;
  std::vector<std::string> dtypes{"bf16", "fp16", "tf32", "fp8"};
  bool attention = true;
  bool transfers = true;
  bool multi_gpu = true;
  std::function<void(const std::string&)> log;  // progress lines (may be empty)
};

struct DeviceQuery {
  std::string name;
  int major = 0, minor = 0;
  int sm_count = 0;
  int gpu_count = 1;
  double memory_bytes = 0;
  double l2_bytes = 0;
  double sm_clock_hz = 0;      // peak, from the device attributes
  double memory_clock_hz = 0;  // peak
  std::string driver;          // kernel module version from /proc/driver/nvidia/version
  int cuda_driver_version = 0;   // 12040 = 12.4
  int cuda_runtime_version = 0;
};

struct GemmPoint {
  std::string dtype;
  std::int64_t m = 0, n = 0, k = 0;
  std::vector<double> seconds;
};

struct SizePoint {
  std::string kind;  // memory: "copy"/"read"; transfers: "h2d"/"d2h"/"p2p"; collectives: op name
  int src = 0, dst = 0, gpus = 0;
  double bytes = 0;
  std::vector<double> seconds;
};

struct AttentionPoint {
  std::string dtype;
  std::int64_t batch_heads = 0, seq = 0, head_dim = 0;
  std::vector<double> seconds;
};

// ---- what a run measures (plan.cpp: host code, tested without a GPU) ----

struct AttentionShape {
  std::int64_t batch_heads = 0, seq = 0, head_dim = 0;
};
inline constexpr double kMaxScoreElements = 2147483648.0;  // 4 GiB of BF16 attention scores

// Sizes from `lo` to `hi` (inclusive when reached), multiplying by `step`.
std::vector<double> geometric(double lo, double hi, double step);
// The GEMM grid (M, N, K axes) a plan measures for one dtype.
void gemm_axes(const Plan& plan, const std::string& dtype, std::vector<std::int64_t>& m, std::vector<std::int64_t>& n,
               std::vector<std::int64_t>& k);
// Buffer sizes of the memory kernels and host copies, capped by a quarter of `free_bytes`.
std::vector<double> memory_sizes(const Plan& plan, double free_bytes);
std::vector<double> host_sizes(const Plan& plan, double free_bytes);
// Peer-to-peer and collective sizes.
std::vector<double> multi_gpu_sizes(const Plan& plan);
std::vector<AttentionShape> attention_shapes(const Plan& plan);

// Configurations a run times, per benchmark.
struct PlanSize {
  std::size_t gemm = 0, memory = 0, launch = 0, transfers = 0, attention = 0, peer = 0, collectives = 0;
  std::size_t total() const { return gemm + memory + launch + transfers + attention + peer + collectives; }
};
PlanSize plan_size(const Plan& plan, double free_bytes, int gpus, bool fp8, bool nccl);

// ---- measuring (the *.cu files) ----

// Throws std::runtime_error on CUDA errors. No GPU: query_device throws with the reason.
DeviceQuery query_device(int device);
// True when the device has tensor cores for `dtype` ("fp8" needs compute capability 8.9).
bool dtype_supported(const DeviceQuery& dev, const std::string& dtype);

std::vector<GemmPoint> measure_gemm(const Plan& plan, const DeviceQuery& dev, const std::string& dtype);
std::vector<SizePoint> measure_memory(const Plan& plan, const DeviceQuery& dev);
std::vector<double> measure_launch(const Plan& plan);
std::vector<SizePoint> measure_host_transfers(const Plan& plan);
std::vector<AttentionPoint> measure_attention(const Plan& plan, const DeviceQuery& dev);
std::vector<SizePoint> measure_peer(const Plan& plan, const DeviceQuery& dev);
// Empty when the tool was built without NCCL or there is one GPU.
std::vector<SizePoint> measure_collectives(const Plan& plan, const DeviceQuery& dev);
bool built_with_nccl();

}  // namespace cs::calib
