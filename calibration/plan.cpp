// What a calibration run measures: the grids and size sweeps of each benchmark. Host-only
// code (no CUDA), so the test suite checks it on machines without a GPU.
#include <algorithm>
#include <cmath>

#include "calibration/measure.hpp"

namespace cs::calib {

std::vector<double> geometric(double lo, double hi, double step) {
  std::vector<double> v;
  for (double x = lo; x <= hi * 1.0000001; x *= step) v.push_back(x);
  return v;
}

void gemm_axes(const Plan& plan, const std::string& dtype, std::vector<std::int64_t>& m, std::vector<std::int64_t>& n,
               std::vector<std::int64_t>& k) {
  // M covers decode (1-32 tokens), small prefill and large training batches; N and K cover
  // head-dim-sized projections up to the FFN and vocabulary widths of 7B-400B models.
  if (plan.quick) {
    m = {1, 16, 128, 1024, 8192};
    n = {512, 4096, 16384};
    k = {512, 4096, 16384};
  } else {
    m = {1, 8, 32, 128, 512, 2048, 8192, 32768};
    n = {128, 512, 2048, 4096, 8192, 16384, 32768};
    k = {128, 512, 1024, 2048, 4096, 8192, 16384};
  }
  if (dtype == "fp8") {
    // FP8 cuBLASLt kernels need 16-element aligned leading dimensions, so M starts at 16;
    // the compute model clamps smaller M to it (decode at M < 16 is memory-bound anyway).
    for (auto& x : m) x = std::max<std::int64_t>(x, 16);
    m.erase(std::unique(m.begin(), m.end()), m.end());
  }
}

std::vector<double> memory_sizes(const Plan& plan, double free_bytes) {
  const double cap = plan.quick ? double(1u << 30) : double(4ull << 30);
  // Copies need source and destination; keep half of free memory spare.
  return geometric(4096, std::min(cap, free_bytes / 4.0), plan.quick ? 8.0 : 4.0);
}

std::vector<double> host_sizes(const Plan& plan, double free_bytes) {
  const double cap = plan.quick ? double(256u << 20) : double(1u << 30);
  return geometric(4096, std::min(cap, free_bytes / 4.0), 4.0);
}

std::vector<double> multi_gpu_sizes(const Plan& plan) {
  return geometric(1 << 20, plan.quick ? double(256u << 20) : double(1u << 30), plan.quick ? 16.0 : 4.0);
}

std::vector<AttentionShape> attention_shapes(const Plan& plan) {
  const std::vector<std::int64_t> seqs = plan.quick ? std::vector<std::int64_t>{1024, 4096}
                                                    : std::vector<std::int64_t>{512, 1024, 2048, 4096, 8192};
  const std::vector<std::int64_t> bhs = plan.quick ? std::vector<std::int64_t>{32, 128}
                                                   : std::vector<std::int64_t>{8, 32, 128, 512};
  const std::vector<std::int64_t> dims = plan.quick ? std::vector<std::int64_t>{128} : std::vector<std::int64_t>{64, 128};
  std::vector<AttentionShape> out;
  for (std::int64_t d : dims) {
    for (std::int64_t s : seqs) {
      for (std::int64_t bh : bhs) {
        if (double(bh) * double(s) * double(s) <= kMaxScoreElements) out.push_back({bh, s, d});
      }
    }
  }
  return out;
}

PlanSize plan_size(const Plan& plan, double free_bytes, int gpus, bool fp8, bool nccl) {
  PlanSize p;
  for (const std::string& dtype : plan.dtypes) {
    if (dtype == "fp8" && !fp8) continue;
    std::vector<std::int64_t> m, n, k;
    gemm_axes(plan, dtype, m, n, k);
    p.gemm += m.size() * n.size() * k.size();
  }
  p.memory = 2 * memory_sizes(plan, free_bytes).size();
  p.launch = 1;
  if (plan.transfers) p.transfers = 2 * host_sizes(plan, free_bytes).size();
  if (plan.attention) p.attention = attention_shapes(plan).size();
  if (plan.multi_gpu && gpus > 1) {
    const std::size_t pairs = plan.quick ? 1 : static_cast<std::size_t>(gpus - 1);
    p.peer = pairs * multi_gpu_sizes(plan).size();
    if (nccl) p.collectives = 3 * multi_gpu_sizes(plan).size();
  }
  return p;
}

}  // namespace cs::calib
