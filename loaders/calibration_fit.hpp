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
// Launch overhead is subtracted before rates are formed, because the compute model adds
// it back per kernel: time = work / (peak x efficiency) + launch overhead reproduces the
// measured median by construction (up to the monotone smoothing).
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

struct FitOptions {
  // Rates use max(median - overhead, min_kernel_fraction x median), so a kernel barely
  // longer than an empty launch keeps a finite rate.
  double min_kernel_fraction = 0.1;
  bool subtract_launch_overhead = true;
};

// Fits every table the samples allow: GEMM grids per dtype (samples of one dtype must
// form a full M x N x K grid, else an InputError lists a missing shape), memory and
// transfer curves, launch overhead, the unfused attention factor. `file` names the input
// in error messages.
FittedTables fit_samples(const RawSamples& samples, const std::string& file = "", const FitOptions& options = {});

// Interpolated rate of a fitted GEMM table (log-space trilinear, clamped).
double gemm_rate(const GemmRateTable& table, double m, double n, double k);

}  // namespace cs::load
