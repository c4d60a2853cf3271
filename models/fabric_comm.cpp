#include "models/fabric_comm.hpp"

#include <algorithm>

#include "sim/core/engine.hpp"
#include "sim/hw/collectives.hpp"
#include "sim/hw/topology.hpp"

namespace cs::models {
namespace {

bool ring_kind(hw::CollectiveKind k) {
  return k == hw::CollectiveKind::all_gather || k == hw::CollectiveKind::reduce_scatter ||
         k == hw::CollectiveKind::all_reduce;
}

// Completion times of the collectives started in one NetworkSim run.
struct Completions {
  std::vector<double> at;
  void done(const sim::Event& e) { at[e.payload] = e.time.seconds(); }
};

}  // namespace

FabricComm::FabricComm(const hw::ClusterSpec& cluster)
    : fabric_(hw::build_fabric(cluster)),
      gpus_per_node_(std::max(1, cluster.node.accelerators)),
      accelerators_(std::max(1, cluster.accelerators)) {}

std::vector<int> FabricComm::ranks_of(const CommGroup& g) const {
  std::vector<int> ranks;
  ranks.reserve(static_cast<std::size_t>(g.size));
  if (g.stride > 0) {
    for (int i = 0; i < g.size; ++i) ranks.push_back(std::min(i * g.stride, accelerators_ - 1));
    return ranks;
  }
  const int k = std::clamp(g.per_node, 1, g.size);
  const int spread = std::max(1, gpus_per_node_ / k);
  for (int i = 0; i < g.size; ++i) {
    const int rank = (i / k) * gpus_per_node_ + (i % k) * spread;
    ranks.push_back(std::min(rank, accelerators_ - 1));
  }
  return ranks;
}

double FabricComm::idle_seconds(hw::CollectiveKind kind, const CommGroup& g, double bytes) const {
  if (g.size <= 1 || bytes <= 0) return 0.0;
  hw::CollectiveSpec spec;
  spec.kind = kind;
  spec.bytes = bytes;
  const int k = std::clamp(g.per_node, 1, g.size);
  if (kind == hw::CollectiveKind::send_recv) {
    // Neighbouring pipeline stages: the real pair when the stride is known, else on one
    // node when the group shape says so, else on adjacent nodes.
    const int spread = std::max(1, gpus_per_node_ / k);
    const int other = g.stride > 0 ? g.stride : (k >= 2 ? spread : gpus_per_node_);
    spec.ranks = {0, std::min(other, accelerators_ - 1)};
  } else {
    spec.ranks = ranks_of(g);
  }
  if (g.flat && ring_kind(kind) && g.nodes() > 1) {
    // Flat ring (CommGroup::flat): every rank through its own share of its node's NICs, at
    // the fabric's effective NIC rate, one scale-out step latency per ring step.
    const hw::GroupShape shape = hw::group_shape(*fabric_, spec.ranks);
    const double share = shape.net_bw * std::max(1, fabric_->nics_per_node()) / std::max(1, gpus_per_node_);
    const double n = g.size;
    const double steps = (kind == hw::CollectiveKind::all_reduce ? 2.0 : 1.0) * (n - 1);
    return fabric_->profile().collective_launch_s + steps / n * bytes / std::min(share, shape.net_bw) +
           steps * shape.alpha_net;
  }
  return hw::estimate_collective(*fabric_, spec).seconds;
}

double FabricComm::contended(hw::CollectiveKind kind, const CommGroup& g, double bytes) const {
  // Every group of the family inside the span, as rank lists.
  const int span = std::min(g.span, accelerators_);
  std::vector<std::vector<int>> groups;
  if (kind == hw::CollectiveKind::send_recv) {
    for (int r = 0; r + g.stride < span; ++r) groups.push_back({r, r + g.stride});
  } else {
    const int block = g.size * g.stride;
    for (int b = 0; b + block <= span; b += block) {
      for (int o = 0; o < g.stride; ++o) {
        std::vector<int> ranks;
        for (int i = 0; i < g.size; ++i) ranks.push_back(b + o + i * g.stride);
        groups.push_back(std::move(ranks));
      }
    }
  }
  if (groups.empty()) return idle_seconds(kind, g, bytes);
  // A family whose groups each lie inside one node shares no link across nodes: the first
  // node's groups stand for all.
  const auto same_node = [&](const std::vector<int>& r) {
    const auto [lo, hi] = std::minmax_element(r.begin(), r.end());
    return fabric_->node_of(*lo) == fabric_->node_of(*hi);
  };
  if (std::all_of(groups.begin(), groups.end(), same_node)) {
    const int node0 = fabric_->node_of(groups.front().front());
    std::erase_if(groups, [&](const std::vector<int>& r) { return fabric_->node_of(r.front()) != node0; });
  }
  sim::Engine engine;
  hw::NetworkSim net(engine, fabric_);
  Completions c;
  c.at.assign(groups.size(), 0.0);
  const sim::Handler h = sim::Handler::member<&Completions::done>(c);
  // The flat-ring implementation (CommGroup::flat) has no flow plan of its own; its groups
  // run as the network's plain rings, which use every NIC of a node: contention is priced
  // on those flows and scaled onto the flat ring's idle time.
  for (std::size_t i = 0; i < groups.size(); ++i) {
    hw::CollectiveSpec spec;
    spec.kind = kind;
    spec.bytes = bytes;
    spec.ranks = groups[i];
    if (g.flat && ring_kind(kind)) spec.algorithm = hw::CollectiveAlgorithm::ring;
    net.start_collective(spec, h, i);
  }
  engine.run();
  ++flow_runs_;
  const double slowest = *std::max_element(c.at.begin(), c.at.end());
  if (g.flat && ring_kind(kind) && g.nodes() > 1) {
    hw::CollectiveSpec alone;
    alone.kind = kind;
    alone.bytes = bytes;
    alone.ranks = groups.front();
    alone.algorithm = hw::CollectiveAlgorithm::ring;
    const double base = hw::estimate_collective(*fabric_, alone).seconds;
    return idle_seconds(kind, g, bytes) * std::max(1.0, slowest / std::max(base, 1e-12));
  }
  return slowest;
}

double FabricComm::seconds(hw::CollectiveKind kind, const CommGroup& g, double bytes) const {
  if (g.size <= 1 || bytes <= 0) return 0.0;
  const auto key = std::make_tuple(static_cast<int>(kind) + (g.flat ? 100 : 0), g.size, g.per_node, g.stride, g.span,
                                   bytes);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  const bool family = g.stride > 0 && g.span > 0;
  const double s = family ? contended(kind, g, bytes) : idle_seconds(kind, g, bytes);
  memo_.emplace(key, s);
  return s;
}

}  // namespace cs::models
