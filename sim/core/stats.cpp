#include "sim/core/stats.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/assert.hpp"

namespace cs::sim {

void RunningStats::add(double x) {
  if (n_ == 0) {
    min_ = max_ = x;
  } else {
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }
  ++n_;
  const double d = x - mean_;
  mean_ += d / static_cast<double>(n_);
  m2_ += d * (x - mean_);
}

void RunningStats::merge(const RunningStats& o) {
  if (o.n_ == 0) return;
  if (n_ == 0) {
    *this = o;
    return;
  }
  const double n = static_cast<double>(n_ + o.n_);
  const double d = o.mean_ - mean_;
  mean_ += d * static_cast<double>(o.n_) / n;
  m2_ += o.m2_ + d * d * static_cast<double>(n_) * static_cast<double>(o.n_) / n;
  n_ += o.n_;
  min_ = std::min(min_, o.min_);
  max_ = std::max(max_, o.max_);
}

double RunningStats::stddev() const { return std::sqrt(variance()); }

void TimeWeighted::set(SimTime now, double value) {
  CS_DEBUG_ASSERT(now >= last_, "TimeWeighted::set: time went backwards");
  integral_ += value_ * static_cast<double>((now - last_).ns());
  last_ = now;
  value_ = value;
  max_ = std::max(max_, value);
}

double TimeWeighted::mean(SimTime now) const {
  const double span = static_cast<double>((now - start_).ns());
  if (span <= 0.0) return value_;
  const double total = integral_ + value_ * static_cast<double>((now - last_).ns());
  return total / span;
}

QuantileSketch::QuantileSketch(double relative_accuracy, std::size_t max_buckets)
    : gamma_((1.0 + relative_accuracy) / (1.0 - relative_accuracy)),
      log_gamma_(std::log(gamma_)),
      max_buckets_(max_buckets) {
  CS_ASSERT(relative_accuracy > 0.0 && relative_accuracy < 1.0,
            "QuantileSketch: relative accuracy must lie in (0, 1)");
  CS_ASSERT(max_buckets >= 16, "QuantileSketch: too few buckets");
}

int QuantileSketch::index_of(double x) const {
  return static_cast<int>(std::ceil(std::log(x) / log_gamma_));
}

double QuantileSketch::value_of(int index) const {
  // Midpoint (in relative terms) of (gamma^(i-1), gamma^i].
  return 2.0 * std::pow(gamma_, index) / (gamma_ + 1.0);
}

void QuantileSketch::ensure_range(int index) {
  if (counts_.empty()) {
    offset_ = index;
    counts_.assign(1, 0);
    return;
  }
  if (index < offset_) {
    const auto grow = static_cast<std::size_t>(offset_ - index);
    counts_.insert(counts_.begin(), grow, 0);
    offset_ = index;
  } else if (index >= offset_ + static_cast<int>(counts_.size())) {
    counts_.resize(static_cast<std::size_t>(index - offset_) + 1, 0);
  }
  if (counts_.size() > max_buckets_) {
    // Fold the lowest buckets into the lowest one kept.
    const std::size_t excess = counts_.size() - max_buckets_;
    std::uint64_t folded = 0;
    for (std::size_t i = 0; i <= excess; ++i) folded += counts_[i];
    counts_.erase(counts_.begin(), counts_.begin() + static_cast<std::ptrdiff_t>(excess));
    counts_[0] = folded;
    offset_ += static_cast<int>(excess);
  }
}

void QuantileSketch::add(double x) {
  CS_ASSERT(x >= 0.0 && std::isfinite(x), "QuantileSketch::add: sample must be finite and >= 0");
  if (count_ == 0) {
    min_ = max_ = x;
  } else {
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }
  ++count_;
  sum_ += x;
  if (x <= 0.0) {
    ++zeros_;
    return;
  }
  const int i = index_of(x);
  ensure_range(i);
  // A fold may have moved the lowest buckets up; clamp the index into range.
  const int slot = std::max(i, offset_) - offset_;
  ++counts_[static_cast<std::size_t>(slot)];
}

void QuantileSketch::merge(const QuantileSketch& o) {
  CS_ASSERT(o.gamma_ == gamma_, "QuantileSketch::merge: sketches differ in accuracy");
  if (o.count_ == 0) return;
  if (count_ == 0) {
    min_ = o.min_;
    max_ = o.max_;
  } else {
    min_ = std::min(min_, o.min_);
    max_ = std::max(max_, o.max_);
  }
  count_ += o.count_;
  sum_ += o.sum_;
  zeros_ += o.zeros_;
  if (o.counts_.empty()) return;
  ensure_range(o.offset_);
  ensure_range(o.offset_ + static_cast<int>(o.counts_.size()) - 1);
  for (std::size_t k = 0; k < o.counts_.size(); ++k) {
    const int idx = std::max(o.offset_ + static_cast<int>(k), offset_);
    counts_[static_cast<std::size_t>(idx - offset_)] += o.counts_[k];
  }
}

double QuantileSketch::quantile(double q) const {
  if (count_ == 0) return 0.0;
  q = std::clamp(q, 0.0, 1.0);
  if (q == 0.0) return min_;
  if (q == 1.0) return max_;
  const double rank = q * static_cast<double>(count_ - 1);
  auto seen = static_cast<double>(zeros_);
  if (rank < seen) return 0.0;
  for (std::size_t k = 0; k < counts_.size(); ++k) {
    seen += static_cast<double>(counts_[k]);
    if (rank < seen) {
      return std::clamp(value_of(offset_ + static_cast<int>(k)), min_, max_);
    }
  }
  return max_;
}

}  // namespace cs::sim
