#pragma once
// EfficiencyModel: what fraction of its datasheet peaks an accelerator achieves for a
// given operation. Either measured tables (written by the calibration tool) or the
// documented default curves (docs/compute-model.md); results report which.
//
// GEMM compute efficiency, as a function of (M, N, K) and dtype:
//   measured  trilinear interpolation of log efficiency over a grid of (log M, log N,
//             log K), clamped to the grid's range; one grid per measured dtype.
//   default   e_max(dtype) x tiling(M, N) x k_factor(K), where tiling picks the best of a
//             few tile shapes and split-K factors (as cuBLAS heuristics do) by wave
//             quantisation over the device's compute units and padding waste, and
//             k_factor = K / (K + k_half) amortises each tile's prologue and epilogue. k_half
//             is the K whose main loop takes as long as the fixed per-tile cost:
//             k_half = tile_overhead x (peak / compute_units) / (2 x tile_m x tile_n), so a
//             faster unit (FP8 on Hopper) needs a longer K to hide the same fixed cost.
// Memory bandwidth efficiency, as a function of bytes moved by one kernel:
//   measured  piecewise-linear log efficiency in log(bytes), clamped.
//   default   mem_max x bytes / (bytes + mem_half_bytes).
#include <array>
#include <string>
#include <vector>

#include "sim/hw/dtype.hpp"

namespace cs::hw {

// A grid of measured GEMM efficiencies (achieved / dense peak) for one dtype.
struct GemmTable {
  std::vector<double> m, n, k;       // strictly increasing axes, all > 0
  std::vector<double> efficiency;    // size m*n*k, index ((im * n.size()) + in) * k.size() + ik
  bool empty() const { return efficiency.empty(); }
  double at(std::size_t im, std::size_t in, std::size_t ik) const {
    return efficiency[(im * n.size() + in) * k.size() + ik];
  }
};

// Achieved fraction of the memory bandwidth as a function of the bytes a kernel moves.
struct BandwidthTable {
  std::vector<double> bytes;       // strictly increasing, > 0
  std::vector<double> efficiency;  // same size
  bool empty() const { return bytes.empty(); }
};

struct DefaultCurves {
  // Largest fraction of the dense peak a large GEMM reaches, per dtype (0 = use `gemm_max`).
  std::array<double, kDTypeCount> gemm_max_by_dtype{};
  double gemm_max = 0.75;
  // Fixed time per output tile (first loads in, results out), seconds. Fitted to the H100
  // FP8 cuBLASLt table (docs/compute-model.md).
  double tile_overhead_s = 1.4e-6;
  // > 0: a fixed k_half for every tile, overriding tile_overhead_s. 0: derived from it.
  double k_half = 0.0;
  double mem_max = 0.89;            // asymptotic fraction of HBM bandwidth (H100 STREAM kernels)
  double mem_half_bytes = 2.0e6;    // kernel size reaching half of mem_max
  double attention_factor = 0.60;   // fused attention vs GEMM efficiency at the same shape
  std::string basis;                // free text: which published figures set these numbers
};

class EfficiencyModel {
 public:
  // Efficiency of a GEMM (M x K) * (K x N) on `compute_units` units, in (0, 1].
  // `peak_flops` is the device's peak for this dtype (sets k_half from tile_overhead_s);
  // 0 = unknown, which uses kFallbackKHalf.
  double gemm(DType dtype, double m, double n, double k, int compute_units, double peak_flops = 0.0) const;
  // Efficiency of fused attention with the given per-head GEMM shapes.
  double attention(DType dtype, double q_len, double kv_len, double head_dim, double batch_heads,
                   int compute_units, double peak_flops = 0.0) const;
  double memory(double bytes) const;

  bool gemm_measured(DType dtype) const { return !gemm_tables_[index(dtype)].empty(); }
  bool memory_measured() const { return !bandwidth_.empty(); }
  bool any_measured() const;
  // "measured (<file>)" or "default curves".
  std::string describe() const;

  DefaultCurves& defaults() { return defaults_; }
  const DefaultCurves& defaults() const { return defaults_; }
  void set_gemm_table(DType dtype, GemmTable table);
  void set_bandwidth_table(BandwidthTable table);
  const GemmTable& gemm_table(DType dtype) const { return gemm_tables_[index(dtype)]; }
  const BandwidthTable& bandwidth_table() const { return bandwidth_; }
  void set_measured_source(std::string file) { measured_source_ = std::move(file); }
  const std::string& measured_source() const { return measured_source_; }

  double default_gemm(DType dtype, double m, double n, double k, int compute_units, double peak_flops = 0.0) const;
  // The k_half a tile of tile_m x tile_n uses on this device (see the header comment).
  double k_half(double tile_m, double tile_n, int compute_units, double peak_flops) const;
  static constexpr double kFallbackKHalf = 128.0;
  double default_memory(double bytes) const;

 private:
  DefaultCurves defaults_;
  std::array<GemmTable, kDTypeCount> gemm_tables_{};
  BandwidthTable bandwidth_;
  std::string measured_source_;
};

// Piecewise-linear interpolation of ys over log(xs) at log(x), clamped at both ends.
double interpolate_log(const std::vector<double>& xs, const std::vector<double>& ys, double x);
// Trilinear interpolation of a GEMM table in log space, clamped to its range.
double interpolate_gemm(const GemmTable& t, double m, double n, double k);

}  // namespace cs::hw
