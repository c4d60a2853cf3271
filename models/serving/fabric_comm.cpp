#include "models/serving/fabric_comm.hpp"

#include <memory>
#include <numeric>

#include "sim/core/error.hpp"
#include "sim/hw/network.hpp"

namespace cs::models::serving {
namespace {

ReplicaComm comm_for(std::shared_ptr<const hw::Fabric> fabric, const ReplicaShape& shape, int first_rank) {
  ReplicaComm c;
  std::vector<int> tp_ranks(static_cast<std::size_t>(shape.tp));
  std::iota(tp_ranks.begin(), tp_ranks.end(), first_rank);
  c.all_reduce = [fabric, tp_ranks](double bytes, int ranks) {
    if (ranks <= 1 || bytes <= 0) return 0.0;
    hw::CollectiveSpec s;
    s.kind = hw::CollectiveKind::all_reduce;
    s.ranks = tp_ranks;
    s.bytes = bytes;
    return hw::estimate_collective(*fabric, s).seconds;
  };
  const int next_stage = first_rank + shape.tp;
  c.p2p = [fabric, first_rank, next_stage, pp = shape.pp](double bytes) {
    if (pp <= 1 || bytes <= 0) return 0.0;
    hw::CollectiveSpec s;
    s.kind = hw::CollectiveKind::send_recv;
    s.ranks = {first_rank, next_stage};
    s.bytes = bytes;
    return hw::estimate_collective(*fabric, s).seconds;
  };
  c.source = "network model (estimate_collective)";
  return c;
}

}  // namespace

ServingComm fabric_comm(const ServingSpec& spec, const hw::ClusterSpec& cluster) {
  if (spec.total_gpus() > cluster.accelerators) {
    throw InputError("the deployment needs " + std::to_string(spec.total_gpus()) + " accelerators; the cluster has " +
                     std::to_string(cluster.accelerators));
  }
  std::shared_ptr<const hw::Fabric> fabric = hw::build_fabric(cluster);
  ServingComm c;
  if (spec.disaggregation.enabled) {
    const auto& d = spec.disaggregation;
    c.replica = comm_for(fabric, d.prefill_shape, 0);
    c.decode = comm_for(fabric, d.decode_shape, d.prefill_replicas * d.prefill_shape.gpus());
  } else {
    c.replica = comm_for(fabric, spec.shape, 0);
    c.decode = c.replica;
  }
  return c;
}

double fabric_kv_bandwidth(const ServingSpec& spec, const hw::ClusterSpec& cluster) {
  const auto& d = spec.disaggregation;
  std::shared_ptr<const hw::Fabric> fabric = hw::build_fabric(cluster);
  hw::CollectiveSpec s;
  s.kind = hw::CollectiveKind::send_recv;
  s.ranks = {0, d.prefill_replicas * d.prefill_shape.gpus()};
  s.bytes = 1e9;
  return hw::estimate_collective(*fabric, s).algbw;
}

}  // namespace cs::models::serving
