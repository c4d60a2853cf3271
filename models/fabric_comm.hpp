#pragma once
// FabricComm: CommModel over the network layer's topology-aware closed form
// (hw::build_fabric + hw::estimate_collective: ring / tree / hierarchical / NVLS / SHARP
// on the cluster's actual fabric, oversubscription included). Group shapes become rank
// lists in the training rank order (a group with k members per node spreads them evenly
// over each node), and answers are memoised, so a step's few distinct collectives cost one
// estimate each. Used by the event simulation; the planner's fast path keeps AlphaBetaComm.
#include <map>
#include <memory>
#include <tuple>

#include "models/comm_model.hpp"

namespace cs::models {

class FabricComm final : public CommModel {
 public:
  explicit FabricComm(const hw::ClusterSpec& cluster);
  double seconds(hw::CollectiveKind kind, const CommGroup& group, double bytes) const override;

 private:
  std::shared_ptr<const hw::Fabric> fabric_;
  int gpus_per_node_ = 1;
  int accelerators_ = 1;
  mutable std::map<std::tuple<int, int, int, double>, double> memo_;
};

}  // namespace cs::models
