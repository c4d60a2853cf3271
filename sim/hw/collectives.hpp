#pragma once
// Collectives: closed-form alpha-beta costs and their decomposition into phases of flows.
//
// Both views share one description of the algorithm, so they agree on an idle fabric:
//   * cost: per phase, launch + steps x (step latency + protocol latency) + wire bytes /
//     bottleneck bandwidth, where wire bytes = (payload + pipeline fill) / protocol
//     bandwidth fraction;
//   * plan: the same phases as flows between ranks on the real topology (NetworkSim runs
//     them, max-min fair, so concurrent collectives slow each other).
// Algorithms: ring (NCCL-style, one ring per NIC rotated so that each ring enters a node
// on a different NIC), double binary tree (all-reduce, several nodes), hierarchical (intra-
// domain reduce-scatter, inter-domain ring over 1/q of the data per rank, intra-domain
// all-gather), direct (all-to-all, pairwise) and in-network reduction (NVLS inside an
// NVSwitch domain, SHARP across nodes where the switches have it).
#include <string>
#include <vector>

#include "sim/hw/network.hpp"
#include "sim/hw/topology.hpp"

namespace cs::hw {

// The shape of a group of ranks on a fabric.
struct GroupShape {
  int ranks = 0;
  int domains = 0;          // scale-up domains spanned
  int per_domain = 0;       // ranks per domain (max over domains)
  int channels = 1;         // rings: distinct NICs used per domain (min over domains), or per_domain inside one domain
  int leaves = 0;           // leaves spanned
  bool uniform = true;      // same number of ranks in every domain
  double scale_up_bw = 0;   // effective, per accelerator
  double net_bw = 0;        // effective, per NIC
  double alpha_up = 0;      // one scale-up step: hop latency + overhead
  double alpha_net = 0;     // one scale-out step: path latency + NIC + overhead
};
GroupShape group_shape(const Fabric& fabric, const std::vector<int>& ranks);

struct FlowSpec {
  int src = 0;      // endpoints
  int dst = 0;
  double bytes = 0; // wire bytes
};

struct CollectivePhase {
  std::vector<FlowSpec> flows;
  double latency_s = 0;  // fixed part of the phase (steps x latency, launch on the first)
};

struct CollectivePlan {
  CollectiveAlgorithm algorithm = CollectiveAlgorithm::ring;
  std::string protocol;           // chosen wire protocol ("" without protocols)
  double estimate_s = 0;          // the closed-form time of this plan on an idle fabric
  std::vector<CollectivePhase> phases;
};

// Algorithms that apply to this collective on this fabric (automatic excluded).
std::vector<CollectiveAlgorithm> applicable_algorithms(const Fabric& fabric, const CollectiveSpec& spec);

// Closed-form time of one algorithm (throws InputError when it does not apply), with the
// fastest protocol. `protocol_out` receives that protocol's name.
double collective_time(const Fabric& fabric, const CollectiveSpec& spec, CollectiveAlgorithm algorithm,
                       std::string* protocol_out = nullptr);

// Phases of flows for a collective (automatic resolved as estimate_collective does).
CollectivePlan plan_collective(const Fabric& fabric, const CollectiveSpec& spec);

}  // namespace cs::hw
