#pragma once
// FabricSpec: the scale-out network of a cluster, as a scenario's "cluster.fabric" section
// describes it (docs/scenario-format.md). The topology builders (topology.hpp) turn it,
// with the node's scale-up fabric, into a graph.
#include <string>

namespace cs::hw {

enum class FabricTopology {
  single_node,     // no scale-out network (one node, or nodes joined only by scale-up)
  fat_tree,        // leaf-spine(-core) fat tree, every NIC on the leaf of its node
  rail_optimized,  // NIC i of every node on rail switch group i
  tpu_pod,         // TPU tori (ICI) joined by a data-centre network
};
std::string_view to_string(FabricTopology t);

struct FabricSpec {
  FabricTopology topology = FabricTopology::single_node;
  int tiers = 2;                 // 2: leaf-spine, 3: leaf-spine-core
  double oversubscription = 1.0; // downlink:uplink bandwidth ratio at the leaf (1 = non-blocking)
  std::string switch_model;      // catalog switch name; empty = chosen from the NIC technology
  std::string nic_model;         // catalog NIC name; empty = the node's NIC
  int nics_per_node = 0;         // 0 = the node's NIC count
  std::string link_medium;       // catalog link medium for switch links (cost, power)
  double nic_efficiency = 0.0;   // achievable fraction of NIC line rate; 0 = profile default
  bool in_network_reduction = false;  // use SHARP / NVLS where the hardware has it
};

}  // namespace cs::hw
