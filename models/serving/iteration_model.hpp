#pragma once
// IterationModel: the time one continuous-batching iteration takes on a replica, and the
// replica's memory plan (weights, activation reserve, KV-cache capacity).
//
// An iteration runs every layer once over the batch's new tokens (decode tokens and
// prefill chunks together):
//   * token-wise work (QKV/out projections, FFN, norms, embedding) as GEMMs/elementwise
//     ops with M = new tokens, through the compute model, so weights are read once per
//     iteration and small batches are memory bound;
//   * attention per prefill chunk (causal, q = chunk, kv = context after it) and one fused
//     decode-attention kernel over all decode sequences (q = 1, kv = their mean context,
//     rounded to a whole token; FLOPs and KV bytes are linear in the context, so the mean
//     is exact for both);
//   * the LM head over the sequences that produce a token;
//   * TP: two all-reduces of the activations per layer; PP: stages run one after another
//     (latency = sum of stage times) plus a point-to-point activation send per boundary.
// The token-wise part depends only on the token count and is cached per count, and the
// decode kernel per (sequences, mean context), so a long replay mostly costs table lookups.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/serving/serving_spec.hpp"
#include "models/layer_ops.hpp"
#include "sim/hw/compute_model.hpp"

namespace cs::models::serving {

// Communication a replica needs, in seconds. Both must be set.
struct ReplicaComm {
  std::function<double(double bytes, int ranks)> all_reduce;  // TP all-reduce of `bytes` per rank
  std::function<double(double bytes)> p2p;                    // PP stage boundary send
  std::string source;                                         // "network model" or "scale-up alpha-beta"
};

// Alpha-beta estimate over the accelerator's scale-up link (ring all-reduce:
// 2(n-1)/n x bytes / bw + 2(n-1) x alpha). Used when no fabric model is wired in.
ReplicaComm scale_up_comm(const hw::AcceleratorSpec& device, double alpha_s = 3e-6);

struct PrefillChunk {
  std::int32_t tokens = 0;      // new prompt tokens this iteration
  std::int32_t context_after = 0;  // prompt tokens in KV once this chunk is done
};

struct BatchShape {
  std::int32_t decode_seqs = 0;
  double decode_context = 0;       // sum over decode sequences of their context incl. the new token
  const PrefillChunk* chunks = nullptr;
  std::size_t chunk_count = 0;
  std::int32_t logits = 0;         // sequences producing a token this iteration
  std::int32_t new_tokens() const;
};

struct IterationCost {
  double seconds = 0;
  double flops = 0;  // model FLOPs over all GPUs of the replica
};

struct MemoryPlan {
  double device_bytes = 0;       // per GPU
  double usable_bytes = 0;       // x memory_utilization
  double weight_bytes = 0;       // per GPU
  double activation_bytes = 0;   // per GPU, reserve for the largest iteration
  double kv_bytes = 0;           // per GPU, what is left for the KV cache
  double kv_bytes_per_token = 0; // per GPU
  double kv_bytes_per_token_model = 0;  // whole model (what a disaggregated transfer moves)
  std::int64_t kv_blocks = 0;    // per replica
  std::int64_t kv_tokens = 0;    // kv_blocks x block size
};

class IterationModel {
 public:
  // Throws InputError when the model does not fit (weights + activations over memory), or
  // the layout does not divide the model (heads, layers).
  IterationModel(const TransformerSpec& model, const hw::AcceleratorSpec& device, const ReplicaShape& shape,
                 const SchedulerSpec& scheduler, ReplicaComm comm);

  IterationCost cost(const BatchShape& batch);
  const MemoryPlan& memory() const { return memory_; }
  const ReplicaShape& shape() const { return shape_; }
  const TransformerSpec& model() const { return *model_; }
  const std::string& comm_source() const { return comm_.source; }
  // Peak FLOP/s of the whole replica in the weight dtype (for utilisation).
  double replica_peak_flops() const;

 private:
  IterationCost token_wise(std::int32_t tokens);
  IterationCost head(std::int32_t logits);
  IterationCost decode_attention(std::int32_t sequences, std::int64_t mean_context);
  double op_seconds(const std::vector<NamedOp>& ops, double* flops) const;

  const TransformerSpec* model_;
  hw::ComputeModel compute_;
  ReplicaShape shape_;
  ReplicaComm comm_;
  ParallelShape par_;
  int dense_layers_ = 0;
  int moe_layers_ = 0;
  int first_moe_layer_ = 0;
  MemoryPlan memory_;
  std::vector<IterationCost> token_cache_;  // index = tokens; seconds < 0 = not computed
  std::vector<IterationCost> head_cache_;
  // Decode attention by [sequences][mean context], grown on use up to 1024 sequences and
  // 32768 tokens (8 bytes an entry: a few MB for typical replays, 256 MiB at most).
  struct DecodeEntry {
    float seconds = -1.0f;  // < 0 = not computed
    float flops = 0.0f;
  };
  std::vector<std::vector<DecodeEntry>> decode_cache_;
  hw::DType attention_dtype_ = hw::DType::bf16;
};

}  // namespace cs::models::serving
