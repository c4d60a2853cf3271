#pragma once
// ClusterSpec values for network tests, built in code (no catalog needed).
#include "sim/hw/cluster.hpp"

namespace cs::hw::testing {

// A DGX-H100-like node: 8 GPUs on NVSwitch (450 GB/s per direction), 8 x 400G NICs.
inline ClusterSpec h100_cluster(int nodes, FabricTopology topo = FabricTopology::fat_tree) {
  ClusterSpec c;
  c.accelerator.name = "h100-sxm";
  c.accelerator.scale_up.bandwidth_per_direction = 450e9;
  c.accelerator.host_link.bandwidth_per_direction = 63e9;
  c.node.name = "test-h100";
  c.node.accelerators = 8;
  c.node.scale_up.kind = ScaleUpKind::nvswitch;
  c.node.scale_up.domain_size = 8;
  c.node.scale_up.bandwidth_per_accelerator = 450e9;
  c.node.scale_up.latency_s = 0.5e-6;
  c.node.scale_up.in_network_reduction = true;
  c.node.nic = "cx7";
  c.node.nics = 8;
  c.node.nic_rate = 50e9;
  c.nic.name = "cx7";
  c.nic.port_rate = 50e9;
  c.nic.latency_s = 1e-6;
  c.nodes = nodes;
  c.accelerators = nodes * 8;
  c.fabric.topology = nodes > 1 ? topo : FabricTopology::single_node;
  SwitchSpec sw;
  sw.name = "test-switch";
  sw.radix = 64;
  sw.port_rate = 50e9;
  sw.latency_s = 0.5e-6;
  sw.in_network_reduction = true;
  c.fabric_switch = sw;
  return c;
}

inline std::vector<int> iota_ranks(int n, int first = 0) {
  std::vector<int> r(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) r[static_cast<std::size_t>(i)] = first + i;
  return r;
}

}  // namespace cs::hw::testing

#include <doctest/doctest.h>

namespace cs::hw::testing {
// A purely relative tolerance (doctest's Approx also adds an absolute part of `epsilon`,
// which would make checks on times in seconds meaningless).
inline doctest::Approx rel(double value, double epsilon = 1e-9) { return doctest::Approx(value).epsilon(epsilon).scale(0); }
}  // namespace cs::hw::testing
