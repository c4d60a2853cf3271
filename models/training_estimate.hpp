#pragma once
// Fast analytical step-time estimate of a training layout: no engine, no allocation per
// call beyond small vectors, per-layer costs memoised, so a planner sweeps hundreds of
// thousands of layouts per second per core. The event simulation (training_sim.hpp) runs
// the same costs through the real schedule; the two agree within a few percent on
// symmetric layouts (tests/training).
//
//   step = m x T + (pp - 1) / v x T + exposed PP + exposed DP + optimizer
// where T is the slowest stage's time for one micro-batch through all its chunks (compute,
// recomputation and blocking TP/CP/EP collectives), m the micro-batches per replica and v
// the virtual stages; DP gradient reduction hides under the last micro-batch's backward
// when overlapped (bucketed per layer), ZeRO-3 gathers under each micro-batch's compute.
#include <string>

#include "models/comm_model.hpp"
#include "models/training_costs.hpp"
#include "models/training_memory.hpp"
#include "models/training_spec.hpp"
#include "sim/hw/cluster.hpp"

namespace cs::models {

// Where one step's time goes on a rank (seconds); the parts add up to the step time.
struct TimeBreakdown {
  double compute = 0;    // forward + backward kernels, recomputation included
  double recompute = 0;  // the recomputation part of `compute` (not added again)
  double tp_comm = 0;    // exposed tensor-parallel collectives
  double cp_comm = 0;    // exposed context-parallel K/V exchange
  double ep_comm = 0;    // exposed MoE all-to-all
  double pp_comm = 0;    // exposed pipeline sends
  double dp_comm = 0;    // exposed gradient reduction / ZeRO gathers
  double bubble = 0;     // pipeline fill and drain, waiting on other stages
  double optimizer = 0;
  double total() const { return compute + tp_comm + cp_comm + ep_comm + pp_comm + dp_comm + bubble + optimizer; }
};

struct TrainingEstimate {
  bool valid = false;             // false: `problem` says why (invalid layout or out of memory)
  bool fits = false;              // memory fits the accelerator
  std::string problem;
  double step_s = 0;
  double tokens_per_s = 0;
  double model_tflops_per_gpu = 0;  // 6N + 12 L h s FLOPs per token (PaLM convention), TFLOP/s
  double mfu = 0;                   // model FLOP/s over dense peak at the training precision
  double hfu = 0;                   // executed FLOP/s (recomputation included) over the peak
  TimeBreakdown breakdown;
  MemoryBreakdown memory;
};

// Reusable estimator: keeps the per-layer cost cache between calls (one per thread).
class TrainingEstimator {
 public:
  // Collective times from the closed-form AlphaBetaComm of `cluster`.
  TrainingEstimate estimate(const TrainingSpec& spec, const hw::ClusterSpec& cluster);
  TrainingEstimate estimate(const TrainingSpec& spec, const hw::ClusterSpec& cluster, const CommModel& comm);
  LayerCostCache& cache() { return cache_; }

 private:
  LayerCostCache cache_;
};

// One-off estimate (a fresh cache).
TrainingEstimate estimate_training(const TrainingSpec& spec, const hw::ClusterSpec& cluster);

// The analytical step from prepared costs (used by the estimator and by tests).
TimeBreakdown analytical_breakdown(const TrainingSpec& spec, const StepCosts& costs);

// Fills the rate metrics of `e` from its step time.
void fill_rates(TrainingEstimate& e, const TrainingSpec& spec, const StepCosts& costs);

}  // namespace cs::models
