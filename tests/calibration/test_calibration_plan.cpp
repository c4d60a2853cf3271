#include <doctest/doctest.h>

#include <algorithm>

#include "calibration/measure.hpp"

using namespace cs::calib;

namespace {

Plan quick() { return Plan{}; }
Plan full() {
  Plan p;
  p.quick = false;
  return p;
}

template <class T>
bool strictly_increasing(const std::vector<T>& v) {
  return std::adjacent_find(v.begin(), v.end(), [](T a, T b) { return b <= a; }) == v.end();
}

}  // namespace

TEST_CASE("GEMM grids cover decode to training shapes, FP8 from M = 16") {
  for (const Plan& plan : {quick(), full()}) {
    for (const std::string dtype : {"bf16", "fp16", "tf32", "fp8"}) {
      std::vector<std::int64_t> m, n, k;
      gemm_axes(plan, dtype, m, n, k);
      CAPTURE(dtype);
      CHECK(strictly_increasing(m));
      CHECK(strictly_increasing(n));
      CHECK(strictly_increasing(k));
      CHECK(m.front() == (dtype == "fp8" ? 16 : 1));  // decode: one token (FP8: the smallest it runs)
      CHECK(m.back() >= 8192);                       // training micro-batch x sequence
      CHECK(n.back() >= 16384);                      // FFN widths
      CHECK(k.back() >= 16384);
      for (auto x : k) CHECK(x % 16 == 0);  // FP8 and tensor-core alignment
    }
  }
}

TEST_CASE("size sweeps run from KiB to GiB and respect free memory") {
  const auto q = memory_sizes(quick(), 80e9);
  CHECK(q.front() == 4096);
  CHECK(q.back() == double(1u << 30));
  CHECK(strictly_increasing(q));
  CHECK(memory_sizes(full(), 80e9).back() == double(4ull << 30));
  CHECK(memory_sizes(full(), 4e9).back() <= 1e9);  // a quarter of what is free
  CHECK(host_sizes(quick(), 80e9).back() == double(256u << 20));
  CHECK(host_sizes(full(), 80e9).back() == double(1u << 30));
  CHECK(multi_gpu_sizes(full()).front() == double(1u << 20));
  CHECK(multi_gpu_sizes(full()).back() == double(1u << 30));
  CHECK(geometric(1, 64, 4) == std::vector<double>{1, 4, 16, 64});
}

TEST_CASE("attention shapes stay within the score-buffer cap") {
  const auto q = attention_shapes(quick());
  const auto f = attention_shapes(full());
  CHECK(q.size() == 4);
  CHECK(f.size() == 34);
  for (const auto& s : f) CHECK(double(s.batch_heads) * s.seq * s.seq <= kMaxScoreElements);
  CHECK(std::any_of(f.begin(), f.end(), [](const AttentionShape& s) { return s.seq == 8192; }));
  CHECK(std::any_of(f.begin(), f.end(), [](const AttentionShape& s) { return s.head_dim == 64; }));
}

TEST_CASE("plan sizes match docs/calibration.md") {
  const PlanSize q = plan_size(quick(), 1e12, 1, true, true);
  CHECK(q.gemm == 3 * 45 + 36);
  CHECK(q.total() == 171 + 14 + 1 + 18 + 4);
  CHECK(q.peer == 0);
  const PlanSize f = plan_size(full(), 1e12, 1, true, true);
  CHECK(f.gemm == 1519);
  CHECK(f.total() == 1596);
  const PlanSize f8 = plan_size(full(), 1e12, 8, true, true);
  CHECK(f8.peer == 7 * 6);
  CHECK(f8.collectives == 3 * 6);
  CHECK(plan_size(full(), 1e12, 8, true, false).collectives == 0);
  CHECK(plan_size(quick(), 1e12, 1, false, true).gemm == 3 * 45);  // no FP8 before compute capability 8.9
  Plan lean = quick();
  lean.attention = false;
  lean.transfers = false;
  lean.dtypes = {"bf16"};
  CHECK(plan_size(lean, 1e12, 1, true, true).total() == 45 + 14 + 1);
}
