#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/stats.hpp"

using namespace cs::sim;

namespace {
double exact_quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<std::size_t>(std::floor(q * static_cast<double>(v.size() - 1)));
  return v[rank];
}
}  // namespace

TEST_CASE("quantile sketch is accurate to 1% at p50/p90/p99/p999 with bounded memory") {
  RandomStream r(5);
  QuantileSketch sketch;
  std::vector<double> all;
  for (int i = 0; i < 300000; ++i) {
    // Latencies in ns spanning several decades.
    const double x = r.lognormal(std::log(2e6), 1.5);
    sketch.add(x);
    all.push_back(x);
  }
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const double truth = exact_quantile(all, q);
    CHECK(std::fabs(sketch.quantile(q) - truth) / truth < 0.01);
  }
  CHECK(sketch.count() == all.size());
  CHECK(sketch.min() == *std::min_element(all.begin(), all.end()));
  CHECK(sketch.max() == *std::max_element(all.begin(), all.end()));
  CHECK(sketch.buckets_in_use() < 8192);
}

TEST_CASE("quantile sketch handles zeros, merges, and folds past its bucket limit") {
  QuantileSketch a, b;
  for (int i = 0; i < 100; ++i) a.add(0.0);
  for (int i = 1; i <= 100; ++i) b.add(static_cast<double>(i));
  a.merge(b);
  CHECK(a.count() == 200);
  CHECK(a.quantile(0.25) == 0.0);
  CHECK(a.quantile(0.75) == doctest::Approx(50.0).epsilon(0.011));
  CHECK(a.mean() == doctest::Approx(25.25));

  // With 64 buckets at 1% only a ~3.6x range stays resolved: small values fold into the
  // lowest kept bucket, while the top quantiles (what latency reports need) stay accurate.
  QuantileSketch small(0.01, 64);
  for (int i = 0; i < 990; ++i) small.add(1.0);
  for (int i = 0; i < 10; ++i) small.add(5e10 + 5e9 * i);
  CHECK(small.buckets_in_use() <= 64);
  CHECK(small.quantile(1.0) == 9.5e10);
  CHECK(small.quantile(0.995) == doctest::Approx(7.0e10).epsilon(0.01));  // rank 994: 5e10 + 4 x 5e9
  CHECK(small.quantile(0.5) > 1.0);  // folded: the documented loss at the low end
}

TEST_CASE("time-weighted average integrates a piecewise-constant signal") {
  TimeWeighted q;
  q.set(SimTime::from_ns(0), 2.0);
  q.set(SimTime::from_ns(10), 4.0);  // 2 for 10 ns
  q.add(SimTime::from_ns(20), -4.0); // 4 for 10 ns, then 0
  CHECK(q.mean(SimTime::from_ns(40)) == doctest::Approx((20.0 + 40.0) / 40.0));
  CHECK(q.max() == 4.0);
  CHECK(q.current() == 0.0);
}

TEST_CASE("running stats match the textbook formulas and merge exactly") {
  RunningStats a, b, all;
  for (int i = 1; i <= 10; ++i) {
    (i <= 4 ? a : b).add(i);
    all.add(i);
  }
  a.merge(b);
  CHECK(a.count() == 10);
  CHECK(a.mean() == doctest::Approx(5.5));
  CHECK(a.variance() == doctest::Approx(all.variance()));
  CHECK(all.variance() == doctest::Approx(55.0 / 6.0));
  CHECK(a.min() == 1.0);
  CHECK(a.max() == 10.0);
}
