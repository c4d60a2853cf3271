#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "loaders/calibration_fit.hpp"
#include "sim/core/error.hpp"

using namespace cs;
using namespace cs::load;

namespace {

// A made-up smooth, monotone efficiency (test input only).
double true_rate(double m, double n, double k) {
  return 900e12 * 0.8 * (m / (m + 96.0)) * (n / (n + 256.0)) * (k / (k + 128.0));
}

constexpr double kOverhead = 4e-6;  // host launch interval of back-to-back kernels
constexpr double kGap = 1e-6;       // GPU-side gap between kernels once the host runs ahead

// How a back-to-back stream times a kernel: the host's launch interval overlaps the previous
// kernel, so a short kernel costs the interval and a long one its execution plus a gap.
double stream_time(double exec) { return std::max(kOverhead, exec + kGap); }

// Noisy repetitions around `t`: 5% log-normal jitter, plus one repetition in seven 50% slow.
std::vector<double> noisy(double t, std::mt19937_64& rng) {
  std::normal_distribution<double> jitter(0.0, 0.05);
  std::vector<double> out;
  for (int i = 0; i < 7; ++i) out.push_back(t * std::exp(jitter(rng)) * (i == 2 ? 1.5 : 1.0));
  return out;
}

RawSamples noisy_grid(const std::vector<double>& ms, const std::vector<double>& ns, const std::vector<double>& ks,
                      std::uint64_t seed = 11) {
  std::mt19937_64 rng(seed);
  RawSamples s;
  for (int i = 0; i < 9; ++i) s.launch_seconds.push_back(kOverhead * (1.0 + 0.01 * (i - 4)));
  for (double m : ms) {
    for (double n : ns) {
      for (double k : ks) {
        const double t = stream_time(2 * m * n * k / true_rate(m, n, k));
        s.gemm.push_back({hw::DType::bf16, m, n, k, noisy(t, rng)});
      }
    }
  }
  return s;
}

bool non_decreasing(const std::vector<double>& v) {
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (v[i] < v[i - 1]) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("summarize gives the median, percentiles and relative spread") {
  const SampleStats odd = summarize({5, 1, 3, 2, 4});
  CHECK(odd.count == 5);
  CHECK(odd.median == doctest::Approx(3));
  CHECK(odd.min == 1);
  CHECK(odd.max == 5);
  CHECK(odd.p10 == doctest::Approx(1.4));
  CHECK(odd.p90 == doctest::Approx(4.6));
  CHECK(odd.spread == doctest::Approx((4.6 - 1.4) / 3));
  CHECK(summarize({4, 1, 3, 2}).median == doctest::Approx(2.5));
  // One wild outlier moves the median by at most one rank.
  CHECK(summarize({1.0, 1.01, 0.99, 1.02, 50.0}).median == doctest::Approx(1.01));
  CHECK(summarize({7.0}).spread == 0.0);
  CHECK_THROWS_AS(summarize({}), InputError);
  CHECK_THROWS_AS(summarize({1.0, std::nan("")}), InputError);
}

TEST_CASE("isotonic regression pools violators and keeps the weighted mean") {
  CHECK(isotonic_non_decreasing({1, 3, 2, 4}, {1, 1, 1, 1}) == std::vector<double>{1, 2.5, 2.5, 4});
  CHECK(isotonic_non_decreasing({1, 2, 3}, {1, 1, 1}) == std::vector<double>{1, 2, 3});
  CHECK(isotonic_non_decreasing({3, 2, 1}, {1, 1, 1}) == std::vector<double>{2, 2, 2});
  const auto w = isotonic_non_decreasing({4, 1}, {3, 1});
  CHECK(w[0] == doctest::Approx(3.25));
  CHECK(w[1] == doctest::Approx(3.25));
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0, 10);
  std::vector<double> v(200), ones(200, 1.0);
  for (double& x : v) x = u(rng);
  const auto fit = isotonic_non_decreasing(v, ones);
  CHECK(non_decreasing(fit));
  double a = 0, b = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    a += v[i];
    b += fit[i];
  }
  CHECK(a == doctest::Approx(b));
}

TEST_CASE("fitted GEMM tables are monotone and reproduce the measured times") {
  const std::vector<double> ms{1, 8, 64, 512, 4096}, ns{512, 2048, 8192}, ks{256, 1024, 4096, 16384};
  const FittedTables f = fit_samples(noisy_grid(ms, ns, ks));
  CHECK(f.launch_overhead_s == doctest::Approx(kOverhead));
  REQUIRE(f.gemm.count(hw::DType::bf16) == 1);
  const GemmRateTable& t = f.gemm.at(hw::DType::bf16);
  CHECK(t.m == ms);
  CHECK(t.n == ns);
  CHECK(t.k == ks);
  REQUIRE(t.flops_per_second.size() == ms.size() * ns.size() * ks.size());
  auto at = [&](std::size_t i, std::size_t j, std::size_t l) { return t.flops_per_second[(i * ns.size() + j) * ks.size() + l]; };
  double worst_time = 0, worst_long_rate = 0, sum_time = 0;
  for (std::size_t i = 0; i < ms.size(); ++i) {
    for (std::size_t j = 0; j < ns.size(); ++j) {
      for (std::size_t l = 0; l < ks.size(); ++l) {
        if (i + 1 < ms.size()) CHECK(at(i + 1, j, l) >= at(i, j, l));
        if (j + 1 < ns.size()) CHECK(at(i, j + 1, l) >= at(i, j, l));
        if (l + 1 < ks.size()) CHECK(at(i, j, l + 1) >= at(i, j, l));
        const double flops = 2 * ms[i] * ns[j] * ks[l];
        const double kernel = flops / true_rate(ms[i], ns[j], ks[l]);
        // What the compute model predicts from a measured rate (no launch overhead added),
        // against the time the stream really took.
        const double err = std::abs((flops / at(i, j, l)) / stream_time(kernel) - 1.0);
        // A fixed cost is never turned into a rate above the truth (beyond the jitter).
        CHECK(at(i, j, l) < 1.08 * true_rate(ms[i], ns[j], ks[l]));
        worst_time = std::max(worst_time, err);
        sum_time += err;
        if (kernel > 20 * kGap) {
          worst_long_rate = std::max(worst_long_rate, std::abs(at(i, j, l) / true_rate(ms[i], ns[j], ks[l]) - 1.0));
        }
      }
    }
  }
  // 5% jitter and a slow repetition in seven: the median keeps predicted times close
  // (a mean would carry the slow repetition's +7% into every point). Rates of long kernels
  // are their true rates less the gap; those of short ones include the launch interval,
  // which is what such a kernel costs in a stream.
  CHECK(sum_time / static_cast<double>(t.flops_per_second.size()) < 0.035);
  CHECK(worst_time < 0.12);
  CHECK(worst_long_rate < 0.1);
  // Large shapes (time >> overhead) are much tighter.
  CHECK(at(4, 2, 3) == doctest::Approx(true_rate(4096, 8192, 16384)).epsilon(0.06));
  CHECK(gemm_rate(t, 4096, 8192, 16384) == doctest::Approx(at(4, 2, 3)));
  CHECK(gemm_rate(t, 1e6, 1e6, 1e6) == doctest::Approx(at(4, 2, 3)));  // clamped
}

TEST_CASE("a memory curve timed back to back stays below the true bandwidth") {
  // The shape of an H200 run: copies from 4 KiB to 4 GiB, launch-bound below ~8 MiB.
  // Subtracting the empty-kernel time from such times gave 5.2 TB/s for a 4.8 TB/s part.
  const double bw = 4.0e12;
  RawSamples s;
  s.launch_seconds = {kOverhead};
  for (double size = 4096; size <= 4294967296.0; size *= 4) {
    s.memory.push_back({"copy", size, {stream_time(2 * size / bw)}});
  }
  const FittedTables f = fit_samples(s);
  const RateCurve& copy = f.memory.at("copy");
  CHECK(non_decreasing(copy.bytes_per_second));
  for (std::size_t i = 0; i < copy.bytes.size(); ++i) {
    INFO("i=", i, " bytes=", copy.bytes[i], " rate=", copy.bytes_per_second[i]);
    CHECK(copy.bytes_per_second[i] <= bw);
    CHECK(copy.bytes[i] / copy.bytes_per_second[i] == doctest::Approx(stream_time(copy.bytes[i] / bw)));
  }
  CHECK(copy.bytes_per_second.back() == doctest::Approx(bw).epsilon(0.001));
}

TEST_CASE("a GEMM grid with a hole or a repeated shape is a clear error") {
  RawSamples s = noisy_grid({1, 64}, {512, 2048}, {256, 1024});
  RawSamples hole = s;
  hole.gemm.erase(hole.gemm.begin() + 3);
  try {
    fit_samples(hole, "run.json");
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK(e.file() == "run.json");
    CHECK(std::string(e.what()).find("full grid") != std::string::npos);
    CHECK(std::string(e.what()).find("M=1 N=2048 K=1024 is missing") != std::string::npos);
  }
  RawSamples twice = s;
  twice.gemm.push_back(twice.gemm.front());
  CHECK_THROWS_WITH_AS(fit_samples(twice), doctest::Contains("measured twice"), InputError);
}

TEST_CASE("memory, transfer and collective curves are monotone in size and use the bytes moved") {
  RawSamples s;
  s.launch_seconds = {2e-6};
  const double bw = 3e12;
  for (double size : {4096.0, 1048576.0, 67108864.0, 1073741824.0}) {
    s.memory.push_back({"copy", size, {2 * size / bw + 2e-6}});
    s.memory.push_back({"read", size, {size / bw + 2e-6}});
  }
  // A noisy dip at 64 MiB in the host link must be smoothed away.
  s.transfers.push_back({"h2d", 0, 0, 1 << 20, {(1 << 20) / 40e9}});
  s.transfers.push_back({"h2d", 0, 0, 1 << 26, {(1 << 26) / 30e9}});
  s.transfers.push_back({"h2d", 0, 0, 1 << 30, {(1 << 30) / 50e9}});
  // Two peer pairs of one size pool into one point.
  s.transfers.push_back({"p2p", 0, 1, 1 << 30, {(1 << 30) / 300e9}});
  s.transfers.push_back({"p2p", 0, 2, 1 << 30, {(1 << 30) / 200e9}});
  s.collectives.push_back({"all_reduce", 8, 1 << 30, {(1 << 30) / 100e9}});
  s.collectives.push_back({"all_gather", 8, 1 << 30, {(1 << 30) / 100e9}});
  const FittedTables f = fit_samples(s);
  const RateCurve& copy = f.memory.at("copy");
  CHECK(copy.bytes.front() == 2 * 4096.0);  // copy moves twice its buffer
  CHECK(copy.bytes_per_second.back() == doctest::Approx(bw).epsilon(0.01));
  CHECK(f.memory.at("read").bytes.front() == 4096.0);
  CHECK(f.memory.at("read").bytes_per_second.back() == doctest::Approx(bw).epsilon(0.01));
  CHECK(non_decreasing(copy.bytes_per_second));
  const RateCurve& h2d = f.transfers.at("h2d");
  CHECK(non_decreasing(h2d.bytes_per_second));
  CHECK(h2d.bytes_per_second[0] == doctest::Approx(35e9).epsilon(0.02));  // 40 and 30 pooled
  CHECK(f.transfers.at("p2p").bytes_per_second.at(0) == doctest::Approx(240e9));  // 1/(mean time)
  // NCCL bus bandwidth: algorithm bandwidth x 2(n-1)/n for all-reduce, (n-1)/n for all-gather.
  CHECK(f.collectives.at("all_reduce@8").bytes_per_second.at(0) == doctest::Approx(100e9 * 2 * 7 / 8));
  CHECK(f.collectives.at("all_gather@8").bytes_per_second.at(0) == doctest::Approx(100e9 * 7 / 8));
  CHECK(f.gemm.empty());
  CHECK_FALSE(f.attention_factor_unfused.has_value());
}

TEST_CASE("the unfused attention factor compares attention with the GEMM table at the model's shape") {
  RawSamples s = noisy_grid({1024, 8192, 32768}, {64, 128}, {512, 1024, 4096});
  const FittedTables base = fit_samples(s);
  const GemmRateTable& t = base.gemm.at(hw::DType::bf16);
  for (double seq : {1024.0, 4096.0}) {
    const double bh = 8, d = 128;
    const double rate = 0.4 * gemm_rate(t, seq * bh, d, seq);  // 40% of a GEMM of that shape
    s.attention.push_back({hw::DType::bf16, bh, seq, d, {4 * bh * seq * seq * d / rate}});
  }
  const FittedTables f = fit_samples(s);
  REQUIRE(f.attention_factor_unfused.has_value());
  CHECK(*f.attention_factor_unfused == doctest::Approx(0.4).epsilon(0.01));
  // Attention in a dtype without a GEMM table is left out.
  s.attention = {{hw::DType::fp16, 8, 1024, 128, {1e-3}}};
  CHECK_FALSE(fit_samples(s).attention_factor_unfused.has_value());
}
