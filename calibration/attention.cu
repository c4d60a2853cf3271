// Attention-like workload: for each of batch x heads, scores = Q K^T (cuBLAS strided
// batched GEMM), a row softmax (our kernel, FP32 math over BF16 scores), then O = P V.
// This is the unfused path; fused (flash) kernels avoid writing the scores and run faster,
// which is why the fitted factor is recorded, not applied (docs/calibration.md).
#include <cublas_v2.h>
#include <cuda_bf16.h>

#include "calibration/cuda_util.cuh"

namespace cs::calib {
namespace {

void check_blas(cublasStatus_t s, const char* what) {
  if (s != CUBLAS_STATUS_SUCCESS) throw std::runtime_error(std::string(what) + ": cuBLAS status " + std::to_string(static_cast<int>(s)));
}
#define CALIB_BLAS(call) check_blas((call), #call)

// One block per row of `len` contiguous scores, in place.
__global__ void softmax_rows(__nv_bfloat16* scores, int len, float scale) {
  __shared__ float partial[32];
  __nv_bfloat16* row = scores + static_cast<std::size_t>(blockIdx.x) * len;
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32, warps = blockDim.x / 32;
  float m = -INFINITY;
  for (int i = threadIdx.x; i < len; i += blockDim.x) m = fmaxf(m, __bfloat162float(row[i]) * scale);
  for (int o = 16; o > 0; o /= 2) m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, o));
  if (lane == 0) partial[warp] = m;
  __syncthreads();
  m = partial[0];
  for (int w = 1; w < warps; ++w) m = fmaxf(m, partial[w]);
  __syncthreads();
  float sum = 0.0f;
  for (int i = threadIdx.x; i < len; i += blockDim.x) sum += __expf(__bfloat162float(row[i]) * scale - m);
  for (int o = 16; o > 0; o /= 2) sum += __shfl_xor_sync(0xffffffffu, sum, o);
  if (lane == 0) partial[warp] = sum;
  __syncthreads();
  sum = 0.0f;
  for (int w = 0; w < warps; ++w) sum += partial[w];
  const float inv = 1.0f / sum;
  for (int i = threadIdx.x; i < len; i += blockDim.x) {
    row[i] = __float2bfloat16(__expf(__bfloat162float(row[i]) * scale - m) * inv);
  }
}

struct BlasHandle {
  cublasHandle_t h{};
  BlasHandle() { CALIB_BLAS(cublasCreate(&h)); }
  ~BlasHandle() { cublasDestroy(h); }
};

}  // namespace

std::vector<AttentionPoint> measure_attention(const Plan& plan, const DeviceQuery& dev) {
  (void)dev;
  BlasHandle blas;
  Stream stream;
  CALIB_BLAS(cublasSetStream(blas.h, stream.get()));
  std::vector<AttentionPoint> out;
  for (const AttentionShape& shape : attention_shapes(plan)) {
    const std::int64_t d = shape.head_dim, s = shape.seq, bh = shape.batch_heads;
    const std::size_t qkv = static_cast<std::size_t>(bh * s * d);
    DeviceBuffer q(qkv * 2), k(qkv * 2), v(qkv * 2), o(qkv * 2);
    DeviceBuffer p(static_cast<std::size_t>(bh * s * s) * 2);
    for (const DeviceBuffer* b : {&q, &k, &v}) fill_random(b->get(), qkv, "bf16", stream.get());
    const float one = 1.0f, zero = 0.0f;
    const float scale = 1.0f / std::sqrt(static_cast<float>(d));
    const int n = static_cast<int>(s), hd = static_cast<int>(d);
    auto run = [&](long) {
      // scores (s x s, column j = query j) = K^T Q, with K and Q stored d x s per head.
      CALIB_BLAS(cublasGemmStridedBatchedEx(blas.h, CUBLAS_OP_T, CUBLAS_OP_N, n, n, hd, &one, k.get(), CUDA_R_16BF, hd,
                                            s * d, q.get(), CUDA_R_16BF, hd, s * d, &zero, p.get(), CUDA_R_16BF, n,
                                            s * s, static_cast<int>(bh), CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
      softmax_rows<<<static_cast<unsigned>(bh * s), 256, 0, stream.get()>>>(p.get<__nv_bfloat16>(), n, scale);
      // O (d x s) = V (d x s) P (s x s).
      CALIB_BLAS(cublasGemmStridedBatchedEx(blas.h, CUBLAS_OP_N, CUBLAS_OP_N, hd, n, n, &one, v.get(), CUDA_R_16BF, hd,
                                            s * d, p.get(), CUDA_R_16BF, n, s * s, &zero, o.get(), CUDA_R_16BF, hd,
                                            s * d, static_cast<int>(bh), CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
    };
    out.push_back({"bf16", bh, s, d, time_runs(plan, stream.get(), run)});
  }
  log(plan, "  attention done");
  return out;
}

}  // namespace cs::calib
