#pragma once
// Planner: enumerates the candidates of a PlanSpec, evaluates them (analytical tier for all,
// simulated tier for those on or near the frontier), applies constraints, and answers with
// the Pareto frontier, the best candidate per objective and the binding constraint of each.
//
// Determinism: candidate i is the i-th point of the mixed-radix product
// (hardware, nodes, fabric, serving setting), fastest-varying last; results are stored by
// index and every reduction walks indices in order, so any thread count, any shard split
// and MPI give the same numbers. Shard s of N owns the candidates with index % N == s.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "planner/cost_model.hpp"
#include "planner/plan_spec.hpp"
#include "planner/serving_estimate.hpp"
#include "planner/training_layout.hpp"

namespace cs::planner {

// The evaluation seams. Null members: that tier or workload cannot be evaluated in this
// build (the planner says so instead of guessing).
struct Evaluators {
  const TrainingEstimator* training = nullptr;       // analytical training tier
  const TrainingEstimator* training_sim = nullptr;   // simulated training tier
  const ServingSimulator* serving_sim = nullptr;     // simulated serving tier
};

struct Candidate {
  std::size_t index = 0;
  int hardware = 0, nodes = 0, fabric = 0, serving = 0;  // indices into the PlanSpec lists
};

struct Shard {
  int index = 0;  // 0-based
  int count = 1;
  bool owns(std::size_t candidate) const { return static_cast<int>(candidate % static_cast<std::size_t>(count)) == index; }
};
// Parses "i/N" (0 <= i < N); throws InputError otherwise.
Shard parse_shard(const std::string& text);

struct CandidateResult {
  std::size_t index = 0;
  bool valid = false;          // the workloads run on it (memory, divisibility)
  std::string invalid_reason;
  MetricValues metrics{};      // NaN where not applicable
  bool feasible = false;       // valid and every constraint met
  int binding = -1;            // index of the tightest constraint (violated or nearest to)
  double binding_ratio = 0;    // metric/limit (max) or limit/metric (min); > 1 = violated
  std::string training_layout; // the chosen layout, when the plan trains
  int serving_replicas = 0;
  int serving_batch = 0;
  double utilisation = 0;      // accelerator busy fraction used for power
};

struct TierComparison {
  std::size_t index = 0;
  std::string metric;       // "ttft_p99", "tpot_p99", "time_to_train"
  double analytical = 0;
  double simulated = 0;
  double difference_pct() const { return analytical != 0 ? (simulated - analytical) / analytical * 100.0 : 0.0; }
};

struct PlanResult {
  std::size_t candidates = 0;
  std::vector<CandidateResult> results;          // all evaluated, in index order
  std::vector<std::size_t> frontier;             // indices, by frontier_x ascending
  std::vector<std::optional<std::size_t>> best;  // per objective
  std::vector<TierComparison> tiers;             // simulated vs analytical
  std::string simulated_tier_note;               // why the simulated tier did not run, if not
  std::size_t feasible = 0, valid = 0;
  // When nothing is feasible: the candidate nearest to feasibility and its binding constraint.
  std::optional<std::size_t> nearest;
  double analytical_seconds = 0;
};

class Planner {
 public:
  Planner(PlanSpec spec, Evaluators evaluators);

  const PlanSpec& spec() const { return spec_; }
  std::size_t candidate_count() const;
  Candidate candidate(std::size_t index) const;
  hw::ClusterSpec cluster(const Candidate& c) const;
  std::string describe(const Candidate& c) const;  // "8 x dgx-h100 (64 h100-sxm), rail 1:1, TP4 batch 128"

  // Analytical tier for the candidates `shard` owns, on `threads` threads (0 = all cores).
  std::vector<CandidateResult> evaluate(const Shard& shard, int threads) const;
  // Frontier, best per objective, nearest candidate; then the simulated tier.
  // The simulated tier runs on `threads` threads (0 = all cores).
  PlanResult finish(std::vector<CandidateResult> results, bool run_simulated_tier, int threads = 0) const;
  PlanResult run(int threads, bool run_simulated_tier = true) const;

  CostBreakdown breakdown(std::size_t index, const CandidateResult& r) const;

  // Whether the result meets a gate / constraint; `value` is the metric's value.
  static bool meets(const Constraint& c, double value);
  static double ratio(const Constraint& c, double value);

 private:
  struct TrainingChoice {
    bool fits = false;
    std::string reason;
    TrainingLayout layout;
    TrainingPerf perf;
    std::size_t layouts_tried = 0;
  };
  TrainingChoice choose_training(const hw::ClusterSpec& cluster) const;
  CandidateResult evaluate_one(const Candidate& c, const TrainingChoice* training) const;
  std::size_t cluster_key(const Candidate& c) const;

  PlanSpec spec_;
  Evaluators ev_;
};

}  // namespace cs::planner
