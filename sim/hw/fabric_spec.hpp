#pragma once
// FabricSpec: the scale-out network of a cluster, as a scenario's "cluster.fabric" section
// describes it (docs/scenario-format.md). The topology builders (topology.hpp) turn it,
// with the node's scale-up fabric, into a graph.
//
// NetworkProfile holds the protocol parameters of the network model (achievable fractions
// of line rate, per-hop latency, per-message overhead, NCCL-like protocol costs). They are
// data, not constants in code: every field has a documented default (docs/network.md says
// where each default comes from) and a scenario or a planner may override any of them.
#include <string>
#include <vector>

namespace cs::hw {

enum class FabricTopology {
  single_node,     // no scale-out network (one node, or nodes joined only by scale-up)
  fat_tree,        // leaf-spine(-core) fat tree, every NIC on the leaf of its node
  rail_optimized,  // NIC i of every node on rail switch group i
  tpu_pod,         // TPU tori (ICI) joined by a data-centre network
};
std::string_view to_string(FabricTopology t);

// One NCCL-like wire protocol: a fixed cost per collective and per algorithm step, a fraction of the
// algorithm's bandwidth it reaches, and the chunk it pipelines (the pipeline fills with
// (steps - 1) chunks before the steady state). The closed form takes, per collective, the
// fastest protocol (as NCCL's tuner does); above `max_bytes` per rank it is not used.
struct WireProtocol {
  std::string name;                // "ll", "ll128", "simple"
  double base_latency_s = 0;       // added once per collective (setup, first/last flag)
  double step_latency_s = 0;       // added per algorithm step (message overhead, flags, sync)
  double bandwidth_fraction = 1;   // of the algorithm's (already efficiency-scaled) bandwidth
  double chunk_bytes = 0;          // pipeline chunk; 0 = no fill cost
  double max_bytes = 0;            // per rank; 0 = no limit
};

struct NetworkProfile {
  // Achievable fraction of line rate for bulk traffic, per link class. Defaults: NVLink
  // ring all-reduce busbw / unidirectional line rate on A100/H100/H200 (0.78-0.82, nccl-tests);
  // NDR NIC 46-48 of 50 GB/s (NVIDIA maintainers, nccl-tests #212/#290).
  double scale_up_efficiency = 0.79;   // NVLink / NVSwitch / Infinity Fabric
  double pcie_efficiency = 0.80;       // GPU <-> GPU and GPU <-> NIC through PCIe
  double ici_efficiency = 0.85;        // TPU ICI torus links
  double nic_efficiency = 0.94;        // scale-out NIC and switch ports (FabricSpec::nic_efficiency overrides)
  // In-network reduction: algorithm bandwidth of an NVLS all-reduce as a fraction of the
  // per-GPU NVLink rate (H100/H200 nccl-tests: ~275 GB/s algbw of 450), and SHARP's
  // fraction of NIC rate.
  double nvls_efficiency = 0.60;
  double sharp_efficiency = 0.90;
  // Latencies. A switch without a catalog latency uses switch_latency_s per hop; every
  // link adds link_latency_s (cable/serdes); every message adds message_overhead_s (NIC
  // doorbell, DMA setup) on scale-out paths and scale_up_overhead_s on scale-up paths.
  double switch_latency_s = 0.6e-6;
  double link_latency_s = 0.05e-6;
  double message_overhead_s = 2.0e-6;
  double scale_up_overhead_s = 1.0e-6;
  // Fixed cost of launching one collective (kernel launch, proxy wake-up), per call.
  double collective_launch_s = 5.0e-6;
  // Wire protocols. Empty = only the algorithm's own bandwidth and step latency.
  std::vector<WireProtocol> protocols;
};

// The defaults NetworkProfile documents, including NCCL's three protocols.
NetworkProfile default_network_profile();

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
  // Routing among equal-cost paths: false = ECMP (a deterministic hash of the flow picks
  // the next hop), true = adaptive (the least-loaded next hop when the flow starts).
  bool adaptive_routing = false;
  int switch_radix = 0;          // ports per switch; 0 = the switch model's radix, else 64
  int pod_leaves = 0;            // three tiers: leaves per pod; 0 = radix / 2
  std::vector<int> torus_dims;   // torus / tpu_pod: chips per dimension of one domain; empty = derived
  NetworkProfile profile = default_network_profile();
};

}  // namespace cs::hw
