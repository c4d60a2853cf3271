#include "sim/hw/efficiency.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/assert.hpp"

namespace cs::hw {
namespace {

struct TileShape {
  double m, n;
  double relative;  // per-unit efficiency of this tile shape vs the largest
};

// Tile shapes a GEMM library chooses between: big tiles are the most efficient per unit,
// small ones fill the machine for small problems.
constexpr std::array<TileShape, 5> kTiles{{{256, 128, 1.00}, {128, 256, 1.00}, {128, 128, 0.93},
                                           {128, 64, 0.82}, {64, 64, 0.66}}};
constexpr std::array<double, 5> kSplits{1, 2, 4, 8, 16};

// Segment index and fraction for x on a strictly increasing axis, in log space, clamped.
std::pair<std::size_t, double> locate_log(const std::vector<double>& axis, double x) {
  CS_ASSERT(!axis.empty(), "interpolate: empty axis");
  if (axis.size() == 1 || x <= axis.front()) return {0, 0.0};
  if (x >= axis.back()) return {axis.size() - 2, 1.0};
  const auto it = std::upper_bound(axis.begin(), axis.end(), x);
  const auto hi = static_cast<std::size_t>(it - axis.begin());
  const std::size_t lo = hi - 1;
  const double t = (std::log(x) - std::log(axis[lo])) / (std::log(axis[hi]) - std::log(axis[lo]));
  return {lo, t};
}

// Interpolation between two positive rates in log space. A rate that grows in proportion
// to the work (a launch-bound kernel) then interpolates to a constant time; linear
// interpolation of the rate would make times dip between grid points.
double geometric_lerp(double a, double b, double t) {
  CS_ASSERT(a > 0 && b > 0, "interpolate: rates must be positive");
  return a * std::pow(b / a, t);
}

}  // namespace

double interpolate_log(const std::vector<double>& xs, const std::vector<double>& ys, double x) {
  CS_ASSERT(xs.size() == ys.size() && !xs.empty(), "interpolate_log: mismatched table");
  if (xs.size() == 1) return ys[0];
  const auto [i, t] = locate_log(xs, x);
  return geometric_lerp(ys[i], ys[i + 1], t);
}

double interpolate_gemm(const GemmTable& g, double m, double n, double k) {
  CS_ASSERT(g.efficiency.size() == g.m.size() * g.n.size() * g.k.size(), "interpolate_gemm: bad table");
  const auto [im, tm] = locate_log(g.m, m);
  const auto [in, tn] = locate_log(g.n, n);
  const auto [ik, tk] = locate_log(g.k, k);
  const std::size_t im1 = std::min(im + 1, g.m.size() - 1);
  const std::size_t in1 = std::min(in + 1, g.n.size() - 1);
  const std::size_t ik1 = std::min(ik + 1, g.k.size() - 1);
  const auto lerp = geometric_lerp;
  const double c00 = lerp(g.at(im, in, ik), g.at(im1, in, ik), tm);
  const double c01 = lerp(g.at(im, in, ik1), g.at(im1, in, ik1), tm);
  const double c10 = lerp(g.at(im, in1, ik), g.at(im1, in1, ik), tm);
  const double c11 = lerp(g.at(im, in1, ik1), g.at(im1, in1, ik1), tm);
  return lerp(lerp(c00, c10, tn), lerp(c01, c11, tn), tk);
}

void EfficiencyModel::set_gemm_table(DType dtype, GemmTable table) {
  CS_ASSERT(table.efficiency.size() == table.m.size() * table.n.size() * table.k.size(),
            "set_gemm_table: grid size mismatch");
  gemm_tables_[index(dtype)] = std::move(table);
}

void EfficiencyModel::set_bandwidth_table(BandwidthTable table) {
  CS_ASSERT(table.bytes.size() == table.efficiency.size(), "set_bandwidth_table: size mismatch");
  bandwidth_ = std::move(table);
}

bool EfficiencyModel::any_measured() const {
  if (!bandwidth_.empty()) return true;
  return std::any_of(gemm_tables_.begin(), gemm_tables_.end(), [](const GemmTable& t) { return !t.empty(); });
}

std::string EfficiencyModel::describe() const {
  if (!any_measured()) return "default curves";
  return "measured (" + (measured_source_.empty() ? std::string("calibration tables") : measured_source_) + ")";
}

double EfficiencyModel::k_half(double tile_m, double tile_n, int compute_units, double peak_flops) const {
  if (defaults_.k_half > 0.0) return defaults_.k_half;
  if (peak_flops <= 0.0 || compute_units <= 0) return kFallbackKHalf;
  return defaults_.tile_overhead_s * (peak_flops / compute_units) / (2.0 * tile_m * tile_n);
}

double EfficiencyModel::default_gemm(DType dtype, double m, double n, double k, int compute_units,
                                     double peak_flops) const {
  const double units = compute_units > 0 ? compute_units : 100.0;
  const double e_max = defaults_.gemm_max_by_dtype[index(dtype)] > 0.0 ? defaults_.gemm_max_by_dtype[index(dtype)]
                                                                       : defaults_.gemm_max;
  double best = 0.0;
  for (const auto& tile : kTiles) {
    const double tiles_m = std::ceil(m / tile.m);
    const double tiles_n = std::ceil(n / tile.n);
    const double padding = (m / (tiles_m * tile.m)) * (n / (tiles_n * tile.n));
    const double k_half_tile = k_half(tile.m, tile.n, compute_units, peak_flops);
    // Every split is a candidate at every K: the set of choices never depends on the shape,
    // so the best time stays monotone in M, N and K.
    for (double split : kSplits) {
      const double tiles = tiles_m * tiles_n * split;
      const double waves = std::ceil(tiles / units);
      const double wave_eff = tiles / (waves * units);
      const double k_part = k / split;
      const double k_eff = k_part / (k_part + k_half_tile);
      // Split-K adds a reduction pass over split partial outputs.
      const double split_cost = 1.0 / (1.0 + 0.04 * (split - 1));
      best = std::max(best, tile.relative * wave_eff * padding * k_eff * split_cost);
    }
  }
  return std::clamp(e_max * best, 1e-4, 1.0);
}

double EfficiencyModel::default_memory(double bytes) const {
  if (bytes <= 0.0) return defaults_.mem_max;
  return std::max(1e-4, defaults_.mem_max * bytes / (bytes + defaults_.mem_half_bytes));
}

double EfficiencyModel::gemm(DType dtype, double m, double n, double k, int compute_units, double peak_flops) const {
  CS_ASSERT(m > 0 && n > 0 && k > 0, "EfficiencyModel::gemm: empty GEMM");
  const GemmTable& t = gemm_tables_[index(dtype)];
  if (!t.empty()) return std::clamp(interpolate_gemm(t, m, n, k), 1e-4, 1.0);
  return default_gemm(dtype, m, n, k, compute_units, peak_flops);
}

double EfficiencyModel::attention(DType dtype, double q_len, double kv_len, double head_dim, double batch_heads,
                                  int compute_units, double peak_flops) const {
  // Fused attention runs one tile per (batch x head, 128-query block) and loops over the
  // keys: the same wave and loop-length effects as a GEMM with M = q_len x batch_heads,
  // N = head_dim, K = kv_len, scaled by how far fused kernels fall behind plain GEMMs.
  const double m = std::max(1.0, q_len) * std::max(1.0, batch_heads);
  const double base = gemm(dtype, m, std::max(head_dim, 64.0), std::max(1.0, kv_len), compute_units, peak_flops);
  const double head_factor = std::min(1.0, std::sqrt(head_dim / 128.0));
  return std::clamp(base * defaults_.attention_factor * head_factor, 1e-4, 1.0);
}

double EfficiencyModel::memory(double bytes) const {
  if (!bandwidth_.empty()) {
    return std::clamp(interpolate_log(bandwidth_.bytes, bandwidth_.efficiency, std::max(bytes, 1.0)), 1e-4, 1.0);
  }
  return default_memory(bytes);
}

}  // namespace cs::hw
