#pragma once
// PlanSpec: the typed search space, goals and cost assumptions of a scenario's "plan"
// section (loaders/plan_section.cpp reads it; docs/scenario-format.md, "## plan").
//
// A candidate is one point of the product hardware x node count x fabric x serving
// setting; its training layout (when the plan has a training workload) is chosen inside
// the candidate: every valid layout is estimated and the fastest that fits is kept.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/transformer.hpp"
#include "planner/cost_model.hpp"
#include "planner/training_layout.hpp"
#include "sim/hw/cluster.hpp"

namespace cs::planner {

// Every number the planner reports about a candidate. Units: USD, seconds, watts, tokens/s.
enum class Metric : int {
  usd_per_hour,         // total cost per hour (amortisation + energy + hosting, or rent)
  total_cost,           // over the amortisation period (TCO)
  capex,                // purchase price of everything (buy)
  usd_per_run,          // one training run to its token budget
  usd_per_mtok,         // per million tokens served (input + output)
  ttft_p99,             // seconds
  tpot_p99,             // seconds per output token
  e2e_p99,              // seconds, request end to end
  time_to_train,        // seconds per training run
  serving_capacity,     // requests/s the cluster sustains within its batch and KV limits
  power,                // IT watts at the plan's utilisation
  energy_mwh_per_year,  // facility energy (IT x PUE)
  accelerators,         // count
};
inline constexpr int kMetricCount = 13;
std::string_view metric_name(Metric m);      // "usd_per_hour", as in CSV and JSON
std::string_view metric_unit(Metric m);      // "USD/h", "s", ...
std::optional<Metric> parse_metric(std::string_view name);
bool lower_is_better(Metric m);

struct HardwareOption {
  hw::NodeSpec node;
  hw::AcceleratorSpec accelerator;
  hw::NicSpec nic;
};

struct FabricOption {
  std::string label;  // "fat-tree 1:1 ndr", unique in the plan
  hw::FabricSpec fabric;
  std::optional<hw::SwitchSpec> fabric_switch;
  std::optional<hw::NicSpec> nic;  // replaces the node's NIC when set
  std::optional<hw::LinkMediumSpec> link_medium;
};

// Request traffic, summarised for the analytical tier (the simulated tier replays it).
struct TrafficSpec {
  std::string source;   // trace file or "synthetic"
  double rate = 1.0;    // requests/s offered to the whole cluster
  double prompt_mean = 0, prompt_p99 = 0;
  double output_mean = 0, output_p99 = 0;
  // The trace's requests, for the simulated tier's replay (empty for synthetic traffic):
  // arrival seconds from the first request, and token counts.
  std::vector<double> arrival_s;
  std::vector<int> prompt_tokens, output_tokens;
  double native_rate = 0;  // the trace's own requests/s (replay scales it to `rate`)
};

struct ServingSetting {
  int tp = 1;                     // tensor parallel ranks per replica
  int max_batch = 256;            // concurrent sequences per replica
  double prefill_fraction = 0.0;  // disaggregated: share of replicas that only prefill; 0 = colocated
};

struct ServingWorkload {
  models::TransformerSpec model;
  hw::DType dtype = hw::DType::bf16;
  TrafficSpec traffic;
  std::vector<ServingSetting> settings;  // the product of the tp, max_batch and split lists
  double hours_per_day = 24.0;           // hours a day the service runs at this rate
  int simulate_requests = 2000;          // simulated tier: requests replayed per candidate
};

struct TrainingWorkload {
  models::TransformerSpec model;
  hw::DType dtype = hw::DType::bf16;
  double tokens = 0;          // per run
  int seq_len = 2048;
  int global_batch = 512;     // sequences per step
  double runs_per_year = 1;   // weekly fine-tune = 52
  LayoutChoices layouts;
};

struct Constraint {
  Metric metric = Metric::usd_per_hour;
  bool is_max = true;    // metric <= limit; false: metric >= limit
  double limit = 0;
  std::string text;      // as the user wrote it, for messages ("ttft_p99 <= 1s")
};

struct Objective {
  Metric metric = Metric::total_cost;
  bool minimise = true;
};

// A sweep gate: the best configuration (by the first objective) must satisfy it, or the
// sweep exits 3.
using Gate = Constraint;

struct PlanSpec {
  std::string name;
  std::vector<HardwareOption> hardware;
  std::vector<int> nodes;
  std::vector<FabricOption> fabrics;
  std::optional<ServingWorkload> serving;
  std::optional<TrainingWorkload> training;
  std::optional<hw::StorageAttachment> storage;
  CostAssumptions costs;
  std::vector<Constraint> constraints;
  std::vector<Objective> objectives;  // the first is the primary objective
  std::vector<Gate> gates;
  Metric frontier_x = Metric::total_cost;   // the frontier trades this ...
  Metric frontier_y = Metric::ttft_p99;     // ... against this (both minimised)
  int simulate_top = 3;                     // simulated tier: this many best + frontier
  double near_frontier = 0.05;              // "near": within 5% of a frontier point's cost
};

using MetricValues = std::array<double, kMetricCount>;

}  // namespace cs::planner
