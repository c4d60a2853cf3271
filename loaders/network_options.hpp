#pragma once
// The network model's own keys in a scenario's "cluster.fabric" section
// (docs/network.md, "Scenario keys"): routing, switch radix, pod size, torus shape and the
// "profile" object that overrides NetworkProfile parameters (efficiencies, latencies,
// protocols). read_fabric (cluster_section.cpp) calls read_network_options on its reader
// before finish(), so unknown keys are still rejected.
#include "loaders/json_reader.hpp"
#include "sim/hw/fabric_spec.hpp"

namespace cs::load {

void read_network_options(ObjectReader& fabric, hw::FabricSpec& f);

// "profile": { "scale_up_efficiency": 0.8, "switch_latency": "0.6us", "protocols": [...] }
void read_network_profile(const Node& node, hw::NetworkProfile& p);

}  // namespace cs::load
