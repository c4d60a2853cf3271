#include "sim/core/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/core/assert.hpp"

namespace cs::sim {

Distribution Distribution::fixed(double value) { return Distribution(Kind::fixed, value, 0.0); }

Distribution Distribution::uniform(double lo, double hi) {
  CS_ASSERT(lo <= hi, "Distribution::uniform: lo > hi");
  return Distribution(Kind::uniform, lo, hi);
}

Distribution Distribution::exponential(double mean) {
  CS_ASSERT(mean > 0.0, "Distribution::exponential: mean must be positive");
  return Distribution(Kind::exponential, mean, 0.0);
}

Distribution Distribution::normal(double mean, double stddev) {
  CS_ASSERT(stddev >= 0.0, "Distribution::normal: negative stddev");
  return Distribution(Kind::normal, mean, stddev);
}

Distribution Distribution::lognormal(double mu, double sigma) {
  CS_ASSERT(sigma >= 0.0, "Distribution::lognormal: negative sigma");
  return Distribution(Kind::lognormal, mu, sigma);
}

Distribution Distribution::lognormal_mean_cv(double mean, double cv) {
  CS_ASSERT(mean > 0.0 && cv >= 0.0, "Distribution::lognormal_mean_cv: need mean > 0, cv >= 0");
  const double sigma2 = std::log1p(cv * cv);
  return lognormal(std::log(mean) - 0.5 * sigma2, std::sqrt(sigma2));
}

Distribution Distribution::gamma(double shape, double scale) {
  CS_ASSERT(shape > 0.0 && scale > 0.0, "Distribution::gamma: shape and scale must be positive");
  return Distribution(Kind::gamma, shape, scale);
}

Distribution Distribution::gamma_mean_cv(double mean, double cv) {
  CS_ASSERT(mean > 0.0 && cv > 0.0, "Distribution::gamma_mean_cv: need mean > 0, cv > 0");
  const double shape = 1.0 / (cv * cv);
  return gamma(shape, mean / shape);
}

Distribution Distribution::empirical(std::vector<double> values, std::vector<double> weights) {
  CS_ASSERT(!values.empty(), "Distribution::empirical: no values");
  CS_ASSERT(weights.empty() || weights.size() == values.size(),
            "Distribution::empirical: weights and values differ in length");
  auto table = std::make_shared<Table>();
  table->values = std::move(values);
  table->cumulative.reserve(table->values.size());
  double sum = 0.0;
  for (std::size_t i = 0; i < table->values.size(); ++i) {
    const double w = weights.empty() ? 1.0 : weights[i];
    CS_ASSERT(w >= 0.0, "Distribution::empirical: negative weight");
    sum += w;
    table->cumulative.push_back(sum);
  }
  CS_ASSERT(sum > 0.0, "Distribution::empirical: weights sum to zero");
  Distribution d(Kind::empirical, 0.0, 0.0);
  d.table_ = std::move(table);
  return d;
}

Distribution Distribution::clamped(double lo, double hi) const {
  CS_ASSERT(lo <= hi, "Distribution::clamped: lo > hi");
  Distribution d = *this;
  d.lo_ = lo;
  d.hi_ = hi;
  return d;
}

double Distribution::sample(RandomStream& rng) const {
  double x = 0.0;
  switch (kind_) {
    case Kind::fixed: x = a_; break;
    case Kind::uniform: x = rng.uniform(a_, b_); break;
    case Kind::exponential: x = rng.exponential(a_); break;
    case Kind::normal: x = rng.normal(a_, b_); break;
    case Kind::lognormal: x = rng.lognormal(a_, b_); break;
    case Kind::gamma: x = rng.gamma(a_, b_); break;
    case Kind::empirical: {
      const auto& c = table_->cumulative;
      const double u = rng.uniform() * c.back();
      const auto it = std::upper_bound(c.begin(), c.end(), u);
      const auto i = static_cast<std::size_t>(it - c.begin());
      x = table_->values[std::min(i, c.size() - 1)];
      break;
    }
  }
  return std::clamp(x, lo_, hi_);
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::fixed: return a_;
    case Kind::uniform: return 0.5 * (a_ + b_);
    case Kind::exponential: return a_;
    case Kind::normal: return a_;
    case Kind::lognormal: return std::exp(a_ + 0.5 * b_ * b_);
    case Kind::gamma: return a_ * b_;
    case Kind::empirical: {
      const auto& t = *table_;
      double acc = 0.0;
      double prev = 0.0;
      for (std::size_t i = 0; i < t.values.size(); ++i) {
        acc += t.values[i] * (t.cumulative[i] - prev);
        prev = t.cumulative[i];
      }
      return acc / t.cumulative.back();
    }
  }
  return 0.0;
}

std::string Distribution::describe() const {
  char buf[128];
  switch (kind_) {
    case Kind::fixed: std::snprintf(buf, sizeof buf, "fixed(%g)", a_); break;
    case Kind::uniform: std::snprintf(buf, sizeof buf, "uniform(%g, %g)", a_, b_); break;
    case Kind::exponential: std::snprintf(buf, sizeof buf, "exponential(mean %g)", a_); break;
    case Kind::normal: std::snprintf(buf, sizeof buf, "normal(%g, %g)", a_, b_); break;
    case Kind::lognormal: std::snprintf(buf, sizeof buf, "lognormal(mean %g)", mean()); break;
    case Kind::gamma: std::snprintf(buf, sizeof buf, "gamma(shape %g, scale %g)", a_, b_); break;
    case Kind::empirical:
      std::snprintf(buf, sizeof buf, "empirical(%zu values, mean %g)", table_->values.size(), mean());
      break;
  }
  return buf;
}

}  // namespace cs::sim
