#include <doctest/doctest.h>

#include <cmath>

#include "sim/core/error.hpp"
#include "sim/hw/compute_model.hpp"

using namespace cs::hw;

namespace {
AcceleratorSpec test_device() {
  AcceleratorSpec a;
  a.name = "test";
  a.peak_dense[index(DType::bf16)] = 1000e12;
  a.peak_dense[index(DType::fp8)] = 2000e12;
  a.peak_dense[index(DType::fp32)] = 60e12;
  a.supports_sparsity = true;
  a.compute_units = 128;
  a.memory_bandwidth = 3e12;
  a.kernel_launch_overhead_s = 0.0;
  a.efficiency.defaults().gemm_max = 0.8;
  return a;
}
}  // namespace

TEST_CASE("large square GEMMs are compute-bound near the maximum efficiency") {
  const auto dev = test_device();
  const ComputeModel model(dev);
  const auto c = model.cost(gemm(8192, 8192, 8192, DType::bf16));
  CHECK(c.compute_bound);
  CHECK(c.flops == doctest::Approx(2.0 * 8192.0 * 8192 * 8192));
  CHECK(c.compute_efficiency > 0.7);
  CHECK(c.compute_efficiency <= 0.8);
  CHECK(c.seconds == doctest::Approx(c.flops / (1000e12 * c.compute_efficiency)));
}

TEST_CASE("skinny decode GEMMs are memory-bound") {
  const auto dev = test_device();
  const ComputeModel model(dev);
  const auto c = model.cost(gemm(8, 8192, 8192, DType::bf16));
  CHECK_FALSE(c.compute_bound);
  // Weights dominate: 8192 x 8192 x 2 bytes.
  CHECK(c.bytes == doctest::Approx((8.0 * 8192 + 8192.0 * 8192 + 8.0 * 8192) * 2));
  CHECK(c.seconds == doctest::Approx(c.bytes / (3e12 * c.memory_efficiency)));
}

TEST_CASE("time grows monotonically with problem size") {
  const auto dev = test_device();
  const ComputeModel model(dev);
  double prev = 0.0;
  for (double m = 64; m <= 65536; m *= 2) {
    const double t = model.seconds(gemm(m, 4096, 4096, DType::bf16));
    CHECK(t > prev);
    prev = t;
  }
  prev = 0.0;
  for (double bytes = 1e3; bytes <= 1e10; bytes *= 10) {
    const double t = model.seconds(elementwise(bytes, DType::bf16));
    CHECK(t > prev);
    prev = t;
  }
}

TEST_CASE("dtype peaks and sparsity change compute-bound times honestly") {
  auto dev = test_device();
  const ComputeModel model(dev);
  Op bf = gemm(8192, 8192, 8192, DType::bf16);
  Op f8 = gemm(8192, 8192, 8192, DType::fp8);
  const auto c_bf = model.cost(bf);
  const auto c_f8 = model.cost(f8);
  // Twice the peak; FP8 hides the same per-tile overhead behind a loop twice as fast, so its
  // efficiency is a little lower and the speed-up a little under 2.
  CHECK(c_bf.compute_seconds / c_f8.compute_seconds ==
        doctest::Approx(2.0 * c_f8.compute_efficiency / c_bf.compute_efficiency));
  CHECK(c_bf.compute_seconds / c_f8.compute_seconds > 1.9);
  CHECK(c_bf.compute_seconds / c_f8.compute_seconds < 2.0);
  bf.sparse = true;
  const auto c_sparse = model.cost(bf);
  CHECK(c_sparse.compute_seconds == doctest::Approx(c_bf.compute_seconds / 2 * c_bf.compute_efficiency /
                                                    c_sparse.compute_efficiency));
  CHECK(c_sparse.compute_seconds < 0.52 * c_bf.compute_seconds);
  dev.supports_sparsity = false;
  CHECK(model.cost(bf).compute_seconds == doctest::Approx(c_bf.compute_seconds));
  CHECK_THROWS_AS(model.cost(gemm(128, 128, 128, DType::int8)), cs::InputError);
}

TEST_CASE("measured tables are interpolated in log space and clamped") {
  auto dev = test_device();
  GemmTable t;
  t.m = {1024, 4096};
  t.n = {1024, 4096};
  t.k = {1024, 4096};
  // efficiency 0.2 at the small corner, 0.6 everywhere with m = 4096
  t.efficiency = {0.2, 0.2, 0.2, 0.2, 0.6, 0.6, 0.6, 0.6};
  dev.efficiency.set_gemm_table(DType::bf16, t);
  const ComputeModel model(dev);
  CHECK(model.measured());
  CHECK(dev.efficiency.gemm(DType::bf16, 2048, 1024, 1024, 128) == doctest::Approx(std::sqrt(0.2 * 0.6)));  // geometric mean at the log midpoint
  CHECK(dev.efficiency.gemm(DType::bf16, 512, 1024, 1024, 128) == doctest::Approx(0.2));   // clamped below
  CHECK(dev.efficiency.gemm(DType::bf16, 1e6, 1e6, 1e6, 128) == doctest::Approx(0.6));     // clamped above
  // fp8 has no table: default curve
  CHECK(dev.efficiency.gemm(DType::fp8, 8192, 8192, 8192, 128) == doctest::Approx(dev.efficiency.default_gemm(DType::fp8, 8192, 8192, 8192, 128)));
  BandwidthTable b{{1e3, 1e6, 1e9}, {0.1, 0.5, 0.9}};
  dev.efficiency.set_bandwidth_table(b);
  CHECK(dev.efficiency.memory(std::sqrt(1e3 * 1e6)) == doctest::Approx(std::sqrt(0.1 * 0.5)));
  CHECK(dev.efficiency.memory(1e12) == doctest::Approx(0.9));
}

TEST_CASE("attention: causal halves the work, GQA reads fewer bytes, launch overhead adds") {
  auto dev = test_device();
  dev.kernel_launch_overhead_s = 5e-6;
  const ComputeModel model(dev);
  const Op full = attention(2, 32, 4096, 4096, 128, false, DType::bf16);
  const Op causal = attention(2, 32, 4096, 4096, 128, true, DType::bf16);
  CHECK(causal.flops() == doctest::Approx(full.flops() / 2).epsilon(0.001));
  const Op gqa = attention(2, 32, 4096, 4096, 128, false, DType::bf16, 8);
  CHECK(gqa.bytes_moved() < full.bytes_moved());
  const auto tiny = model.cost(elementwise(64, DType::bf16));
  CHECK(tiny.seconds >= 5e-6);
  CHECK(tiny.time.ns() >= 5000);
}
