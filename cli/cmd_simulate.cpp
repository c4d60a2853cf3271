// `clustersim simulate SCENARIO`: runs the scenario's workload and reports. Dispatches by
// workload section; each workload's runner lives in its own cli/simulate_<kind>.cpp.
#include <memory>

#include "cli/command.hpp"
#include "cli/simulate_inference.hpp"
#include "cli/simulate_training.hpp"
#include "loaders/data_paths.hpp"
#include "loaders/scenario_loader.hpp"
#include "sim/core/error.hpp"

namespace cs::cli {
namespace {

int run_simulate(const CommandContext& c, const SimulateOptions& o) {
  const auto data = load::DataPaths::locate(c.global.data_dir);
  const load::Scenario s = load::load_scenario(o.scenario, data);
  if (s.training && s.inference) {
    throw InputError(o.scenario.string(), "", "the scenario has both \"training\" and \"inference\"; simulate one at a time");
  }
  if (s.training) return run_training_simulation(c, s, o.out, o.trace, o.all_ranks);
  if (s.inference) return run_inference_simulation(c, s, {o.out, o.requests, o.trace, o.quiet});
  throw InputError(o.scenario.string(), "", "nothing to simulate: the scenario has no workload section (\"training\" or \"inference\")");
}

}  // namespace

Command add_simulate_command(CLI::App& app) {
  auto o = std::make_shared<SimulateOptions>();
  auto* cmd = app.add_subcommand("simulate", "Simulate a scenario's workload and report");
  cmd->add_option("scenario", o->scenario, "Scenario file (JSON)")->required();
  cmd->add_option("--out", o->out, "Write the result JSON here (atomically)");
  cmd->add_option("--requests", o->requests, "Inference: write one CSV row per request here");
  cmd->add_option("--trace", o->trace, "Write a Chrome trace (Perfetto) of the run here");
  cmd->add_flag("--all-ranks", o->all_ranks, "Training: simulate every rank, not a representative set");
  cmd->add_flag("--quiet", o->quiet, "Print no summary");
  return {cmd, [o](const CommandContext& c) { return run_simulate(c, *o); }};
}

}  // namespace cs::cli
