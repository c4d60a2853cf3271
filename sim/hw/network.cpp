// Names, bus factors, the default network profile and build_fabric (network.hpp).
#include "sim/hw/network.hpp"

#include "sim/hw/topology.hpp"

namespace cs::hw {

std::string_view to_string(CollectiveKind k) {
  switch (k) {
    case CollectiveKind::all_reduce: return "all_reduce";
    case CollectiveKind::reduce_scatter: return "reduce_scatter";
    case CollectiveKind::all_gather: return "all_gather";
    case CollectiveKind::broadcast: return "broadcast";
    case CollectiveKind::reduce: return "reduce";
    case CollectiveKind::all_to_all: return "all_to_all";
    case CollectiveKind::send_recv: return "send_recv";
  }
  return "?";
}

std::string_view to_string(CollectiveAlgorithm a) {
  switch (a) {
    case CollectiveAlgorithm::automatic: return "automatic";
    case CollectiveAlgorithm::ring: return "ring";
    case CollectiveAlgorithm::double_binary_tree: return "double_binary_tree";
    case CollectiveAlgorithm::hierarchical: return "hierarchical";
    case CollectiveAlgorithm::direct: return "direct";
    case CollectiveAlgorithm::in_network: return "in_network";
  }
  return "?";
}

std::string_view to_string(FabricTopology t) {
  switch (t) {
    case FabricTopology::single_node: return "single_node";
    case FabricTopology::fat_tree: return "fat_tree";
    case FabricTopology::rail_optimized: return "rail_optimized";
    case FabricTopology::tpu_pod: return "tpu_pod";
  }
  return "?";
}

double bus_factor(CollectiveKind kind, int ranks) {
  if (ranks <= 1) return kind == CollectiveKind::all_reduce || kind == CollectiveKind::reduce_scatter ||
                                 kind == CollectiveKind::all_gather || kind == CollectiveKind::all_to_all
                             ? 0.0
                             : 1.0;
  const double n = ranks;
  switch (kind) {
    case CollectiveKind::all_reduce: return 2.0 * (n - 1) / n;
    case CollectiveKind::reduce_scatter:
    case CollectiveKind::all_gather:
    case CollectiveKind::all_to_all: return (n - 1) / n;
    case CollectiveKind::broadcast:
    case CollectiveKind::reduce:
    case CollectiveKind::send_recv: return 1.0;
  }
  return 1.0;
}

NetworkProfile default_network_profile() {
  NetworkProfile p;
  // NCCL's protocols (docs/network.md, "Protocols"): LL moves 4 data bytes per 8-byte line
  // with a flag and low latency, LL128 120 of 128 bytes, Simple the full rate behind a
  // heavier synchronisation. LL128 and Simple latencies, fractions and chunks were fitted
  // to the calibration records named in docs/network.md (8xH100 NVLS, 8xA100 ring,
  // >= 16 MiB); LL's values follow its design (half the line, small fixed cost) and only
  // matter below 600 KiB.
  p.protocols = {
      WireProtocol{"ll", 15.0e-6, 0.5e-6, 0.40, 0.0, 600.0 * 1024},
      WireProtocol{"ll128", 24.5e-6, 1.05e-6, 0.725, 136.0 * 1024, 0.0},
      WireProtocol{"simple", 60.5e-6, 2.35e-6, 1.0, 3.6 * 1024 * 1024, 0.0},
  };
  return p;
}

std::shared_ptr<const Fabric> build_fabric(const ClusterSpec& cluster) { return std::make_shared<const Fabric>(cluster); }

}  // namespace cs::hw
