#pragma once
// FabricComm: CommModel over the network layer on the cluster's actual fabric
// (hw::build_fabric). A group with a known family (CommGroup::stride / span: e.g. the DP
// groups of every TP rank of a pipeline stage, all the stage-to-stage sends) is priced by
// running ALL the family's concurrent collectives together in a flow-level NetworkSim
// (their hw::plan_collective flows, links shared max-min fairly): the group's time is the
// slowest group's completion, so oversubscribed spines and shared NICs slow it as much as
// the concurrent traffic makes them. Groups that lie inside one node are simulated with
// the node's other groups only (nothing else shares their links). A group without a family
// gets the closed form (hw::estimate_collective: ring / tree / hierarchical / NVLS / SHARP,
// idle fabric). Answers are memoised per (collective, shape, family, bytes), so a step's
// few distinct collectives cost one flow simulation each. Used by the event simulation;
// the planner's fast path keeps AlphaBetaComm.
#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include "models/comm_model.hpp"

namespace cs::models {

class FabricComm final : public CommModel {
 public:
  explicit FabricComm(const hw::ClusterSpec& cluster);
  double seconds(hw::CollectiveKind kind, const CommGroup& group, double bytes) const override;
  // The closed form for the group alone on an idle fabric (no family contention).
  double idle_seconds(hw::CollectiveKind kind, const CommGroup& group, double bytes) const;
  // Flow simulations run so far (tests, benchmarks).
  int flow_simulations() const { return flow_runs_; }
  const hw::Fabric& fabric() const { return *fabric_; }

 private:
  std::vector<int> ranks_of(const CommGroup& g) const;
  double contended(hw::CollectiveKind kind, const CommGroup& g, double bytes) const;
  std::shared_ptr<const hw::Fabric> fabric_;
  int gpus_per_node_ = 1;
  int accelerators_ = 1;
  mutable std::map<std::tuple<int, int, int, int, int, double>, double> memo_;
  mutable int flow_runs_ = 0;
};

}  // namespace cs::models
