// `clustersim sweep SPEC --csv FILE [--shard i/N]`: evaluate every candidate of a plan space
// headless, one CSV row each; gates make it exit 3 (CI). Under mpirun the ranks split the
// sweep and rank 0 writes what a single process would.
#include <fmt/format.h>

#include <memory>
#include <ostream>

#include "cli/command.hpp"
#include "cli/plan_report.hpp"
#include "loaders/scenario_loader.hpp"
#include "planner/evaluators.hpp"
#include "planner/parallel.hpp"
#include "planner/sweep_csv.hpp"
#include "planner/sweep_mpi.hpp"
#include "sim/core/atomic_file.hpp"
#include "sim/core/error.hpp"

namespace cs::cli {
namespace {

struct SweepOptions {
  std::filesystem::path spec;
  std::filesystem::path csv;
  std::filesystem::path out;
  std::string shard;
  int threads = 0;
};

// Ends the MPI session on every path out of the command.
struct MpiGuard {
  planner::MpiSession session;
  ~MpiGuard() { planner::mpi_end(session); }
};

int run_sweep(const CommandContext& c, const SweepOptions& o) {
  MpiGuard mpi{planner::mpi_begin()};
  const bool root = mpi.session.rank == 0;
  planner::Shard shard;
  if (!o.shard.empty()) {
    if (mpi.session.active) throw InputError("--shard and mpirun split the sweep two ways; use one of them");
    shard = planner::parse_shard(o.shard);
    if (shard.count > 1 && !o.out.empty()) throw InputError("--out needs the whole sweep; merge the shards' CSV instead");
  } else if (mpi.session.active) {
    shard = planner::Shard{mpi.session.rank, mpi.session.size};
  }
  const auto data = load::DataPaths::locate(c.global.data_dir);
  load::Scenario s = load::load_scenario(o.spec, data);
  if (!s.plan) throw InputError(o.spec.string() + ": the sweep spec has no \"plan\" section");
  const planner::EvaluatorSet evaluators;
  const planner::Planner planner(std::move(*s.plan), evaluators.get());
  const int threads = planner::resolve_threads(o.threads);

  std::vector<planner::CandidateResult> results = planner.evaluate(shard, threads);
  if (mpi.session.active) {
    results = planner::mpi_gather(mpi.session, results);
    shard = planner::Shard{};
  }
  int code = kExitOk;
  if (root) {
    sim::write_file_atomically(o.csv, planner::sweep_csv(planner, results, shard));
    if (shard.count > 1) {
      c.out << fmt::format("sweep {}: shard {}/{}: {} of {} candidates; wrote {}\n", planner.spec().name, shard.index,
                           shard.count, results.size(), planner.candidate_count(), o.csv.string());
      if (!planner.spec().gates.empty()) {
        c.out << "gates are checked on whole sweeps (unsharded or mpirun), not on one shard\n";
      }
    } else {
      const planner::PlanResult r = planner.finish(std::move(results), false);
      c.out << fmt::format("sweep {}: {} candidates, {} can run, {} meet every constraint{}; wrote {}\n",
                           planner.spec().name, r.candidates, r.valid, r.feasible,
                           mpi.session.active ? fmt::format(" ({} MPI ranks)", mpi.session.size) : "",
                           o.csv.string());
      if (!r.best.empty() && r.best[0]) {
        c.out << fmt::format("chosen (min {}): #{} {}\n", planner::metric_name(planner.spec().objectives[0].metric),
                             *r.best[0], planner.describe(planner.candidate(*r.best[0])));
      } else {
        c.out << nearest_message(planner, r) << "\n";
      }
      if (!o.out.empty()) sim::write_file_atomically(o.out, plan_json(planner, r, evaluators.describe()).dump(2) + "\n");
      if (!check_gates(c.err, planner, r)) code = kExitGoalNotMet;
    }
  }
  return planner::mpi_broadcast(mpi.session, code);
}

}  // namespace

Command add_sweep_command(CLI::App& app) {
  auto o = std::make_shared<SweepOptions>();
  auto* cmd = app.add_subcommand("sweep", "Evaluate every candidate of a plan space to CSV (shards, MPI, gates)");
  cmd->add_option("spec", o->spec, "Scenario JSON with a \"plan\" section (its \"gates\" apply)")->required();
  cmd->add_option("--csv", o->csv, "Output CSV, one row per candidate")->required();
  cmd->add_option("--shard", o->shard, "Evaluate only shard i of N (candidates with index % N == i), e.g. 0/4");
  cmd->add_option("--out", o->out, "Also write the plan result JSON (whole sweeps only)");
  cmd->add_option("--threads", o->threads, "Worker threads per process (default: all cores)");
  return {cmd, [o](const CommandContext& c) { return run_sweep(c, *o); }};
}

}  // namespace cs::cli
