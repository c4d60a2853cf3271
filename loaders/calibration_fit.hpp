#pragma once
// Fitting calibration samples into tables (docs/calibration.md, "How samples become tables").
//
// Every benchmark configuration is timed several times; its time is the median of the
// repetitions (robust to the odd preempted run), and its spread the relative width of the
// 10th-90th percentile band. Rates are then made monotone non-decreasing along each axis
// by weighted isotonic regression (pool adjacent violators): a bigger GEMM or transfer
// never runs at a lower rate on real hardware once caches are defeated, so a dip is noise.
// Sequential passes along M, then N, then K give a table monotone in all three axes,
// because isotonic regression preserves pointwise order between rows.
//
// Rates are work / median time, with the per-kernel fixed cost left in: the benchmarks time
// kernels launched back to back, where the host's launch interval overlaps the previous
// kernel's execution, so a time is max(launch interval, execution + gap), not their sum.
// Subtracting the empty-kernel launch time (as a first version did) turned kernels close
// to that interval into near-infinite rates, which the monotone smoothing then spread to
// every larger size (an H200 copy curve came out at 5.2 TB/s against a 4.8 TB/s peak). The
// compute model therefore adds no launch overhead to an op whose rate is measured.
#include <string>
#include <vector>

#include "loaders/calibration_profile.hpp"

namespace cs::load {

struct SampleStats {
  std::size_t count = 0;
  double median = 0;
  double p10 = 0, p90 = 0;
  double min = 0, max = 0;
  double spread = 0;  // (p90 - p10) / median
};

// Statistics of one configuration's repetitions; `values` must be non-empty and finite
// (the profile reader guarantees it; an empty list is an InputError naming `what`).
SampleStats summarize(const std::vector<double>& values, const std::string& what = "samples");

// Weighted least-squares non-decreasing fit of `values` (pool adjacent violators).
// Weights must be positive; sizes must match.
std::vector<double> isotonic_non_decreasing(const std::vector<double>& values, const std::vector<double>& weights);

// Fits every table the samples allow: GEMM grids per dtype (samples of one dtype must
// form a full M x N x K grid, else an InputError lists a missing shape), memory and
// transfer curves, launch overhead, the unfused attention factor. `file` names the input
// in error messages.
FittedTables fit_samples(const RawSamples& samples, const std::string& file = "");

// Interpolated rate of a fitted GEMM table (log-space trilinear, clamped).
double gemm_rate(const GemmRateTable& table, double m, double n, double k);

}  // namespace cs::load
