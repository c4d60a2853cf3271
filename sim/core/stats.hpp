#pragma once
// Statistics helpers for components and reports.
//
//   Counter          a monotone count
//   RunningStats     count, mean, variance (Welford), min, max of samples
//   TimeWeighted     the time average of a piecewise-constant signal (queue length, KV use)
//   QuantileSketch   streaming quantiles with bounded memory and a guaranteed relative
//                    error on the returned value (DDSketch-style log buckets)
#include <cstdint>
#include <vector>

#include "sim/core/time.hpp"

namespace cs::sim {

class Counter {
 public:
  void add(std::uint64_t n = 1) { value_ += n; }
  std::uint64_t value() const { return value_; }

 private:
  std::uint64_t value_ = 0;
};

class RunningStats {
 public:
  void add(double x);
  void merge(const RunningStats& other);
  std::uint64_t count() const { return n_; }
  double mean() const { return n_ ? mean_ : 0.0; }
  double variance() const { return n_ > 1 ? m2_ / static_cast<double>(n_ - 1) : 0.0; }
  double stddev() const;
  double min() const { return n_ ? min_ : 0.0; }
  double max() const { return n_ ? max_ : 0.0; }
  double sum() const { return mean_ * static_cast<double>(n_); }

 private:
  std::uint64_t n_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
  double min_ = 0.0;
  double max_ = 0.0;
};

// Integrates value x time between updates. Starts at value 0 at time `start`.
class TimeWeighted {
 public:
  explicit TimeWeighted(SimTime start = SimTime::zero()) : last_(start), start_(start) {}
  void set(SimTime now, double value);
  void add(SimTime now, double delta) { set(now, value_ + delta); }
  double current() const { return value_; }
  double max() const { return max_; }
  // Mean over [start, now]; the current value when no time has passed.
  double mean(SimTime now) const;

 private:
  double value_ = 0.0;
  double max_ = 0.0;
  double integral_ = 0.0;  // value x nanoseconds
  SimTime last_;
  SimTime start_;
};

// Quantiles of non-negative samples. The value returned for any quantile is within a
// relative error `relative_accuracy` of a sample whose rank is that quantile's rank (the
// DDSketch guarantee), as long as no more than `max_buckets` distinct log-buckets are in use
// (about 4,600 cover 1 ns to 1e6 s at 0.5%); beyond that the lowest buckets merge, which
// only affects the lowest quantiles. Memory: at most max_buckets counters.
class QuantileSketch {
 public:
  explicit QuantileSketch(double relative_accuracy = 0.005, std::size_t max_buckets = 8192);

  void add(double x);
  void merge(const QuantileSketch& other);

  std::uint64_t count() const { return count_; }
  double min() const { return count_ ? min_ : 0.0; }
  double max() const { return count_ ? max_ : 0.0; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  // q in [0, 1]; 0 when empty.
  double quantile(double q) const;
  std::size_t buckets_in_use() const { return counts_.size(); }

 private:
  int index_of(double x) const;
  double value_of(int index) const;
  void ensure_range(int index);

  double gamma_;
  double log_gamma_;
  std::size_t max_buckets_;
  std::vector<std::uint64_t> counts_;  // counts_[i] is bucket offset_ + i
  int offset_ = 0;
  std::uint64_t zeros_ = 0;
  std::uint64_t count_ = 0;
  double sum_ = 0.0;
  double min_ = 0.0;
  double max_ = 0.0;
};

}  // namespace cs::sim
