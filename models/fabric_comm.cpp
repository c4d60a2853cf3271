#include "models/fabric_comm.hpp"

#include "sim/hw/collectives.hpp"

#include <algorithm>

namespace cs::models {

FabricComm::FabricComm(const hw::ClusterSpec& cluster)
    : fabric_(hw::build_fabric(cluster)),
      gpus_per_node_(std::max(1, cluster.node.accelerators)),
      accelerators_(std::max(1, cluster.accelerators)) {}

double FabricComm::seconds(hw::CollectiveKind kind, const CommGroup& g, double bytes) const {
  if (g.size <= 1 || bytes <= 0) return 0.0;
  const auto key = std::make_tuple(static_cast<int>(kind) + (g.flat ? 100 : 0), g.size, g.per_node, bytes);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  hw::CollectiveSpec spec;
  spec.kind = kind;
  spec.bytes = bytes;
  const int k = std::clamp(g.per_node, 1, g.size);
  const int spread = std::max(1, gpus_per_node_ / k);
  if (kind == hw::CollectiveKind::send_recv) {
    // Neighbouring pipeline stages: on one node when the group shape says so, else on
    // adjacent nodes.
    spec.ranks = {0, k >= 2 ? spread : std::min(gpus_per_node_, accelerators_ - 1)};
  } else {
    spec.ranks.reserve(static_cast<std::size_t>(g.size));
    for (int i = 0; i < g.size; ++i) {
      const int rank = (i / k) * gpus_per_node_ + (i % k) * spread;
      spec.ranks.push_back(std::min(rank, accelerators_ - 1));
    }
  }
  double s = 0;
  const bool ring_kind = kind == hw::CollectiveKind::all_gather || kind == hw::CollectiveKind::reduce_scatter ||
                         kind == hw::CollectiveKind::all_reduce;
  if (g.flat && ring_kind && g.nodes() > 1) {
    // Flat ring (CommGroup::flat): every rank through its own share of its node's NICs, at
    // the fabric's effective NIC rate, one scale-out step latency per ring step.
    const hw::GroupShape shape = hw::group_shape(*fabric_, spec.ranks);
    const double share = shape.net_bw * std::max(1, fabric_->nics_per_node()) / std::max(1, gpus_per_node_);
    const double n = g.size;
    const double steps = (kind == hw::CollectiveKind::all_reduce ? 2.0 : 1.0) * (n - 1);
    s = fabric_->profile().collective_launch_s + steps / n * bytes / std::min(share, shape.net_bw) +
        steps * shape.alpha_net;
  } else {
    s = hw::estimate_collective(*fabric_, spec).seconds;
  }
  memo_.emplace(key, s);
  return s;
}

}  // namespace cs::models
