#pragma once
// The scenario's "cluster" section (docs/scenario-format.md#cluster): which node from the
// catalog, how many, the scale-out fabric, storage, and price overrides. Resolves catalog
// names into a self-contained hw::ClusterSpec.
//
//   "cluster": {
//     "node": "dgx-h100",              catalog node (or "accelerator": "h100-sxm" to take the
//                                      first node in the catalog with that accelerator)
//     "nodes": 8,                      default 1
//     "accelerators": 64,              default nodes x per-node; may be fewer (part of a node)
//     "fabric": { "topology": "rail_optimized", "tiers": 2, "oversubscription": 1,
//                 "nic": "cx7-ndr-400g", "nics_per_node": 8, "switch": "qm9700-ndr",
//                 "link_medium": "...", "nic_efficiency": 0.9, "in_network_reduction": false },
//     "storage": { "tier": "lustre-...", "servers": 4 },
//     "prices": { "node_purchase": "$350000", "node_cloud_hourly": "$98/h",
//                 "nic_purchase": ..., "switch_purchase": ..., "storage_purchase": ... }
//   }
#include "loaders/json_reader.hpp"
#include "sim/hw/catalog.hpp"
#include "sim/hw/cluster.hpp"

namespace cs::load {

hw::ClusterSpec read_cluster_section(const Node& node, const hw::HardwareCatalog& catalog);

hw::FabricTopology parse_fabric_topology(const Node& node);

}  // namespace cs::load
