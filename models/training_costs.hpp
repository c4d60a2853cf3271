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
#include <array>
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

// Weight tensors of a layer in forward order (QKV, attention out, MLP up (+gate), MLP down;
// MoE: all experts' up and down), as fractions of the layer's weights; norms and biases
// ride with them.
std::array<double, 4> layer_tensor_fractions(const TransformerSpec& m, int layer);

// One weight tensor of a chunk under Zero3Impl::deepspeed_2021: its share of the chunk's
// compute (by parameter count: a GEMM's FLOPs are 2 x tokens x its weights) and its own
// gather / reduce-scatter over the flat data-parallel ring.
struct TensorCosts {
  double fwd = 0, bwd = 0, recompute = 0;  // s compute per micro-batch (bwd without recompute)
  double gather = 0, reduce = 0;           // s per collective
  int layer = -1;                          // layer index within the chunk; -1 embedding / head
};

// One step of a rank's ZeRO-3 per-tensor sequence: gather the tensor's weights, compute,
// reduce-scatter its gradient (backward only).
struct Zero3Step {
  double compute = 0, gather = 0, reduce = 0;
  bool forward = true;
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
  std::vector<TensorCosts> tensors;  // deepspeed_2021 ZeRO-3 only: weight tensors in forward order
};

// The steps of one pass (forward, or backward with its recomputed forward per layer when
// `full_recompute`) of a chunk under deepspeed_2021 ZeRO-3, in execution order. Backward:
// head, then per layer from the last: its tensors recomputed (forward order) and then
// differentiated (reverse order), then the embedding.
std::vector<Zero3Step> zero3_pass_steps(const ChunkCosts& chunk, bool forward, bool full_recompute);

// Replays a rank's per-tensor sequence on two streams (compute; one communication stream
// for gathers and reduce-scatters in issue order), the prefetcher issuing tensor i+1's
// gather when tensor i's compute starts: the same rules the event simulation runs. A
// reduction is launched only after the previous one is done (the host waits), so compute
// after it waits for that one; with `reduce_overlaps` false, for this one (the backward
// does not run under its gradient reduction). Returns when both streams are done;
// `extra_at_end[i]` (optional) is blocking compute-stream time after step i (TP
// collectives at a pass's end).
double zero3_replay(const std::vector<Zero3Step>& steps, bool reduce_overlaps = true,
                    const std::vector<double>* extra_at_end = nullptr);

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
