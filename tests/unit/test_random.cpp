#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/stats.hpp"

using namespace cs::sim;

TEST_CASE("the generator's output is fixed for a seed (platform-independent golden values)") {
  // xoshiro256** seeded through SplitMix64 from 1. If these change, every recorded result
  // changes: that is a deliberate, documented event, never an accident.
  RandomStream r(1);
  const std::uint64_t first = r.next_u64();
  const std::uint64_t second = r.next_u64();
  RandomStream again(1);
  CHECK(again.next_u64() == first);
  CHECK(again.next_u64() == second);
  CHECK(first == 0xb3f2af6d0fc710c5ULL);
  CHECK(second == 0x853b559647364ceaULL);
}

TEST_CASE("derived streams are reproducible and independent by name and index") {
  auto a = RandomStream::derive(42, "inference/source");
  auto b = RandomStream::derive(42, "inference/source");
  auto c = RandomStream::derive(42, "inference/router");
  auto d = RandomStream::derive(42, "inference/source", 1);
  auto e = RandomStream::derive(43, "inference/source");
  const auto va = a.next_u64();
  CHECK(va == b.next_u64());
  CHECK(va != c.next_u64());
  CHECK(va != d.next_u64());
  CHECK(va != e.next_u64());
}

TEST_CASE("uniform draws lie in [0,1) and uniform_index covers the range evenly") {
  RandomStream r(3);
  std::vector<int> hist(7, 0);
  for (int i = 0; i < 70000; ++i) {
    const double u = r.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    ++hist[r.uniform_index(7)];
  }
  for (int h : hist) CHECK(h == doctest::Approx(10000).epsilon(0.05));
}

namespace {
RunningStats sample(const Distribution& d, int n, std::uint64_t seed = 11) {
  RandomStream r(seed);
  RunningStats s;
  for (int i = 0; i < n; ++i) s.add(d.sample(r));
  return s;
}
}  // namespace

TEST_CASE("distributions have the mean and spread they promise") {
  const int n = 200000;
  SUBCASE("exponential") {
    const auto s = sample(Distribution::exponential(2.5), n);
    CHECK(s.mean() == doctest::Approx(2.5).epsilon(0.01));
    CHECK(s.stddev() == doctest::Approx(2.5).epsilon(0.02));
    CHECK(s.min() >= 0.0);
  }
  SUBCASE("normal") {
    const auto s = sample(Distribution::normal(10.0, 3.0), n);
    CHECK(s.mean() == doctest::Approx(10.0).epsilon(0.005));
    CHECK(s.stddev() == doctest::Approx(3.0).epsilon(0.01));
  }
  SUBCASE("lognormal from mean and CV") {
    const auto d = Distribution::lognormal_mean_cv(1000.0, 0.5);
    CHECK(d.mean() == doctest::Approx(1000.0));
    const auto s = sample(d, n);
    CHECK(s.mean() == doctest::Approx(1000.0).epsilon(0.01));
    CHECK(s.stddev() / s.mean() == doctest::Approx(0.5).epsilon(0.03));
  }
  SUBCASE("gamma, shape above and below one") {
    for (double shape : {0.3, 1.0, 4.0}) {
      const auto s = sample(Distribution::gamma(shape, 2.0), n);
      CHECK(s.mean() == doctest::Approx(shape * 2.0).epsilon(0.02));
      CHECK(s.variance() == doctest::Approx(shape * 4.0).epsilon(0.05));
    }
    const auto bursty = Distribution::gamma_mean_cv(0.1, 3.0);
    const auto s = sample(bursty, n);
    CHECK(s.mean() == doctest::Approx(0.1).epsilon(0.03));
    CHECK(s.stddev() / s.mean() == doctest::Approx(3.0).epsilon(0.05));
  }
  SUBCASE("uniform and fixed") {
    const auto s = sample(Distribution::uniform(4.0, 8.0), n);
    CHECK(s.mean() == doctest::Approx(6.0).epsilon(0.005));
    CHECK(s.min() >= 4.0);
    CHECK(s.max() < 8.0);
    CHECK(sample(Distribution::fixed(7.0), 10).mean() == 7.0);
  }
  SUBCASE("empirical with weights") {
    const auto d = Distribution::empirical({1.0, 10.0, 100.0}, {1.0, 2.0, 1.0});
    CHECK(d.mean() == doctest::Approx(30.25));
    const auto s = sample(d, n);
    CHECK(s.mean() == doctest::Approx(30.25).epsilon(0.02));
    CHECK(s.min() == 1.0);
    CHECK(s.max() == 100.0);
  }
  SUBCASE("clamping") {
    const auto s = sample(Distribution::normal(0.0, 10.0).clamped(1.0, 5.0), 10000);
    CHECK(s.min() == 1.0);
    CHECK(s.max() == 5.0);
  }
}
