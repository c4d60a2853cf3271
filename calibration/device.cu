// Device description and buffer initialisation.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "calibration/cuda_util.cuh"

namespace cs::calib {
namespace {

// The NVIDIA kernel module version ("550.54.15"), or "" where the file is not readable.
std::string kernel_module_version() {
  std::ifstream in("/proc/driver/nvidia/version");
  std::string line;
  if (!in || !std::getline(in, line)) return "";
  std::istringstream words(line);
  std::string w;
  while (words >> w) {
    if (!w.empty() && w.find('.') != std::string::npos && std::isdigit(static_cast<unsigned char>(w[0]))) return w;
  }
  return "";
}

__device__ float hashed_value(std::size_t i) {
  unsigned x = static_cast<unsigned>(i) * 2654435761u + 0x9e3779b9u;
  x ^= x >> 15;
  x *= 2246822519u;
  x ^= x >> 13;
  return (static_cast<float>(x & 0xffff) / 65535.0f - 0.5f) * 0.25f;
}

template <class T>
__global__ void fill_kernel(T* data, std::size_t count) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    data[i] = T(hashed_value(i));
  }
}

template <class T>
void launch_fill(void* data, std::size_t count, cudaStream_t stream) {
  const unsigned blocks = static_cast<unsigned>(std::min<std::size_t>((count + 255) / 256, 65535));
  fill_kernel<T><<<std::max(blocks, 1u), 256, 0, stream>>>(static_cast<T*>(data), count);
  CALIB_CUDA(cudaGetLastError());
}

}  // namespace

void fill_random(void* data, std::size_t count, const std::string& dtype, cudaStream_t stream) {
  if (dtype == "bf16") return launch_fill<__nv_bfloat16>(data, count, stream);
  if (dtype == "fp16") return launch_fill<__half>(data, count, stream);
  if (dtype == "fp8") return launch_fill<__nv_fp8_e4m3>(data, count, stream);
  return launch_fill<float>(data, count, stream);
}

DeviceQuery query_device(int device) {
  int count = 0;
  if (const cudaError_t e = cudaGetDeviceCount(&count); e != cudaSuccess || count == 0) {
    throw std::runtime_error(std::string("no usable CUDA GPU on this machine (") +
                             (e != cudaSuccess ? cudaGetErrorString(e) : "no devices") + ")");
  }
  if (device < 0 || device >= count) {
    throw std::runtime_error("device " + std::to_string(device) + " does not exist (" + std::to_string(count) +
                             " CUDA devices)");
  }
  CALIB_CUDA(cudaSetDevice(device));
  cudaDeviceProp p{};
  CALIB_CUDA(cudaGetDeviceProperties(&p, device));
  DeviceQuery q;
  q.name = p.name;
  q.major = p.major;
  q.minor = p.minor;
  q.sm_count = p.multiProcessorCount;
  q.gpu_count = count;
  q.memory_bytes = static_cast<double>(p.totalGlobalMem);
  q.l2_bytes = static_cast<double>(p.l2CacheSize);
  int khz = 0;
  if (cudaDeviceGetAttribute(&khz, cudaDevAttrClockRate, device) == cudaSuccess) q.sm_clock_hz = 1e3 * khz;
  if (cudaDeviceGetAttribute(&khz, cudaDevAttrMemoryClockRate, device) == cudaSuccess) q.memory_clock_hz = 1e3 * khz;
  cudaGetLastError();  // an unreadable attribute is not an error worth keeping
  q.driver = kernel_module_version();
  CALIB_CUDA(cudaDriverGetVersion(&q.cuda_driver_version));
  CALIB_CUDA(cudaRuntimeGetVersion(&q.cuda_runtime_version));
  return q;
}

bool dtype_supported(const DeviceQuery& dev, const std::string& dtype) {
  const int cc = dev.major * 10 + dev.minor;
  if (dtype == "fp8") return cc >= 89;
  if (dtype == "bf16" || dtype == "tf32") return cc >= 80;
  return cc >= 70;  // fp16 tensor cores
}

}  // namespace cs::calib
