#pragma once
// One training simulation, end to end: check the layout and memory, cost the pieces,
// simulate a step on the engine (representative ranks or all), and derive the rates,
// time-to-train and cost. The CLI's `simulate` and the validator call this.
#include "models/training_estimate.hpp"
#include "models/training_sim.hpp"

namespace cs::models {

struct TrainingRunOptions {
  bool all_ranks = false;               // also set by the spec's simulate_all_ranks
  sim::TraceRecorder* trace = nullptr;
};

struct TrainingReport {
  TrainingEstimate result;      // from the simulated step (breakdown, rates, memory)
  TrainingEstimate analytical;  // the fast estimate of the same layout, for comparison
  TrainingSimResult sim;
  int nodes = 0;
  double cluster_hourly_usd = 0;  // nodes x node cloud price (or accelerators x accelerator price)
  std::string price_source;       // "node cloud_hourly", "accelerator cloud_hourly" or empty
  double time_to_train_s = 0;     // token_budget / tokens per second (0 without a budget)
  double cost_usd = 0;            // time-to-train x hourly price (0 without both)
};

// Throws InputError when the layout is invalid or does not fit in memory (with the numbers).
TrainingReport run_training(const TrainingSpec& spec, const hw::ClusterSpec& cluster,
                            const TrainingRunOptions& options = {});

}  // namespace cs::models
