// Dense GEMM throughput with cuBLASLt over an (M, N, K) grid per dtype.
//
// Layout is "TN" (A transposed), the one layout every dtype supports, FP8 included:
// A is K x M and B is K x N, both column-major with leading dimension K; C is M x N.
// Inputs and outputs are 16-bit for BF16/FP16/FP8 (FP8 writes BF16, as training
// recipes do), FP32 for TF32; accumulation is FP32 throughout.
#include <cublasLt.h>

#include <memory>

#include "calibration/cuda_util.cuh"

namespace cs::calib {
namespace {

void check_lt(cublasStatus_t s, const char* what) {
  if (s != CUBLAS_STATUS_SUCCESS) throw std::runtime_error(std::string(what) + ": cuBLAS status " + std::to_string(static_cast<int>(s)));
}
#define CALIB_LT(call) check_lt((call), #call)

struct Types {
  cudaDataType_t ab, c;
  cublasComputeType_t compute;
  std::size_t ab_bytes, c_bytes;
};

Types types_for(const std::string& dtype) {
  if (dtype == "bf16") return {CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, 2, 2};
  if (dtype == "fp16") return {CUDA_R_16F, CUDA_R_16F, CUBLAS_COMPUTE_32F, 2, 2};
  if (dtype == "tf32") return {CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32, 4, 4};
  if (dtype == "fp8") return {CUDA_R_8F_E4M3, CUDA_R_16BF, CUBLAS_COMPUTE_32F, 1, 2};
  throw std::runtime_error("no GEMM benchmark for dtype " + dtype);
}

struct LtHandle {
  cublasLtHandle_t h{};
  LtHandle() { CALIB_LT(cublasLtCreate(&h)); }
  ~LtHandle() { cublasLtDestroy(h); }
};

struct Desc {
  cublasLtMatmulDesc_t op{};
  cublasLtMatrixLayout_t a{}, b{}, c{};
  ~Desc() {
    if (a) cublasLtMatrixLayoutDestroy(a);
    if (b) cublasLtMatrixLayoutDestroy(b);
    if (c) cublasLtMatrixLayoutDestroy(c);
    if (op) cublasLtMatmulDescDestroy(op);
  }
};

constexpr std::size_t kWorkspace = 32u << 20;

}  // namespace

std::vector<GemmPoint> measure_gemm(const Plan& plan, const DeviceQuery& dev, const std::string& dtype) {
  const Types t = types_for(dtype);
  std::vector<std::int64_t> ms, ns, ks;
  gemm_axes(plan, dtype, ms, ns, ks);
  LtHandle lt;
  Stream stream;
  DeviceBuffer workspace(kWorkspace);
  DeviceBuffer scale(sizeof(float));
  const float one = 1.0f, zero = 0.0f;
  CALIB_CUDA(cudaMemcpy(scale.get(), &one, sizeof(float), cudaMemcpyHostToDevice));

  std::vector<GemmPoint> out;
  for (std::int64_t m : ms) {
    for (std::int64_t n : ns) {
      for (std::int64_t k : ks) {
        const std::size_t a_bytes = static_cast<std::size_t>(m * k) * t.ab_bytes;
        const std::size_t b_bytes = static_cast<std::size_t>(k * n) * t.ab_bytes;
        const std::size_t c_bytes = static_cast<std::size_t>(m * n) * t.c_bytes;
        // Enough operand copies that consecutive calls do not find their inputs in L2.
        const std::size_t b_offset = (a_bytes + 255) / 256 * 256;  // 256-byte aligned operands
        const std::size_t set = (b_offset + b_bytes + 255) / 256 * 256;
        const std::size_t copies = std::clamp<std::size_t>((static_cast<std::size_t>(2 * dev.l2_bytes) + set - 1) / set, 1, 64);
        DeviceBuffer operands(set * copies);
        DeviceBuffer c(c_bytes);
        fill_random(operands.get(), operands.size() / t.ab_bytes, dtype, stream.get());

        Desc d;
        CALIB_LT(cublasLtMatmulDescCreate(&d.op, t.compute, CUDA_R_32F));
        const cublasOperation_t op_t = CUBLAS_OP_T, op_n = CUBLAS_OP_N;
        CALIB_LT(cublasLtMatmulDescSetAttribute(d.op, CUBLASLT_MATMUL_DESC_TRANSA, &op_t, sizeof(op_t)));
        CALIB_LT(cublasLtMatmulDescSetAttribute(d.op, CUBLASLT_MATMUL_DESC_TRANSB, &op_n, sizeof(op_n)));
        if (dtype == "fp8") {
          const void* sp = scale.get();
          CALIB_LT(cublasLtMatmulDescSetAttribute(d.op, CUBLASLT_MATMUL_DESC_A_SCALE_POINTER, &sp, sizeof(sp)));
          CALIB_LT(cublasLtMatmulDescSetAttribute(d.op, CUBLASLT_MATMUL_DESC_B_SCALE_POINTER, &sp, sizeof(sp)));
        }
        CALIB_LT(cublasLtMatrixLayoutCreate(&d.a, t.ab, k, m, k));
        CALIB_LT(cublasLtMatrixLayoutCreate(&d.b, t.ab, k, n, k));
        CALIB_LT(cublasLtMatrixLayoutCreate(&d.c, t.c, m, n, m));

        cublasLtMatmulPreference_t pref{};
        CALIB_LT(cublasLtMatmulPreferenceCreate(&pref));
        std::unique_ptr<std::remove_pointer_t<cublasLtMatmulPreference_t>, decltype(&cublasLtMatmulPreferenceDestroy)>
            pref_guard(pref, &cublasLtMatmulPreferenceDestroy);
        const std::size_t ws = kWorkspace;
        CALIB_LT(cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws, sizeof(ws)));
        cublasLtMatmulHeuristicResult_t heuristic{};
        int found = 0;
        CALIB_LT(cublasLtMatmulAlgoGetHeuristic(lt.h, d.op, d.a, d.b, d.c, d.c, pref, 1, &heuristic, &found));
        if (found == 0) {
          throw std::runtime_error("cuBLASLt has no " + dtype + " algorithm for M=" + std::to_string(m) +
                                   " N=" + std::to_string(n) + " K=" + std::to_string(k));
        }
        auto run = [&](long i) {
          const std::size_t base = static_cast<std::size_t>(i) % copies * set;
          CALIB_LT(cublasLtMatmul(lt.h, d.op, &one, operands.bytes_ptr(base), d.a, operands.bytes_ptr(base + b_offset),
                                  d.b, &zero, c.get(), d.c, c.get(), d.c, &heuristic.algo, workspace.get(), kWorkspace,
                                  stream.get()));
        };
        GemmPoint p{dtype, m, n, k, time_runs(plan, stream.get(), run)};
        out.push_back(std::move(p));
      }
    }
    log(plan, "  " + dtype + " GEMM M=" + std::to_string(m) + " done");
  }
  return out;
}

}  // namespace cs::calib
