#pragma once
// The scenario's "plan" section (docs/scenario-format.md#plan): the search space (hardware,
// node counts, fabrics, serving settings, training layouts), the workloads, the cost
// assumptions with price overrides, constraints, objectives, frontier axes and sweep gates.
// Resolves every catalog name into a self-contained planner::PlanSpec.
#include <string>
#include <vector>

#include "loaders/data_paths.hpp"
#include "loaders/json_reader.hpp"
#include "planner/plan_spec.hpp"
#include "sim/hw/catalog.hpp"

namespace cs::load {

planner::PlanSpec read_plan_section(const Node& node, const hw::HardwareCatalog& catalog, const DataPaths& data,
                                    const std::string& scenario_name);

// Summary of an Azure-format trace (TIMESTAMP,ContextTokens,GeneratedTokens): mean and p99
// of prompt and output lengths, and its native request rate. Malformed lines are errors
// naming the line.
struct TraceSummary {
  std::size_t requests = 0;
  double duration_s = 0;
  double prompt_mean = 0, prompt_p99 = 0, output_mean = 0, output_p99 = 0;
  std::vector<double> arrival_s;  // from the first request
  std::vector<int> prompt_tokens, output_tokens;
};
TraceSummary summarise_trace(const std::filesystem::path& path);

// "ttft_p99 <= 1s": a metric, <= or >=, and a value in the metric's unit.
planner::Constraint parse_constraint(const Node& node);

}  // namespace cs::load
