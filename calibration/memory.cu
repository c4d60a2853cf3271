// Memory-system benchmarks: device memory bandwidth (copy and read-mostly kernels), kernel
// launch overhead, pinned host<->device copies and peer-to-peer copies.
#include <cuda_runtime.h>

#include <cstring>
#include <memory>

#include "calibration/cuda_util.cuh"

namespace cs::calib {
namespace {

__global__ void copy_kernel(const int4* __restrict__ src, int4* __restrict__ dst, std::size_t n) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    dst[i] = src[i];
  }
}

// Reads every element and writes one word per block, and only when the data holds an
// impossible value, so the compiler cannot drop the loads and the writes cost nothing.
__global__ void read_kernel(const int4* __restrict__ src, std::size_t n, int* __restrict__ sink) {
  int acc = 0;
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    const int4 v = src[i];
    acc ^= v.x ^ v.y ^ v.z ^ v.w;
  }
  if (acc == 0x7fffffff) sink[blockIdx.x] = acc;
}

__global__ void empty_kernel() {}

unsigned grid_for(std::size_t vectors, int sm_count) {
  const std::size_t wanted = (vectors + 255) / 256;
  return static_cast<unsigned>(std::clamp<std::size_t>(wanted, 1, static_cast<std::size_t>(sm_count) * 8));
}

double free_memory() {
  std::size_t free_bytes = 0, total = 0;
  CALIB_CUDA(cudaMemGetInfo(&free_bytes, &total));
  return static_cast<double>(free_bytes);
}

}  // namespace

std::vector<SizePoint> measure_memory(const Plan& plan, const DeviceQuery& dev) {
  const std::vector<double> sizes = memory_sizes(plan, free_memory());
  // An arena of at least 8 x L2 lets consecutive kernels touch different memory.
  const std::size_t arena_bytes = static_cast<std::size_t>(std::max(8.0 * dev.l2_bytes, 2.0 * sizes.back()));
  DeviceBuffer arena(arena_bytes);
  DeviceBuffer sink(sizeof(int) * 65536);
  Stream stream;
  CALIB_CUDA(cudaMemsetAsync(arena.get(), 1, arena_bytes, stream.get()));
  std::vector<SizePoint> out;
  for (const char* kind : {"copy", "read"}) {
    for (double size : sizes) {
      const std::size_t bytes = static_cast<std::size_t>(size);
      const std::size_t slots = arena_bytes / bytes;
      const std::size_t vectors = bytes / sizeof(int4);
      const unsigned grid = grid_for(vectors, dev.sm_count);
      const bool copy = std::string(kind) == "copy";
      auto run = [&](long i) {
        const std::size_t s = copy ? (2 * static_cast<std::size_t>(i)) % slots : static_cast<std::size_t>(i) % slots;
        const auto* src = reinterpret_cast<const int4*>(arena.bytes_ptr(s * bytes));
        if (copy) {
          auto* dst = reinterpret_cast<int4*>(arena.bytes_ptr(((s + 1) % slots) * bytes));
          copy_kernel<<<grid, 256, 0, stream.get()>>>(src, dst, vectors);
        } else {
          read_kernel<<<grid, 256, 0, stream.get()>>>(src, vectors, sink.get<int>());
        }
      };
      out.push_back({kind, 0, 0, 0, size, time_runs(plan, stream.get(), run)});
    }
    log(plan, std::string("  memory ") + kind + " done");
  }
  return out;
}

std::vector<double> measure_launch(const Plan& plan) {
  Stream stream;
  constexpr int kLaunches = 1000;
  Plan p = plan;
  p.min_rep_seconds = 0;  // one batch of launches per repetition
  auto run = [&](long) {
    for (int i = 0; i < kLaunches; ++i) empty_kernel<<<1, 32, 0, stream.get()>>>();
  };
  std::vector<double> seconds = time_runs(p, stream.get(), run);
  for (double& s : seconds) s /= kLaunches;
  return seconds;
}

std::vector<SizePoint> measure_host_transfers(const Plan& plan) {
  const std::vector<double> sizes = host_sizes(plan, free_memory());
  const std::size_t bytes_max = static_cast<std::size_t>(sizes.back());
  void* host = nullptr;
  CALIB_CUDA(cudaMallocHost(&host, bytes_max));
  std::unique_ptr<void, decltype(&cudaFreeHost)> host_guard(host, &cudaFreeHost);
  std::memset(host, 1, bytes_max);
  DeviceBuffer device(bytes_max);
  Stream stream;
  std::vector<SizePoint> out;
  for (const char* kind : {"h2d", "d2h"}) {
    const bool h2d = std::string(kind) == "h2d";
    for (double size : sizes) {
      const std::size_t bytes = static_cast<std::size_t>(size);
      auto run = [&](long) {
        CALIB_CUDA(h2d ? cudaMemcpyAsync(device.get(), host, bytes, cudaMemcpyHostToDevice, stream.get())
                       : cudaMemcpyAsync(host, device.get(), bytes, cudaMemcpyDeviceToHost, stream.get()));
      };
      out.push_back({kind, 0, 0, 0, size, time_runs(plan, stream.get(), run)});
    }
  }
  log(plan, "  host transfers done");
  return out;
}

std::vector<SizePoint> measure_peer(const Plan& plan, const DeviceQuery& dev) {
  std::vector<SizePoint> out;
  if (dev.gpu_count < 2) return out;
  const std::vector<double> sizes = multi_gpu_sizes(plan);
  const std::size_t bytes_max = static_cast<std::size_t>(sizes.back());
  const int last = plan.quick ? 1 : dev.gpu_count - 1;
  for (int dst = 1; dst <= last; ++dst) {
    if (dst == plan.device) continue;
    int can = 0;
    CALIB_CUDA(cudaDeviceCanAccessPeer(&can, plan.device, dst));
    if (!can) {
      log(plan, "  no peer access " + std::to_string(plan.device) + " -> " + std::to_string(dst) + ", skipped");
      continue;
    }
    CALIB_CUDA(cudaSetDevice(plan.device));
    const cudaError_t e = cudaDeviceEnablePeerAccess(dst, 0);
    if (e != cudaErrorPeerAccessAlreadyEnabled) CALIB_CUDA(e);
    cudaGetLastError();
    DeviceBuffer src(bytes_max);
    CALIB_CUDA(cudaSetDevice(dst));
    DeviceBuffer to(bytes_max);
    CALIB_CUDA(cudaSetDevice(plan.device));
    Stream stream;
    for (double size : sizes) {
      const std::size_t bytes = static_cast<std::size_t>(size);
      auto run = [&](long) {
        CALIB_CUDA(cudaMemcpyPeerAsync(to.get(), dst, src.get(), plan.device, bytes, stream.get()));
      };
      out.push_back({"p2p", plan.device, dst, 0, size, time_runs(plan, stream.get(), run)});
    }
    log(plan, "  peer " + std::to_string(plan.device) + " -> " + std::to_string(dst) + " done");
  }
  return out;
}

}  // namespace cs::calib
