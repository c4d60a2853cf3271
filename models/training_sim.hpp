#pragma once
// Event simulation of one training step. Every simulated rank gets streams (compute,
// pipeline sends, gradient reduction, weight gathers, a TP side stream when TP comm is
// overlapped); the pipeline schedule (1F1B, or Megatron's interleaved 1F1B with virtual
// stages) orders each rank's forward and backward passes; tasks wait for their
// dependencies (the activation from the previous stage, the gradient from the next, the
// ZeRO-3 weight gather, the last backward of a bucket) and collectives wait for every
// member of their group. Bubbles, exposed communication and stragglers come out of the
// run; nothing is added by formula.
//
// Representative mode simulates one rank per pipeline stage: TP, CP and DP peers do the
// same work at the same times (the layout is symmetric), so each stands for its groups and
// collectives complete on that rank's arrival. Full mode simulates every rank and makes
// collectives synchronise their real groups.
#include <cstdint>

#include "models/training_costs.hpp"
#include "models/training_estimate.hpp"
#include "sim/core/trace.hpp"

namespace cs::models {

struct TrainingSimOptions {
  bool all_ranks = false;
  sim::TraceRecorder* trace = nullptr;  // optional timeline (pid = node, tid = rank x 8 + stream)
};

struct TrainingSimResult {
  double step_s = 0;
  TimeBreakdown breakdown;  // mean over simulated ranks; adds up to step_s
  bool representative = true;
  std::int64_t ranks_simulated = 0;
  std::int64_t ranks_total = 0;
  std::uint64_t tasks = 0;
  std::uint64_t events = 0;
};

TrainingSimResult simulate_training_step(const TrainingSpec& spec, const StepCosts& costs,
                                         const TrainingSimOptions& options = {});

// One pass of a pipeline schedule: micro-batch, model chunk, direction.
struct SchedulePass {
  int micro_batch = 0;
  int chunk = 0;
  bool forward = true;
};
// The order in which pipeline rank `stage` runs its passes (Megatron's 1F1B and
// interleaved 1F1B: warm-up forwards, steady one-forward-one-backward, cool-down).
std::vector<SchedulePass> pipeline_order(int stage, int pp, int micro_batches, int virtual_stages);

}  // namespace cs::models
