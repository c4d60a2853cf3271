#pragma once
// The costs of one training step's pieces on one rank, shared by the analytical estimate
// (training_estimate.hpp) and the event simulation (training_sim.hpp): compute time of a
// micro-batch through each model chunk (forward, backward with recomputation), the
// communication each piece triggers (TP, CP, EP collectives; pipeline sends; DP / ZeRO
// gradient and parameter collectives), and the optimizer step.
//
// Ops come from layer_ops (per TP rank shapes) and are timed by the compute model; layers
// of one kind are costed once and multiplied. LayerCostCache memoises per-layer costs by
// everything they depend on, so a layout sweep (the planner) reuses them across PP/DP.
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "models/comm_model.hpp"
#include "models/training_spec.hpp"
#include "sim/hw/compute_model.hpp"

namespace cs::models {

// One transformer layer, one micro-batch, one rank.
struct LayerCosts {
  double fwd = 0;        // s, forward compute
  double bwd = 0;        // s, backward compute (without recomputation)
  double recompute = 0;  // s, forward work redone before the backward
  double fwd_flops = 0;  // executed FLOPs of the forward (model FLOPs = 3 x fwd for the step)
  double recompute_flops = 0;
  double tp_bytes = 0;   // per TP all-reduce (or RS + AG with sequence parallelism)
  int tp_collectives = 0;  // per forward pass
  double ep_bytes = 0;   // per MoE all-to-all (dispatch; combine is the same)
  double cp_bytes = 0;   // K and V this rank contributes per forward (ring all-gather)
};

// Embedding (first stage) and output head with loss (last stage), one micro-batch.
struct EndCosts {
  double embed_fwd = 0, embed_bwd = 0, head_fwd = 0, head_bwd = 0, head_flops = 0;
};

class LayerCostCache {
 public:
  const LayerCosts& get(const TrainingSpec& spec, const hw::ComputeModel& compute, int layer);
  const EndCosts& ends(const TrainingSpec& spec, const hw::ComputeModel& compute);
  std::size_t size() const { return cache_.size(); }

 private:
  using Key = std::tuple<std::size_t, std::size_t, std::int64_t, std::int64_t, std::int64_t, std::int64_t>;
  Key key(const TrainingSpec& spec, const hw::ComputeModel& compute, int kind) const;
  std::map<Key, LayerCosts> cache_;
  std::map<Key, EndCosts> ends_;
};

struct ChunkCosts {
  int layers = 0;
  double fwd = 0, bwd = 0;         // s compute per micro-batch (bwd includes recompute)
  double recompute = 0;            // s of bwd that is recomputation
  double tp_fwd = 0, tp_bwd = 0;   // s of blocking TP collectives per micro-batch
  double ep_fwd = 0, ep_bwd = 0;   // s of MoE all-to-all per micro-batch
  double cp_fwd = 0, cp_bwd = 0;   // s of context-parallel K/V exchange per micro-batch
  double flops_model = 0;          // per micro-batch, fwd + bwd without recomputation
  double flops_hw = 0;             // per micro-batch, executed
  double params = 0;               // on this rank after TP/EP sharding
  double grad_reduce = 0;          // s, DP collective of this chunk's gradients (per step or, ZeRO-2/3, per micro-batch)
  double param_gather = 0;         // s, ZeRO all-gather of this chunk's weights (after the step; ZeRO-3 per use)
};

struct StageCosts {
  std::vector<ChunkCosts> chunks;  // virtual_stages of them
  double optimizer = 0;            // s, optimizer step on this rank's shard
  double params = 0;
};

struct StepCosts {
  std::vector<StageCosts> stages;  // pp of them
  double p2p = 0;                  // s, one activation send between adjacent stages
  int micro_batches = 0;
  double peak_flops = 0;           // per device, dense, at the spec's precision
  double model_flops_per_step = 0; // all devices, 6N + 12 L h s convention (PaLM)
  int gpus_per_node = 8;
};

StepCosts build_step_costs(const TrainingSpec& spec, const hw::ClusterSpec& cluster, const CommModel& comm,
                           LayerCostCache& cache);

}  // namespace cs::models
