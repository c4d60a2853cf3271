#include "models/training_run.hpp"

#include "models/fabric_comm.hpp"
#include "sim/core/error.hpp"
#include <memory>

namespace cs::models {

TrainingReport run_training(const TrainingSpec& spec, const hw::ClusterSpec& cluster,
                            const TrainingRunOptions& options) {
  validate_layout(spec, cluster.accelerators, cluster.node.accelerators);
  TrainingReport rep;
  rep.result.memory = memory_per_device(spec);
  const std::string mem = memory_problem(rep.result.memory, cluster.accelerator.memory_bytes);
  if (!mem.empty()) throw InputError("layout does not fit in accelerator memory: " + mem);
  rep.result.fits = true;
  rep.result.valid = true;

  const AlphaBetaComm alpha_beta(AlphaBetaComm::from_cluster(cluster));
  TrainingEstimator estimator;
  rep.analytical = estimator.estimate(spec, cluster, alpha_beta);
  std::unique_ptr<FabricComm> fabric;
  if (spec.comm_model == CommModelKind::network) fabric = std::make_unique<FabricComm>(cluster);
  const CommModel& comm = fabric ? static_cast<const CommModel&>(*fabric) : alpha_beta;
  const StepCosts costs = build_step_costs(spec, cluster, comm, estimator.cache());
  TrainingSimOptions so;
  so.all_ranks = options.all_ranks || spec.simulate_all_ranks;
  so.trace = options.trace;
  rep.sim = simulate_training_step(spec, costs, so);
  rep.result.step_s = rep.sim.step_s;
  rep.result.breakdown = rep.sim.breakdown;
  fill_rates(rep.result, spec, costs);

  const int per_node = std::max(1, cluster.node.accelerators);
  rep.nodes = (cluster.accelerators + per_node - 1) / per_node;
  if (cluster.node.cloud_hourly.known()) {
    rep.cluster_hourly_usd = cluster.node.cloud_hourly.value * rep.nodes;
    rep.price_source = "node cloud_hourly";
  } else if (cluster.accelerator.cloud_hourly.known()) {
    rep.cluster_hourly_usd = cluster.accelerator.cloud_hourly.value * cluster.accelerators;
    rep.price_source = "accelerator cloud_hourly";
  }
  if (spec.token_budget > 0 && rep.result.tokens_per_s > 0) {
    rep.time_to_train_s = spec.token_budget / rep.result.tokens_per_s;
    rep.cost_usd = rep.time_to_train_s / 3600.0 * rep.cluster_hourly_usd;
  }
  return rep;
}

}  // namespace cs::models
