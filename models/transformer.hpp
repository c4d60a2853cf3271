#pragma once
// TransformerSpec: the architecture of a decoder-only transformer (dense or mixture of
// experts), enough to count its parameters and FLOPs and to expand it into operations.
#include <string>
#include <vector>

#include "sim/hw/provenance.hpp"

namespace cs::models {

enum class FfnKind {
  gelu,    // two matrices: h -> ffn -> h (GPT, MPT)
  swiglu,  // three matrices: gate and up h -> ffn, down ffn -> h (Llama, Mixtral, DeepSeek)
};

struct MoeSpec {
  int experts = 0;             // routed experts per MoE layer; 0 = dense model
  int top_k = 0;               // experts each token is routed to
  int shared_experts = 0;      // always-active experts (DeepSeek)
  int expert_ffn_hidden = 0;   // hidden size of one expert's FFN
  int first_dense_layers = 0;  // leading layers with a dense FFN instead of experts
  int dense_ffn_hidden = 0;    // FFN hidden of those dense layers (0 = ffn_hidden)
  bool enabled() const { return experts > 0; }
};

// Multi-head latent attention (DeepSeek-V2/V3): K and V are compressed to a latent.
struct MlaSpec {
  int q_lora_rank = 0;
  int kv_lora_rank = 0;       // latent size cached per token (plus rope dims)
  int qk_rope_head_dim = 0;
  int qk_nope_head_dim = 0;
  int v_head_dim = 0;
  bool enabled() const { return kv_lora_rank > 0; }
};

struct TransformerSpec {
  std::string name;          // catalog key "llama-3-70b"
  std::string display_name;
  std::string family;        // "llama", "gpt", "mixtral", "deepseek", "mpt"
  int layers = 0;
  int hidden = 0;
  int ffn_hidden = 0;
  int heads = 0;
  int kv_heads = 0;          // == heads for MHA, 1 for MQA, in between for GQA
  int head_dim = 0;          // usually hidden / heads
  int vocab = 0;
  int max_seq_len = 0;
  FfnKind ffn = FfnKind::gelu;
  bool tied_embeddings = false;
  bool learned_position_embeddings = false;  // GPT-style absolute positions (adds seq x hidden)
  MoeSpec moe;
  MlaSpec mla;
  std::vector<hw::Source> sources;
  std::string source_file;

  // Parameters, exact for the architecture (norm weights and biases included).
  double parameters() const;
  // Parameters touched per token (MoE: shared + top_k routed experts).
  double active_parameters() const;
  // Parameters of one transformer layer (`layer` matters for MoE models with dense layers).
  double layer_parameters(int layer) const;
  double embedding_parameters() const;  // input embedding (+ output head when untied)

  bool is_moe_layer(int layer) const { return moe.enabled() && layer >= moe.first_dense_layers; }
  int q_dim() const;   // query projection width (heads x head_dim)
  int kv_dim() const;  // width of K (and of V) projections
  // Bytes of KV cache per token per layer at `bytes_per_element`.
  double kv_cache_bytes_per_token_per_layer(double bytes_per_element) const;

  // Model FLOPs of one training step (forward + backward, no recomputation) per token for
  // sequence length `seq`: 6 x active params (matmuls) + attention 12 x layers x seq x
  // q_dim (forward 4 x, causal halved... see .cpp). Used for MFU.
  double training_flops_per_token(int seq, bool causal = true) const;
  // Forward-only FLOPs per token at context length `context` (inference).
  double forward_flops_per_token(double context, bool causal = true) const;
};

void validate(const TransformerSpec& spec);  // throws InputError on inconsistent fields

}  // namespace cs::models
