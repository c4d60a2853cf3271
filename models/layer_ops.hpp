#pragma once
// Expands transformer layers into the operations one tensor-parallel rank executes.
//
// Shapes are per rank: tensor parallelism (Megatron style) splits attention heads and the
// FFN hidden dimension `tp` ways (column-parallel QKV / up, row-parallel out / down), so
// each rank runs GEMMs with N or K divided by tp, and two activation all-reduces per layer
// (or reduce-scatter + all-gather with sequence parallelism) join the halves. Mixture-of-
// experts layers place experts/ep experts on each expert-parallel rank, fed by all-to-all.
#include <string_view>
#include <vector>

#include "models/transformer.hpp"
#include "sim/hw/compute_model.hpp"

namespace cs::models {

struct NamedOp {
  std::string_view name;  // static label: "qkv", "attention", "mlp_up", ...
  hw::Op op;
};

struct ParallelShape {
  int tp = 1;                      // tensor parallel ranks
  int ep = 1;                      // expert parallel ranks (MoE)
  bool sequence_parallel = false;  // norms/dropout on 1/tp of the tokens
};

// Forward of one layer: `tokens` = batch x q_len new tokens on this rank (before tp split
// of the sequence), each attending to kv_len context tokens (== q_len for training).
struct LayerForward {
  std::vector<NamedOp> ops;
  // Activation bytes of each TP collective (all-reduce, or reduce-scatter + all-gather with
  // sequence parallelism), and how many per layer forward (2 when tp > 1).
  double tp_collective_bytes = 0;
  int tp_collectives = 0;
  // MoE: bytes this rank sends in the dispatch all-to-all (the combine sends the same).
  double moe_dispatch_bytes = 0;
};

struct AttentionShape {
  double batch = 1;   // sequences
  double q_len = 1;   // new tokens per sequence
  double kv_len = 1;  // context per sequence, including the new tokens
  bool causal = true;
};

LayerForward layer_forward(const TransformerSpec& model, int layer, const AttentionShape& shape,
                           const ParallelShape& par, hw::DType dtype);

// Pieces, for schedulers that mix sequences of different lengths in one batch (inference):
// the projections and FFN depend only on the token count, attention on each sequence.
void add_attention_projections(std::vector<NamedOp>& ops, const TransformerSpec& model, double tokens,
                               const ParallelShape& par, hw::DType dtype);
hw::Op attention_core(const TransformerSpec& model, const AttentionShape& shape, const ParallelShape& par,
                      hw::DType dtype);
void add_mlp(std::vector<NamedOp>& ops, const TransformerSpec& model, int layer, double tokens,
             const ParallelShape& par, hw::DType dtype);
void add_norms(std::vector<NamedOp>& ops, const TransformerSpec& model, double tokens, const ParallelShape& par,
               hw::DType dtype);

// Embedding lookup (first stage) and output head with loss (last stage), per TP rank.
std::vector<NamedOp> embedding_forward(const TransformerSpec& model, double tokens, const ParallelShape& par,
                                       hw::DType dtype);
std::vector<NamedOp> head_forward(const TransformerSpec& model, double tokens, const ParallelShape& par,
                                  hw::DType dtype, bool with_loss);

// Backward of a forward op: a GEMM becomes its data- and weight-gradient GEMMs, attention
// its backward kernel (x2.5 FLOPs, x2 bytes), element-wise work reads and writes twice.
std::vector<NamedOp> backward_of(const NamedOp& forward);

}  // namespace cs::models
