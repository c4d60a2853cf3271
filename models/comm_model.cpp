#include "models/comm_model.hpp"

#include <algorithm>

namespace cs::models {

AlphaBetaParams AlphaBetaComm::from_cluster(const hw::ClusterSpec& c) {
  AlphaBetaParams p;
  double intra = c.node.scale_up.bandwidth_per_accelerator;
  if (intra <= 0) intra = c.accelerator.scale_up.bandwidth_per_direction;
  if (intra <= 0) intra = c.accelerator.host_link.bandwidth_per_direction;
  p.intra_bandwidth = 0.80 * std::max(intra, 1e9);
  p.intra_latency = c.node.scale_up.latency_s > 0 ? c.node.scale_up.latency_s + 3e-6 : 5e-6;
  const int per_node = std::max(1, c.node.accelerators);
  double nic = c.node.nic_rate > 0 ? c.node.nic_rate : c.nic.port_rate * std::max(1, c.nic.ports);
  if (nic <= 0) nic = 25e9;
  const double eff = c.fabric.nic_efficiency > 0 ? c.fabric.nic_efficiency : 0.92;
  const int nics = std::max(1, c.nics_per_node());
  p.inter_bandwidth = eff * nic * nics / per_node;
  p.inter_latency = (c.nic.latency_s > 0 ? c.nic.latency_s : 2e-6) + 3e-6;
  return p;
}

double AlphaBetaComm::seconds(hw::CollectiveKind kind, const CommGroup& g, double bytes) const {
  if (g.size <= 1 || bytes <= 0) return 0.0;
  using K = hw::CollectiveKind;
  const double k = std::clamp(g.per_node, 1, g.size);
  const double n_nodes = std::max(1, g.nodes());
  if (g.flat && n_nodes > 1 && (kind == K::all_gather || kind == K::reduce_scatter || kind == K::all_reduce)) {
    const double n = g.size;
    const double steps = (kind == K::all_reduce ? 2.0 : 1.0) * (n - 1);
    return steps / n * bytes / p_.inter_bandwidth + steps * p_.inter_latency;
  }
  // Hierarchical: intra-node reduce-scatter/all-gather over k ranks, inter-node ring over
  // the nodes on 1/k of the buffer per rank (every rank drives its own NIC share).
  const double intra_step = (k - 1) / k * bytes / p_.intra_bandwidth + (k - 1) * p_.intra_latency;
  const double inter_step = n_nodes > 1 ? (n_nodes - 1) / n_nodes * (bytes / k) / p_.inter_bandwidth +
                                              (n_nodes - 1) * p_.inter_latency
                                        : 0.0;
  switch (kind) {
    case K::all_reduce: return 2.0 * (intra_step + inter_step);
    case K::reduce_scatter:
    case K::all_gather: return intra_step + inter_step;
    case K::broadcast:
    case K::reduce: return intra_step + inter_step + bytes / (n_nodes > 1 ? p_.inter_bandwidth : p_.intra_bandwidth);
    case K::all_to_all: {
      // Each rank sends bytes x (n-1)/n: (k-1)/n of it inside the node, (n-k)/n across.
      const double n = g.size;
      const double inside = (k - 1) / n * bytes / p_.intra_bandwidth;
      const double across = (n - k) / n * bytes / p_.inter_bandwidth;
      return std::max(inside, across) + (k - 1) * p_.intra_latency + (n_nodes > 1 ? p_.inter_latency * (n_nodes - 1) : 0);
    }
    case K::send_recv: {
      const bool same_node = g.per_node >= 2;
      return bytes / (same_node ? p_.intra_bandwidth : p_.inter_bandwidth) +
             (same_node ? p_.intra_latency : p_.inter_latency);
    }
  }
  return 0.0;
}

CommGroup tp_group(int tp, int gpus_per_node) {
  return {tp, std::min(tp, std::max(1, gpus_per_node))};
}

CommGroup strided_group(int size, int stride, int gpus_per_node) {
  CommGroup g;
  g.size = size;
  // Members are `stride` ranks apart: a node of gpus_per_node holds gpus_per_node / stride.
  g.per_node = std::clamp(std::max(1, gpus_per_node) / std::max(1, stride), 1, size);
  return g;
}

CommGroup concurrent_in(CommGroup g, int stride, int span) {
  g.stride = std::max(1, stride);
  g.span = span;
  return g;
}

}  // namespace cs::models
