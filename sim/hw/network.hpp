#pragma once
// The network model's public contract (implemented in topology/flow/collective files).
//
// Endpoints are accelerator ranks 0..N-1 (rank r lives on node r / accelerators_per_node);
// storage servers follow as endpoints N.. when the cluster has storage. Two ways to time
// communication, tested against each other (within 5% on uncontended topologies):
//   * estimate_collective(): closed-form alpha-beta cost, for the planner's fast path and
//     for workloads that do not need contention;
//   * NetworkSim: flow-level simulation on an Engine, links shared max-min fairly, so
//     concurrent transfers and collectives slow each other as on real fabrics.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/engine.hpp"
#include "sim/hw/cluster.hpp"

namespace cs::hw {

enum class CollectiveKind { all_reduce, reduce_scatter, all_gather, broadcast, reduce, all_to_all, send_recv };
enum class CollectiveAlgorithm { automatic, ring, double_binary_tree, hierarchical, direct, in_network };
std::string_view to_string(CollectiveKind k);
std::string_view to_string(CollectiveAlgorithm a);

struct CollectiveSpec {
  CollectiveKind kind = CollectiveKind::all_reduce;
  CollectiveAlgorithm algorithm = CollectiveAlgorithm::automatic;
  std::vector<int> ranks;  // participating accelerator ranks, in ring order
  double bytes = 0;        // message size as nccl-tests counts it (the full buffer per rank)
  int root = 0;            // index into `ranks` for broadcast / reduce
  // send_recv: ranks = {src, dst}
};

struct CollectiveEstimate {
  double seconds = 0;
  double algbw = 0;   // bytes / seconds
  double busbw = 0;   // algbw x the nccl-tests bus factor for the collective
  CollectiveAlgorithm algorithm = CollectiveAlgorithm::ring;
};

class Fabric;       // topology graph + routing + link parameters (topology.hpp)
class FlowNetwork;  // max-min flow solver (flow_network.hpp)

// Builds the fabric of a cluster (scale-up domains and the scale-out network).
std::shared_ptr<const Fabric> build_fabric(const ClusterSpec& cluster);

// Closed-form alpha-beta estimate on an otherwise idle fabric.
CollectiveEstimate estimate_collective(const Fabric& fabric, const CollectiveSpec& spec);

// nccl-tests bus-bandwidth factor: all_reduce 2(n-1)/n, reduce_scatter and all_gather
// (n-1)/n, all_to_all (n-1)/n, broadcast/reduce/send_recv 1.
double bus_factor(CollectiveKind kind, int ranks);

struct NetworkStats {
  std::uint64_t flows_started = 0;
  std::uint64_t flows_completed = 0;
  std::uint64_t rate_updates = 0;  // incremental max-min recomputations
  double bytes_delivered = 0;      // wire bytes of completed flows
};

// Flow-level simulation. Completion is reported by scheduling `done` with `payload` on the
// engine at the completion time.
class NetworkSim {
 public:
  NetworkSim(sim::Engine& engine, std::shared_ptr<const Fabric> fabric);
  ~NetworkSim();
  NetworkSim(const NetworkSim&) = delete;
  NetworkSim& operator=(const NetworkSim&) = delete;

  void start_collective(const CollectiveSpec& spec, sim::Handler done, std::uint64_t payload);
  void start_transfer(int src_endpoint, int dst_endpoint, double bytes, sim::Handler done, std::uint64_t payload);
  const NetworkStats& stats() const;
  const Fabric& fabric() const;
  // The flows in flight (rates, link loads), for reports and tests.
  const FlowNetwork& flows() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cs::hw
