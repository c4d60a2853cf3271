#pragma once
// ClusterSpec: a resolved cluster, everything a simulation needs about the hardware:
// which node (and so which accelerator), how many, the scale-out fabric and storage.
// Holds copies of the catalog entries so a planner can vary them freely.
#include <optional>
#include <string>

#include "sim/hw/accelerator.hpp"
#include "sim/hw/fabric_spec.hpp"
#include "sim/hw/network_parts.hpp"
#include "sim/hw/node.hpp"
#include "sim/hw/storage.hpp"

namespace cs::hw {

struct StorageAttachment {
  StorageSpec tier;
  int servers = 1;
};

struct ClusterSpec {
  AcceleratorSpec accelerator;
  NodeSpec node;
  NicSpec nic;                           // the compute NIC in use (fabric override or the node's)
  std::optional<SwitchSpec> fabric_switch;
  std::optional<LinkMediumSpec> link_medium;
  int nodes = 1;
  // Accelerators in use; may be fewer than nodes x per-node when a workload takes part of
  // one node (a single GPU). Always >= 1 and <= nodes x node.accelerators.
  int accelerators = 1;
  FabricSpec fabric;
  std::optional<StorageAttachment> storage;

  int accelerators_per_node() const { return node.accelerators; }
  int nics_per_node() const { return fabric.nics_per_node > 0 ? fabric.nics_per_node : node.nics; }
  // Node index of global accelerator rank r (ranks fill nodes in order).
  int node_of(int rank) const { return rank / node.accelerators; }
};

}  // namespace cs::hw
