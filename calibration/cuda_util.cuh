#pragma once
// Shared by the calibration *.cu files: error checks, RAII device memory and events, and
// the timing protocol described in measure.hpp.
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "calibration/measure.hpp"

namespace cs::calib {

inline void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(e));
}
#define CALIB_CUDA(call) ::cs::calib::check((call), #call)

class DeviceBuffer {
 public:
  explicit DeviceBuffer(std::size_t bytes) : bytes_(bytes) {
    CALIB_CUDA(cudaMalloc(&ptr_, std::max<std::size_t>(bytes, 16)));
  }
  ~DeviceBuffer() { cudaFree(ptr_); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  template <class T = void>
  T* get() const { return static_cast<T*>(ptr_); }
  char* bytes_ptr(std::size_t offset) const { return static_cast<char*>(ptr_) + offset; }
  std::size_t size() const { return bytes_; }

 private:
  void* ptr_ = nullptr;
  std::size_t bytes_;
};

class Event {
 public:
  Event() { CALIB_CUDA(cudaEventCreate(&e_)); }
  ~Event() { cudaEventDestroy(e_); }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  cudaEvent_t get() const { return e_; }

 private:
  cudaEvent_t e_{};
};

class Stream {
 public:
  Stream() { CALIB_CUDA(cudaStreamCreateWithFlags(&s_, cudaStreamNonBlocking)); }
  ~Stream() { cudaStreamDestroy(s_); }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  cudaStream_t get() const { return s_; }

 private:
  cudaStream_t s_{};
};

inline double elapsed_seconds(const Event& a, const Event& b) {
  CALIB_CUDA(cudaEventSynchronize(b.get()));
  float ms = 0;
  CALIB_CUDA(cudaEventElapsedTime(&ms, a.get(), b.get()));
  return 1e-3 * static_cast<double>(ms);
}

// Warm-up, then `repetitions` samples of `inner` back-to-back runs each; run(i) enqueues
// the i-th run on `stream` (i lets callers rotate buffers).
template <class Run>
std::vector<double> time_runs(const Plan& plan, cudaStream_t stream, Run&& run) {
  long counter = 0;
  for (int i = 0; i < plan.warmup; ++i) run(counter++);
  CALIB_CUDA(cudaStreamSynchronize(stream));
  Event a, b;
  CALIB_CUDA(cudaEventRecord(a.get(), stream));
  run(counter++);
  CALIB_CUDA(cudaEventRecord(b.get(), stream));
  const double one = std::max(elapsed_seconds(a, b), 1e-7);
  const int inner = static_cast<int>(std::clamp(std::ceil(plan.min_rep_seconds / one), 1.0, 10000.0));
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(plan.repetitions));
  for (int r = 0; r < plan.repetitions; ++r) {
    CALIB_CUDA(cudaEventRecord(a.get(), stream));
    for (int j = 0; j < inner; ++j) run(counter++);
    CALIB_CUDA(cudaEventRecord(b.get(), stream));
    out.push_back(elapsed_seconds(a, b) / inner);
  }
  CALIB_CUDA(cudaGetLastError());
  return out;
}

inline void log(const Plan& plan, const std::string& line) {
  if (plan.log) plan.log(line);
}

// Fills `count` elements of T with small pseudo-random values (random data draws the
// power a real workload draws; zeros would flatter the clocks).
void fill_random(void* data, std::size_t count, const std::string& dtype, cudaStream_t stream);

}  // namespace cs::calib
