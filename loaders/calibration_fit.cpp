#include "loaders/calibration_fit.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "sim/core/assert.hpp"
#include "sim/core/error.hpp"
#include "sim/hw/efficiency.hpp"

namespace cs::load {
namespace {

// Linear interpolation between order statistics (the "type 7" quantile of R and NumPy).
double quantile_sorted(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::vector<double> sorted_unique(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

std::size_t position(const std::vector<double>& axis, double x) {
  return static_cast<std::size_t>(std::lower_bound(axis.begin(), axis.end(), x) - axis.begin());
}

class Fitter {
 public:
  explicit Fitter(const std::string& file) : file_(file) {}

  GemmRateTable gemm(hw::DType dtype, const std::vector<const GemmSample*>& samples) const {
    GemmRateTable t;
    std::vector<double> ms, ns, ks;
    for (const auto* s : samples) {
      ms.push_back(s->m);
      ns.push_back(s->n);
      ks.push_back(s->k);
    }
    t.m = sorted_unique(ms);
    t.n = sorted_unique(ns);
    t.k = sorted_unique(ks);
    const std::size_t cells = t.m.size() * t.n.size() * t.k.size();
    std::vector<double> rate(cells, -1.0), weight(cells, 0.0);
    for (const auto* s : samples) {
      const std::size_t i = (position(t.m, s->m) * t.n.size() + position(t.n, s->n)) * t.k.size() + position(t.k, s->k);
      if (rate[i] >= 0) {
        throw InputError(file_, "/samples/gemm",
                         fmt::format("{} GEMM M={} N={} K={} is measured twice", hw::name(dtype), s->m, s->n, s->k));
      }
      const SampleStats st = summarize(s->seconds, "GEMM samples");
      rate[i] = 2.0 * s->m * s->n * s->k / st.median;
      weight[i] = static_cast<double>(st.count);
    }
    for (std::size_t im = 0; im < t.m.size(); ++im) {
      for (std::size_t in = 0; in < t.n.size(); ++in) {
        for (std::size_t ik = 0; ik < t.k.size(); ++ik) {
          if (rate[(im * t.n.size() + in) * t.k.size() + ik] < 0) {
            throw InputError(file_, "/samples/gemm",
                             fmt::format("{} GEMM samples do not form a full grid: M={} N={} K={} is missing "
                                         "({} M x {} N x {} K values)",
                                         hw::name(dtype), t.m[im], t.n[in], t.k[ik], t.m.size(), t.n.size(),
                                         t.k.size()));
          }
        }
      }
    }
    monotone_along(rate, weight, t.m.size(), t.n.size() * t.k.size());  // M axis
    for (std::size_t im = 0; im < t.m.size(); ++im) {                    // N axis, per M slab
      const std::size_t slab = im * t.n.size() * t.k.size();
      monotone_along_offset(rate, weight, slab, t.n.size(), t.k.size());
    }
    for (std::size_t row = 0; row < t.m.size() * t.n.size(); ++row) {   // K axis, contiguous
      monotone_along_offset(rate, weight, row * t.k.size(), t.k.size(), 1);
    }
    // Times non-decreasing too: a bigger GEMM never takes less time. The rate passes allow
    // it where the rate grows faster than the work (noise among launch-bound shapes); a
    // running maximum of time along each axis keeps the rates non-decreasing along it.
    const std::size_t nn = t.n.size(), nk = t.k.size();
    std::vector<double> time(cells);
    for (std::size_t im = 0; im < t.m.size(); ++im) {
      for (std::size_t in = 0; in < nn; ++in) {
        for (std::size_t ik = 0; ik < nk; ++ik) {
          const std::size_t i = (im * nn + in) * nk + ik;
          time[i] = 2.0 * t.m[im] * t.n[in] * t.k[ik] / rate[i];
          if (im > 0) time[i] = std::max(time[i], time[i - nn * nk]);
        }
      }
    }
    for (std::size_t i = 0; i < cells; ++i) {
      if ((i / nk) % nn > 0) time[i] = std::max(time[i], time[i - nk]);
    }
    for (std::size_t i = 0; i < cells; ++i) {
      if (i % nk > 0) time[i] = std::max(time[i], time[i - 1]);
    }
    for (std::size_t im = 0; im < t.m.size(); ++im) {
      for (std::size_t in = 0; in < nn; ++in) {
        for (std::size_t ik = 0; ik < nk; ++ik) {
          const std::size_t i = (im * nn + in) * nk + ik;
          rate[i] = 2.0 * t.m[im] * t.n[in] * t.k[ik] / time[i];
        }
      }
    }
    t.flops_per_second = std::move(rate);
    return t;
  }

  // A rate curve from (size, bytes moved, stats) points; several points of one size (p2p
  // pairs) are pooled by the median of their medians.
  RateCurve curve(std::map<double, std::vector<double>> seconds_by_bytes, const char* what) const {
    RateCurve c;
    std::vector<double> weights;
    for (auto& [bytes, medians] : seconds_by_bytes) {
      const SampleStats st = summarize(medians, what);
      c.bytes.push_back(bytes);
      c.bytes_per_second.push_back(bytes / st.median);
      weights.push_back(1.0);
    }
    c.bytes_per_second = isotonic_non_decreasing(c.bytes_per_second, weights);
    // Nor may a bigger transfer take less time (see the GEMM table).
    double longest = 0;
    for (std::size_t i = 0; i < c.bytes.size(); ++i) {
      longest = std::max(longest, c.bytes[i] / c.bytes_per_second[i]);
      c.bytes_per_second[i] = c.bytes[i] / longest;
    }
    return c;
  }

 private:
  // Isotonic fit along an axis of length `len` whose consecutive elements are `stride`
  // apart, for every starting offset in [0, stride).
  static void monotone_along(std::vector<double>& v, const std::vector<double>& w, std::size_t len, std::size_t stride) {
    for (std::size_t off = 0; off < stride; ++off) monotone_line(v, w, off, len, stride);
  }
  static void monotone_along_offset(std::vector<double>& v, const std::vector<double>& w, std::size_t base,
                                    std::size_t len, std::size_t stride) {
    for (std::size_t off = 0; off < stride; ++off) monotone_line(v, w, base + off, len, stride);
  }
  static void monotone_line(std::vector<double>& v, const std::vector<double>& w, std::size_t start, std::size_t len,
                            std::size_t stride) {
    std::vector<double> line(len), lw(len);
    for (std::size_t i = 0; i < len; ++i) {
      line[i] = v[start + i * stride];
      lw[i] = w[start + i * stride];
    }
    line = isotonic_non_decreasing(line, lw);
    for (std::size_t i = 0; i < len; ++i) v[start + i * stride] = line[i];
  }

  const std::string& file_;
};

// NCCL's bus bandwidth factor: the bytes each GPU's busiest link carries per buffer byte.
double bus_factor(const std::string& op, int gpus) {
  const double n = gpus;
  if (gpus <= 1) return 1.0;
  return op == "all_reduce" ? 2.0 * (n - 1) / n : (n - 1) / n;
}

}  // namespace

SampleStats summarize(const std::vector<double>& values, const std::string& what) {
  if (values.empty()) throw InputError(what + ": no repetitions to summarise");
  std::vector<double> v = values;
  for (double x : v) {
    if (!std::isfinite(x)) throw InputError(what + ": a repetition is not a finite number");
  }
  std::sort(v.begin(), v.end());
  SampleStats s;
  s.count = v.size();
  s.min = v.front();
  s.max = v.back();
  s.median = quantile_sorted(v, 0.5);
  s.p10 = quantile_sorted(v, 0.1);
  s.p90 = quantile_sorted(v, 0.9);
  s.spread = s.median != 0 ? (s.p90 - s.p10) / s.median : 0.0;
  return s;
}

std::vector<double> isotonic_non_decreasing(const std::vector<double>& values, const std::vector<double>& weights) {
  CS_ASSERT(values.size() == weights.size(), "isotonic_non_decreasing: size mismatch");
  struct Block {
    double mean, weight;
    std::size_t count;
  };
  std::vector<Block> blocks;
  blocks.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    CS_ASSERT(weights[i] > 0, "isotonic_non_decreasing: weights must be positive");
    blocks.push_back({values[i], weights[i], 1});
    // Pool while the last two blocks violate the order.
    while (blocks.size() > 1 && blocks[blocks.size() - 2].mean > blocks.back().mean) {
      Block b = blocks.back();
      blocks.pop_back();
      Block& a = blocks.back();
      const double w = a.weight + b.weight;
      a.mean = (a.mean * a.weight + b.mean * b.weight) / w;
      a.weight = w;
      a.count += b.count;
    }
  }
  std::vector<double> out;
  out.reserve(values.size());
  for (const Block& b : blocks) out.insert(out.end(), b.count, b.mean);
  return out;
}

double gemm_rate(const GemmRateTable& table, double m, double n, double k) {
  hw::GemmTable g{table.m, table.n, table.k, table.flops_per_second};
  return hw::interpolate_gemm(g, m, n, k);
}

FittedTables fit_samples(const RawSamples& samples, const std::string& file) {
  FittedTables f;
  if (!samples.launch_seconds.empty()) f.launch_overhead_s = summarize(samples.launch_seconds, "launch samples").median;
  const Fitter fitter(file);

  std::map<hw::DType, std::vector<const GemmSample*>> by_dtype;
  for (const auto& s : samples.gemm) by_dtype[s.dtype].push_back(&s);
  for (const auto& [dtype, list] : by_dtype) f.gemm.emplace(dtype, fitter.gemm(dtype, list));

  std::map<std::string, std::map<double, std::vector<double>>> memory;
  for (const auto& s : samples.memory) {
    const double moved = s.kernel == "copy" ? 2.0 * s.bytes : s.bytes;
    auto& slot = memory[s.kernel][moved];
    if (!slot.empty()) {
      throw InputError(file, "/samples/memory", fmt::format("{} kernel of {} bytes is measured twice", s.kernel, s.bytes));
    }
    slot.push_back(summarize(s.seconds, "memory samples").median);
  }
  for (auto& [kernel, points] : memory) f.memory.emplace(kernel, fitter.curve(std::move(points), "memory samples"));

  std::map<std::string, std::map<double, std::vector<double>>> transfers;
  for (const auto& s : samples.transfers) {
    transfers[s.kind][s.bytes].push_back(summarize(s.seconds, "transfer samples").median);
  }
  for (auto& [kind, points] : transfers) f.transfers.emplace(kind, fitter.curve(std::move(points), "transfer samples"));

  std::map<std::string, std::map<double, std::vector<double>>> collectives;
  for (const auto& s : samples.collectives) {
    // Bus bandwidth: store the time the same bus traffic would take per buffer byte.
    const double t = summarize(s.seconds, "collective samples").median / bus_factor(s.op, s.gpus);
    collectives[s.op + "@" + std::to_string(s.gpus)][s.bytes].push_back(t);
  }
  for (auto& [op, points] : collectives) f.collectives.emplace(op, fitter.curve(std::move(points), "collective samples"));

  std::vector<double> factors;
  for (const auto& s : samples.attention) {
    const auto it = f.gemm.find(s.dtype);
    if (it == f.gemm.end()) continue;
    // The shape the compute model uses for fused attention (sim/hw/efficiency.cpp).
    const double predicted = gemm_rate(it->second, s.seq * s.batch_heads, std::max(s.head_dim, 64.0), s.seq) *
                             std::min(1.0, std::sqrt(s.head_dim / 128.0));
    const double flops = 4.0 * s.batch_heads * s.seq * s.seq * s.head_dim;
    const double rate = flops / summarize(s.seconds, "attention samples").median;
    factors.push_back(rate / predicted);
  }
  if (!factors.empty()) f.attention_factor_unfused = std::clamp(summarize(factors).median, 1e-3, 1.0);
  return f;
}

}  // namespace cs::load
