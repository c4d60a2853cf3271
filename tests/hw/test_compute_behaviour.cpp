// Behaviour of the compute model on shipped profiles: roofline corners, monotonicity,
// interpolation between table points, dtype peaks, sparsity only when asked, TP sharding.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "loaders/profile_loader.hpp"
#include "sim/core/error.hpp"
#include "sim/hw/compute_model.hpp"

using namespace cs::hw;

namespace {
// The default curves: measured profiles in hardware-profiles/measured/ are left out here.
const HardwareCatalog& catalog() {
  static const HardwareCatalog c = cs::load::load_catalog(std::string(CLUSTERSIM_SOURCE_DIR) + "/hardware-profiles",
                                                          cs::load::MeasuredProfiles::ignore);
  return c;
}
// What front ends use: the shipped measured profiles applied.
const HardwareCatalog& measured_catalog() {
  static const HardwareCatalog c = cs::load::load_catalog(std::string(CLUSTERSIM_SOURCE_DIR) + "/hardware-profiles");
  return c;
}
// Grows each GEMM dimension in turn from 1 to x_max (the others at `base`): the time must
// never fall by more than the relative tolerance.
void check_gemm_time_monotone(const ComputeModel& model, DType dtype, double base, double x_max, double growth,
                              double tolerance) {
  CAPTURE(base);
  double pm = 0, pn = 0, pk = 0;
  for (double x = 1; x <= x_max; x = std::ceil(x * growth)) {
    CAPTURE(x);
    const double tm = model.seconds(gemm(x, base, base, dtype));
    const double tn = model.seconds(gemm(base, x, base, dtype));
    const double tk = model.seconds(gemm(base, base, x, dtype));
    CHECK(tm >= pm * (1 - tolerance));
    CHECK(tn >= pn * (1 - tolerance));
    CHECK(tk >= pk * (1 - tolerance));
    pm = tm;
    pn = tn;
    pk = tk;
  }
}

}  // namespace

TEST_CASE("roofline corners: a big GEMM is compute-bound, a GEMV and a copy are memory-bound") {
  for (const std::string name : {"a100-80gb-sxm", "h100-sxm", "h200-sxm", "b200", "mi300x", "tpu-v5p", "l40s"}) {
    const AcceleratorSpec& d = catalog().accelerator(name);
    const ComputeModel model(d);
    CAPTURE(name);
    const auto big = model.cost(gemm(16384, 16384, 16384, DType::bf16));
    CHECK(big.compute_bound);
    CHECK(big.seconds == doctest::Approx(big.flops / (d.peak(DType::bf16) * big.compute_efficiency) +
                                         d.kernel_launch_overhead_s));
    // Achieved throughput of a big GEMM: below the peak, near the profile's gemm_max.
    const double achieved = big.flops / big.seconds;
    CHECK(achieved < d.peak(DType::bf16));
    CHECK(achieved > 0.4 * d.peak(DType::bf16));

    const auto gemv = model.cost(gemm(1, 8192, 8192, DType::bf16));
    CHECK_FALSE(gemv.compute_bound);
    CHECK(gemv.seconds == doctest::Approx(gemv.bytes / (d.memory_bandwidth * gemv.memory_efficiency) +
                                          d.kernel_launch_overhead_s));
    // A 1 GB copy streams at about memory_max of the datasheet bandwidth.
    const auto copy = model.cost(elementwise(1e9, DType::bf16, 0.0));
    CHECK_FALSE(copy.compute_bound);
    CHECK(copy.seconds == doctest::Approx(1e9 / (d.memory_bandwidth * copy.memory_efficiency) + d.kernel_launch_overhead_s));
    CHECK(1e9 / copy.seconds == doctest::Approx(d.memory_bandwidth * d.efficiency.defaults().mem_max).epsilon(0.03));
  }
}

TEST_CASE("a linear layer is memory-bound below the ridge point and compute-bound above it") {
  // (M x 8192) x (8192 x 8192): the weights dominate the bytes, so arithmetic intensity is
  // about M FLOP/byte and the layer turns compute-bound near peak / bandwidth (295 on H100);
  // padding and wave quantisation move the crossing, so only the corners are pinned.
  for (const std::string name : {"a100-80gb-sxm", "h100-sxm", "h200-sxm", "mi300x", "tpu-v6e"}) {
    CAPTURE(name);
    const AcceleratorSpec& d = catalog().accelerator(name);
    const ComputeModel model(d);
    const double ridge = d.peak(DType::bf16) / d.memory_bandwidth;
    for (double m = 1; m <= 16384; m = std::ceil(m * 1.1)) {
      CAPTURE(m);
      const bool cb = model.cost(gemm(m, 8192, 8192, DType::bf16)).compute_bound;
      if (m < 0.25 * ridge) CHECK_FALSE(cb);
      if (m > 3.0 * ridge) CHECK(cb);
    }
  }
}

TEST_CASE("time never falls when any GEMM dimension grows") {
  const AcceleratorSpec& d = catalog().accelerator("h100-sxm");
  const ComputeModel model(d);
  // The measured tables keep the property too (times monotone at grid points, log-space
  // interpolation between them), for every dtype they hold.
  for (const std::string name : {"h100-sxm", "h200-sxm"}) {
    const AcceleratorSpec& md = measured_catalog().accelerator(name);
    REQUIRE(md.efficiency.gemm_measured(DType::fp8));
    const ComputeModel mm(md);
    for (const DType dt : {DType::bf16, DType::fp16, DType::tf32, DType::fp8}) {
      for (double base : {16.0, 300.0, 5000.0}) {
        CAPTURE(name);
        check_gemm_time_monotone(mm, dt, base, 100000, 1.13, 1e-9);
      }
    }
    double prev = 0;
    for (double bytes = 1e3; bytes <= 1e11; bytes *= 1.5) {
      const double t = mm.seconds(elementwise(bytes, DType::bf16, 0.0));
      CHECK(t >= prev * (1 - 1e-9));
      prev = t;
    }
  }
  for (double base : {64.0, 1000.0, 4096.0}) check_gemm_time_monotone(model, DType::fp8, base, 20000, 1.07, 1e-12);
  double prev = 0;
  for (double len = 128; len <= 131072; len *= 2) {
    const double t = model.seconds(attention(1, 32, len, len, 128, true, DType::bf16, 8));
    CHECK(t > prev);
    prev = t;
  }
  prev = 0;
  for (double batch = 1; batch <= 1024; batch *= 2) {
    const double t = model.seconds(gemm(4096, 4096, 128, DType::bf16, batch));
    CHECK(t > prev);
    prev = t;
  }
}

TEST_CASE("efficiency is interpolated between table points in log space, per axis") {
  AcceleratorSpec d = catalog().accelerator("h100-sxm");
  GemmTable t;
  t.m = {256, 4096, 65536};
  t.n = {1024, 8192};
  t.k = {512, 8192};
  t.efficiency.assign(t.m.size() * t.n.size() * t.k.size(), 0.0);
  // efficiency = 0.05 x 2^im x 3^in x 1.5^ik: separable in log space, so the log-space
  // trilinear interpolation is exact (a geometric mean at a log midpoint).
  for (std::size_t im = 0; im < 3; ++im)
    for (std::size_t in = 0; in < 2; ++in)
      for (std::size_t ik = 0; ik < 2; ++ik)
        t.efficiency[(im * 2 + in) * 2 + ik] = 0.05 * std::pow(2.0, im) * std::pow(3.0, in) * std::pow(1.5, ik);
  d.efficiency.set_gemm_table(DType::bf16, t);
  const EfficiencyModel& e = d.efficiency;
  CHECK(e.gemm(DType::bf16, 4096, 1024, 512, 132) == doctest::Approx(0.1));                       // a grid point
  CHECK(e.gemm(DType::bf16, 1024, 1024, 512, 132) == doctest::Approx(0.05 * std::sqrt(2.0)));     // log midpoint in M
  CHECK(e.gemm(DType::bf16, 16384, 1024, 512, 132) == doctest::Approx(0.1 * std::sqrt(2.0)));     // second M segment
  CHECK(e.gemm(DType::bf16, 4096, 2048, 512, 132) == doctest::Approx(0.1 * std::cbrt(3.0)));      // 1/3 of log range in N
  CHECK(e.gemm(DType::bf16, 4096, 1024, 2048, 132) == doctest::Approx(0.1 * std::sqrt(1.5)));     // half of log range in K
  CHECK(e.gemm(DType::bf16, 1024, 2048, 2048, 132) ==
        doctest::Approx(0.05 * std::sqrt(2.0) * std::cbrt(3.0) * std::sqrt(1.5)));
  CHECK(e.gemm(DType::bf16, 16, 16, 16, 132) == doctest::Approx(0.05));                          // clamped low
  CHECK(e.gemm(DType::bf16, 1e7, 1e7, 1e7, 132) == doctest::Approx(0.05 * 4 * 3 * 1.5));         // clamped high
  // The compute model uses the table, reports it, and other dtypes keep the default curve.
  const ComputeModel model(d);
  CHECK(model.measured());
  CHECK(d.efficiency.describe().find("measured") == 0);
  CHECK(model.cost(gemm(1024, 1024, 512, DType::bf16)).compute_efficiency == doctest::Approx(0.05 * std::sqrt(2.0)));
  CHECK(model.cost(gemm(1024, 1024, 512, DType::fp8)).compute_efficiency ==
        doctest::Approx(d.efficiency.default_gemm(DType::fp8, 1024, 1024, 512, 132, d.peak(DType::fp8))));
  CHECK_FALSE(ComputeModel(catalog().accelerator("h100-sxm")).measured());
  CHECK(catalog().accelerator("h100-sxm").efficiency.describe() == "default curves");
}

TEST_CASE("dtype peaks come from the datasheet and unsupported dtypes are errors") {
  const AcceleratorSpec& h100 = catalog().accelerator("h100-sxm");
  const AcceleratorSpec& a100 = catalog().accelerator("a100-80gb-sxm");
  const AcceleratorSpec& tpu = catalog().accelerator("tpu-v5e");
  CHECK(h100.peak(DType::fp8) == doctest::Approx(2 * h100.peak(DType::bf16)).epsilon(0.001));
  CHECK(h100.peak(DType::tf32) == doctest::Approx(h100.peak(DType::bf16) / 2).epsilon(0.001));
  CHECK(a100.peak(DType::bf16) == doctest::Approx(312e12));
  // Compute-bound GEMM time scales with the dtype's peak (and its efficiency).
  const ComputeModel m(h100);
  const auto tf32 = m.cost(gemm(8192, 8192, 8192, DType::tf32));
  const auto bf16 = m.cost(gemm(8192, 8192, 8192, DType::bf16));
  CHECK(tf32.compute_seconds / bf16.compute_seconds ==
        doctest::Approx(2.0 * bf16.compute_efficiency / tf32.compute_efficiency));
  CHECK(tf32.compute_seconds > 1.9 * bf16.compute_seconds);
  // A100 has no FP8, TPU v5e no FP32 matmul: asking is an input error, not a silent fallback.
  CHECK_THROWS_AS(ComputeModel(a100).cost(gemm(1024, 1024, 1024, DType::fp8)), cs::InputError);
  CHECK_THROWS_AS(ComputeModel(tpu).cost(gemm(1024, 1024, 1024, DType::fp32)), cs::InputError);
  // FP8 operands move half the bytes of BF16.
  CHECK(gemm(1, 8192, 8192, DType::fp8).bytes_moved() == doctest::Approx(gemm(1, 8192, 8192, DType::bf16).bytes_moved() / 2));
}

TEST_CASE("2:4 sparsity doubles GEMM peaks only when asked and only where supported") {
  const AcceleratorSpec& h100 = catalog().accelerator("h100-sxm");
  const AcceleratorSpec& tpu = catalog().accelerator("tpu-v5p");
  const ComputeModel m(h100);
  Op dense = gemm(8192, 8192, 8192, DType::bf16);
  Op sparse = dense;
  sparse.sparse = true;
  CHECK(m.cost(sparse).compute_seconds < 0.55 * m.cost(dense).compute_seconds);
  // Not asked: the dense peak, whatever the device could do.
  CHECK(h100.peak(DType::bf16) == doctest::Approx(989e12));
  // A device without sparse tensor cores ignores the flag.
  CHECK(ComputeModel(tpu).cost(sparse).compute_seconds == doctest::Approx(ComputeModel(tpu).cost(dense).compute_seconds));
  // Attention and element-wise ops never use sparse peaks.
  Op att = attention(4, 32, 4096, 4096, 128, true, DType::bf16);
  Op att_sparse = att;
  att_sparse.sparse = true;
  CHECK(m.cost(att_sparse).seconds == doctest::Approx(m.cost(att).seconds));
  // FP64/FP32 have no sparse mode.
  CHECK(h100.peak(DType::fp32, true) == doctest::Approx(h100.peak(DType::fp32)));
}

TEST_CASE("tensor-parallel sharding divides the right dimension") {
  const Op qkv = gemm(8192, 3 * 8192, 8192, DType::bf16);
  const Op col = shard_columns(qkv, 8);
  CHECK(col.n == 3 * 1024);
  CHECK(col.m == qkv.m);
  CHECK(col.flops() == doctest::Approx(qkv.flops() / 8));
  const Op row = shard_rows(gemm(8192, 8192, 28672, DType::bf16), 8);
  CHECK(row.k == 3584);
  CHECK(shard_rows(gemm(16, 16, 100, DType::bf16), 3).k == 34);  // uneven: the largest shard
  const Op att = attention(2, 64, 4096, 4096, 128, true, DType::bf16, 8);
  const Op att8 = shard_heads(att, 8);
  CHECK(att8.heads == 8);
  CHECK(att8.kv_heads == 1);
  CHECK(att8.flops() == doctest::Approx(att.flops() / 8));
  CHECK(shard_heads(att, 16).kv_heads == 1);  // fewer KV heads than ranks: replicated
  CHECK(shard_bytes(elementwise(1e9, DType::bf16), 4).bytes == doctest::Approx(2.5e8));
  // Sharding a big GEMM 8 ways cuts its time by less than 8 (efficiency falls with size).
  const ComputeModel m(catalog().accelerator("h100-sxm"));
  const double t1 = m.seconds(qkv);
  const double t8 = m.seconds(col);
  CHECK(t8 < t1 / 6);
  CHECK(t8 > t1 / 8);
}

TEST_CASE("default GEMM curve: small problems lose to wave quantisation and per-tile overhead") {
  const AcceleratorSpec& d = catalog().accelerator("h100-sxm");
  const EfficiencyModel& e = d.efficiency;
  const double peak = d.peak(DType::fp8);
  const double big = e.gemm(DType::fp8, 8192, 8192, 8192, d.compute_units, peak);
  CHECK(big <= e.defaults().gemm_max_by_dtype[index(DType::fp8)]);
  CHECK(big > 0.9 * e.defaults().gemm_max_by_dtype[index(DType::fp8)]);
  CHECK(e.gemm(DType::fp8, 1024, 1024, 1024, d.compute_units, peak) < 0.6 * big);
  // The fixed per-tile cost hides behind a K loop that grows with the unit's speed.
  CHECK(e.k_half(256, 128, d.compute_units, d.peak(DType::fp8)) ==
        doctest::Approx(2 * e.k_half(256, 128, d.compute_units, d.peak(DType::bf16))).epsilon(0.01));
  CHECK(e.k_half(256, 128, d.compute_units, 0.0) == EfficiencyModel::kFallbackKHalf);
  // One tile more than the machine holds costs a whole extra wave.
  const double m_full = 132.0 * 256;  // 132 tiles of 256 x 128 with N = 128
  CHECK(e.gemm(DType::fp8, m_full + 256, 128, 8192, 132, peak) < e.gemm(DType::fp8, m_full, 128, 8192, 132, peak));
}
