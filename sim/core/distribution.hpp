#pragma once
// Distribution: a value type for the random quantities a scenario declares (arrival gaps,
// prompt and output lengths, failure times), sampled from a RandomStream.
//
// Kinds and parameters:
//   fixed(v)                  always v
//   uniform(lo, hi)           [lo, hi)
//   exponential(mean)
//   normal(mean, stddev)
//   lognormal(mu, sigma)      of the underlying normal; lognormal_mean_cv() builds from mean/CV
//   gamma(shape, scale)       mean = shape * scale, CV = 1/sqrt(shape)
//   empirical(values, weights) draws one of the values with probability ~ weight
// Every kind may be clamped to [lo, hi] (e.g. token counts >= 1).
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/random.hpp"

namespace cs::sim {

class Distribution {
 public:
  enum class Kind { fixed, uniform, exponential, normal, lognormal, gamma, empirical };

  Distribution() : Distribution(Kind::fixed, 0.0, 0.0) {}
  static Distribution fixed(double value);
  static Distribution uniform(double lo, double hi);
  static Distribution exponential(double mean);
  static Distribution normal(double mean, double stddev);
  static Distribution lognormal(double mu, double sigma);
  static Distribution lognormal_mean_cv(double mean, double cv);
  static Distribution gamma(double shape, double scale);
  static Distribution gamma_mean_cv(double mean, double cv);
  // `weights` empty means equal weights. Values need not be sorted.
  static Distribution empirical(std::vector<double> values, std::vector<double> weights = {});

  Distribution clamped(double lo, double hi) const;

  double sample(RandomStream& rng) const;
  // Mean of the unclamped distribution.
  double mean() const;
  Kind kind() const { return kind_; }
  double param_a() const { return a_; }
  double param_b() const { return b_; }
  std::string describe() const;

 private:
  struct Table {
    std::vector<double> values;
    std::vector<double> cumulative;  // running sum of weights
  };
  Distribution(Kind kind, double a, double b) : kind_(kind), a_(a), b_(b) {}

  Kind kind_;
  double a_;
  double b_;
  double lo_ = -std::numeric_limits<double>::infinity();
  double hi_ = std::numeric_limits<double>::infinity();
  std::shared_ptr<const Table> table_;  // empirical only; shared, immutable
};

}  // namespace cs::sim
