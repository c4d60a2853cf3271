// `clustersim plan SCENARIO`: search the scenario's plan space for the cheapest
// configurations that meet its goals; frontier, best per objective, breakdown, binding
// constraint. Exit 3 when no candidate meets the constraints.
#include <fmt/format.h>

#include <memory>
#include <ostream>

#include "cli/command.hpp"
#include "cli/plan_report.hpp"
#include "loaders/scenario_loader.hpp"
#include "planner/evaluators.hpp"
#include "planner/parallel.hpp"
#include "planner/sweep_csv.hpp"
#include "sim/core/atomic_file.hpp"
#include "sim/core/error.hpp"

namespace cs::cli {
namespace {

struct PlanOptions {
  std::filesystem::path scenario;
  std::filesystem::path out;
  std::filesystem::path csv;
  int threads = 0;
  bool no_simulate = false;
};

int run_plan(const CommandContext& c, const PlanOptions& o) {
  const auto data = load::DataPaths::locate(c.global.data_dir);
  load::Scenario s = load::load_scenario(o.scenario, data);
  if (!s.plan) throw InputError(o.scenario.string() + ": the scenario has no \"plan\" section to search");
  const planner::EvaluatorSet evaluators;
  const planner::Planner planner(std::move(*s.plan), evaluators.get());
  const int threads = planner::resolve_threads(o.threads);
  const planner::PlanResult r = planner.run(threads, !o.no_simulate);

  print_plan_report(c.out, planner, r, evaluators.describe(), threads);
  if (!o.out.empty()) {
    sim::write_file_atomically(o.out, plan_json(planner, r, evaluators.describe()).dump(2) + "\n");
    c.out << "wrote " << o.out.string() << "\n";
  }
  if (!o.csv.empty()) {
    sim::write_file_atomically(o.csv, planner::sweep_csv(planner, r.results, planner::Shard{}));
    c.out << "wrote " << o.csv.string() << "\n";
  }
  if (r.feasible == 0) {
    c.err << "clustersim: no configuration meets the constraints; " << nearest_message(planner, r) << "\n";
    return kExitGoalNotMet;
  }
  return kExitOk;
}

}  // namespace

Command add_plan_command(CLI::App& app) {
  auto o = std::make_shared<PlanOptions>();
  auto* cmd = app.add_subcommand("plan", "Search a scenario's plan space: frontier, best configurations, costs");
  cmd->add_option("scenario", o->scenario, "Scenario JSON with a \"plan\" section")->required();
  cmd->add_option("--out", o->out, "Write the result as JSON (frontier, best per objective, breakdowns)");
  cmd->add_option("--csv", o->csv, "Write one CSV row per candidate");
  cmd->add_option("--threads", o->threads, "Worker threads (default: all cores; results do not depend on it)");
  cmd->add_flag("--no-simulate", o->no_simulate, "Analytical tier only");
  return {cmd, [o](const CommandContext& c) { return run_plan(c, *o); }};
}

}  // namespace cs::cli
