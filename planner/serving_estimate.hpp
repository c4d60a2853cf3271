#pragma once
// The planner's analytical tier for serving: closed-form latency and capacity of a fleet of
// identical replicas under a request rate, fast enough to screen thousands of candidates.
// The simulated tier (the inference engineer's serving simulation, models/serving/) replays
// the requests through continuous batching for the candidates that matter; the planner
// reports where the two disagree.
//
// Per replica (TP ranks on one scale-up domain):
//   memory   weights/TP + KV cache (per token, split over min(TP, KV heads)) must fit in
//            90% of device memory; the KV room bounds the concurrent sequences.
//   prefill  T_pf(P) = max(FLOPs/(peak x e_gemm), bytes/(bw x e_mem)) + TP all-reduces (ring,
//            2(TP-1) steps of >= 3 us each, as NCCL's small messages cost) + kernel launches
//   decode   T_dec(B, L) likewise for B sequences at context L (weights read once per
//            iteration, KV read per sequence), the classic memory-bound regime at small B.
//   load     colocated: prefill share rho_p = lambda T_pf(P_mean); decode concurrency B
//            solves Little's law B = lambda O_mean T_dec(B)/(1 - rho_p).
//            capacity lambda_max = 1 / (T_pf(P_mean) + O_mean T_dec(B_max)/B_max).
//   latency  TTFT_p99 = M/M/1 p99 wait at rho = lambda/lambda_max with service T_pf(P_mean),
//            + T_pf(P_p99) + one decode step; TPOT_p99 = T_dec(B, P_p99 + O_mean/2)/(1 - rho_p);
//            E2E_p99 = TTFT_p99 + O_p99 x TPOT_p99 (a deliberate upper estimate).
//   disaggregated (prefill_fraction f): prefill and decode pools each see the whole rate;
//            no prefill interference on decode, KV transfer over the NICs added to TTFT.
// docs/planner.md explains the choices and their limits.
#include <cstdint>
#include <string>

#include "models/transformer.hpp"
#include "planner/plan_spec.hpp"
#include "sim/hw/cluster.hpp"

namespace cs::planner {

struct ServingPerf {
  bool fits = false;
  std::string reason;          // why not, when !fits
  int replicas = 0;            // prefill + decode replicas
  int max_batch = 0;           // effective: min(setting, KV room)
  double capacity_rps = 0;     // requests/s the fleet sustains
  double utilisation = 0;      // offered / capacity (busy fraction of the accelerators)
  double ttft_p99 = 0, tpot_p99 = 0, e2e_p99 = 0;  // seconds; +inf when saturated
  double weights_bytes_per_device = 0;
  double kv_bytes_per_device = 0;
};

ServingPerf estimate_serving(const hw::ClusterSpec& cluster, const ServingWorkload& work, const ServingSetting& s);

// The simulated tier for serving (implemented by an adapter over models/serving/).
class ServingSimulator {
 public:
  virtual ~ServingSimulator() = default;
  virtual std::string name() const = 0;
  virtual ServingPerf simulate(const hw::ClusterSpec& cluster, const ServingWorkload& work,
                               const ServingSetting& s, std::uint64_t seed) const = 0;
};

}  // namespace cs::planner
