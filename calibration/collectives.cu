// NCCL collectives across every GPU of this machine, from one process (ncclCommInitAll).
// Compiled with NCCL only when CMake found it (CLUSTERSIM_HAVE_NCCL).
#include <chrono>
#include <memory>

#include "calibration/cuda_util.cuh"

#ifdef CLUSTERSIM_HAVE_NCCL
#include <nccl.h>
#endif

namespace cs::calib {

bool built_with_nccl() {
#ifdef CLUSTERSIM_HAVE_NCCL
  return true;
#else
  return false;
#endif
}

std::vector<SizePoint> measure_collectives(const Plan& plan, const DeviceQuery& dev) {
  std::vector<SizePoint> out;
#ifdef CLUSTERSIM_HAVE_NCCL
  const int g = dev.gpu_count;
  if (g < 2) return out;
  auto check_nccl = [](ncclResult_t r, const char* what) {
    if (r != ncclSuccess) throw std::runtime_error(std::string(what) + ": " + ncclGetErrorString(r));
  };
  std::vector<ncclComm_t> comms(static_cast<std::size_t>(g));
  std::vector<int> devs(static_cast<std::size_t>(g));
  for (int i = 0; i < g; ++i) devs[static_cast<std::size_t>(i)] = i;
  check_nccl(ncclCommInitAll(comms.data(), g, devs.data()), "ncclCommInitAll");
  const std::vector<double> sizes = multi_gpu_sizes(plan);
  const std::size_t bytes_max = static_cast<std::size_t>(sizes.back());
  std::vector<std::unique_ptr<DeviceBuffer>> send, recv;
  std::vector<std::unique_ptr<Stream>> streams;
  for (int i = 0; i < g; ++i) {
    CALIB_CUDA(cudaSetDevice(i));
    send.push_back(std::make_unique<DeviceBuffer>(bytes_max));
    recv.push_back(std::make_unique<DeviceBuffer>(bytes_max));
    streams.push_back(std::make_unique<Stream>());
  }
  auto sync_all = [&] {
    for (int i = 0; i < g; ++i) {
      CALIB_CUDA(cudaSetDevice(i));
      CALIB_CUDA(cudaStreamSynchronize(streams[static_cast<std::size_t>(i)]->get()));
    }
  };
  for (const char* op : {"all_reduce", "all_gather", "reduce_scatter"}) {
    const std::string name = op;
    for (double size : sizes) {
      // `size` is the larger buffer (nccl-tests convention): all-gather output, reduce-scatter input.
      const std::size_t total = static_cast<std::size_t>(size) / 2;  // BF16 elements
      const std::size_t shard = total / static_cast<std::size_t>(g);
      auto launch = [&] {
        check_nccl(ncclGroupStart(), "ncclGroupStart");
        for (int i = 0; i < g; ++i) {
          const auto u = static_cast<std::size_t>(i);
          void* s = send[u]->get();
          void* r = recv[u]->get();
          cudaStream_t st = streams[u]->get();
          if (name == "all_reduce") check_nccl(ncclAllReduce(s, r, total, ncclBfloat16, ncclSum, comms[u], st), "ncclAllReduce");
          else if (name == "all_gather") check_nccl(ncclAllGather(s, r, shard, ncclBfloat16, comms[u], st), "ncclAllGather");
          else check_nccl(ncclReduceScatter(s, r, shard, ncclBfloat16, ncclSum, comms[u], st), "ncclReduceScatter");
        }
        check_nccl(ncclGroupEnd(), "ncclGroupEnd");
      };
      for (int w = 0; w < plan.warmup; ++w) launch();
      sync_all();
      std::vector<double> seconds;
      for (int r = 0; r < plan.repetitions; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        launch();
        sync_all();
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      }
      out.push_back({name, 0, 0, g, size, std::move(seconds)});
    }
    log(plan, "  NCCL " + name + " done");
  }
  for (auto& c : comms) ncclCommDestroy(c);
  CALIB_CUDA(cudaSetDevice(plan.device));
#else
  (void)plan;
  (void)dev;
#endif
  return out;
}

}  // namespace cs::calib
