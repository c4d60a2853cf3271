#pragma once
// CommModel: how long a collective among a group of accelerator ranks takes, as the
// training workload needs it. The workload names groups by shape (size, and how many of
// its ranks share a node), never by rank lists, so the planner's fast path allocates
// nothing. AlphaBetaComm is the closed-form model built from a ClusterSpec: hierarchical
// (intra-node ring over the scale-up fabric, inter-node ring over the NICs) with per-hop
// latencies; the network layer's estimate_collective() can stand behind the same
// interface.
#include "sim/hw/cluster.hpp"
#include "sim/hw/network.hpp"

namespace cs::models {

struct CommGroup {
  int size = 1;      // ranks in the group
  int per_node = 1;  // ranks of the group on one node (size when the group fits in a node)
  // A flat ring over every rank of the group, no intra-node stage: across nodes each rank
  // moves the whole (n-1)/n x bytes through its own share of the node's NICs, in n-1 (or
  // 2(n-1)) latency-bound steps. What a framework gets when it calls the collective on a
  // flat data-parallel group per tensor (DeepSpeed ZeRO-3 of 2021, Zero3Impl).
  bool flat = false;
  // The family the group belongs to, for pricing contention (FabricComm): members are
  // `stride` ranks apart in the training rank order, and every group of the family inside
  // the first `span` ranks runs the same collective at the same moment (0: unknown, the
  // group alone). Groups of a family tile blocks of size x stride ranks (offsets 0 ..
  // stride-1); send_recv pairs are every (r, r + stride) with both ends inside the span.
  int stride = 0;
  int span = 0;
  int nodes() const { return (size + per_node - 1) / per_node; }
};

class CommModel {
 public:
  virtual ~CommModel() = default;
  // Seconds for a collective of `bytes` (the full buffer per rank, as nccl-tests counts it;
  // send_recv: the message) over `group`, on an otherwise idle fabric. 0 for a group of 1.
  virtual double seconds(hw::CollectiveKind kind, const CommGroup& group, double bytes) const = 0;
};

struct AlphaBetaParams {
  double intra_bandwidth = 0;  // bytes/s per accelerator, one direction, achievable
  double intra_latency = 0;    // s per step
  double inter_bandwidth = 0;  // bytes/s per accelerator through the NICs, achievable
  double inter_latency = 0;    // s per step
};

class AlphaBetaComm final : public CommModel {
 public:
  explicit AlphaBetaComm(const AlphaBetaParams& p) : p_(p) {}
  // NVLink-class links reach ~80% of their nominal rate in NCCL (busbw), NICs the fabric's
  // nic_efficiency (default 0.92); latencies from the node and NIC profiles.
  static AlphaBetaParams from_cluster(const hw::ClusterSpec& cluster);
  double seconds(hw::CollectiveKind kind, const CommGroup& group, double bytes) const override;
  const AlphaBetaParams& params() const { return p_; }

 private:
  AlphaBetaParams p_;
};

// Rank layout used everywhere in training (Megatron's order): rank =
// ((pp_i x dp + dp_i) x cp + cp_i) x tp + tp_i (TP fastest, then CP, DP, PP slowest), ranks
// filling nodes in order. These give the
// groups' shapes for `gpus_per_node` accelerators per node.
CommGroup tp_group(int tp, int gpus_per_node);
CommGroup strided_group(int size, int stride, int gpus_per_node);
// The group with its concurrent family: every group of the family within `span` ranks.
CommGroup concurrent_in(CommGroup g, int stride, int span);

}  // namespace cs::models
