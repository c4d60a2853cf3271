#include "models/transformer.hpp"

#include "sim/core/error.hpp"

namespace cs::models {

int TransformerSpec::q_dim() const {
  if (mla.enabled()) return heads * (mla.qk_nope_head_dim + mla.qk_rope_head_dim);
  return heads * head_dim;
}

int TransformerSpec::kv_dim() const { return kv_heads * head_dim; }

double TransformerSpec::kv_cache_bytes_per_token_per_layer(double bytes_per_element) const {
  if (mla.enabled()) return (mla.kv_lora_rank + mla.qk_rope_head_dim) * bytes_per_element;
  return 2.0 * kv_dim() * bytes_per_element;
}

double TransformerSpec::embedding_parameters() const {
  double p = static_cast<double>(vocab) * hidden;
  if (!tied_embeddings) p *= 2.0;
  if (learned_position_embeddings) p += static_cast<double>(max_seq_len) * hidden;
  return p + hidden;  // final norm
}

namespace {
double ffn_params(FfnKind kind, double h, double f) { return (kind == FfnKind::swiglu ? 3.0 : 2.0) * h * f; }
}  // namespace

double TransformerSpec::layer_parameters(int layer) const {
  const double h = hidden;
  double attn = 0.0;
  if (mla.enabled()) {
    const double qk_head = mla.qk_nope_head_dim + mla.qk_rope_head_dim;
    const double q_part = mla.q_lora_rank > 0 ? h * mla.q_lora_rank + mla.q_lora_rank * heads * qk_head
                                              : h * heads * qk_head;
    const double kv_down = h * (mla.kv_lora_rank + mla.qk_rope_head_dim);
    const double kv_up = mla.kv_lora_rank * heads * (mla.qk_nope_head_dim + mla.v_head_dim);
    const double out = static_cast<double>(heads) * mla.v_head_dim * h;
    attn = q_part + kv_down + kv_up + out + mla.q_lora_rank + mla.kv_lora_rank;
  } else {
    attn = h * q_dim() + 2.0 * h * kv_dim() + static_cast<double>(q_dim()) * h;
  }
  double mlp = 0.0;
  if (is_moe_layer(layer)) {
    mlp = (moe.experts + moe.shared_experts) * ffn_params(ffn, h, moe.expert_ffn_hidden) + h * moe.experts;
  } else {
    const double f = (moe.enabled() && moe.dense_ffn_hidden > 0) ? moe.dense_ffn_hidden : ffn_hidden;
    mlp = ffn_params(ffn, h, f);
  }
  return attn + mlp + 2.0 * h;  // two norms
}

// Layers of one kind are identical: dense layers are the first `first_dense_layers` of an
// MoE model (or all of a dense one), MoE layers the rest. O(1), not O(layers).
double TransformerSpec::parameters() const {
  double p = embedding_parameters();
  const int dense = moe.enabled() ? moe.first_dense_layers : layers;
  if (dense > 0) p += dense * layer_parameters(0);
  if (layers - dense > 0) p += (layers - dense) * layer_parameters(dense);
  return p;
}

double TransformerSpec::active_parameters() const {
  if (!moe.enabled()) return parameters();
  const double inactive = (moe.experts - moe.top_k) * ffn_params(ffn, hidden, moe.expert_ffn_hidden);
  return parameters() - (layers - moe.first_dense_layers) * inactive;
}

double TransformerSpec::forward_flops_per_token(double context, bool causal) const {
  // Matmul FLOPs: 2 per active weight, except the input embedding (a lookup).
  const double embed_lookup = static_cast<double>(vocab) * hidden * (tied_embeddings ? 0.0 : 1.0);
  const double matmul = 2.0 * (active_parameters() - embed_lookup -
                               (learned_position_embeddings ? static_cast<double>(max_seq_len) * hidden : 0.0));
  // Attention scores and weighted values: 2 GEMMs of 2 x context x head width per layer.
  const double v_width = mla.enabled() ? static_cast<double>(heads) * mla.v_head_dim : q_dim();
  const double attn = 2.0 * layers * context * (q_dim() + v_width) * (causal ? 0.5 : 1.0);
  return matmul + attn;
}

double TransformerSpec::training_flops_per_token(int seq, bool causal) const {
  return 3.0 * forward_flops_per_token(seq, causal);
}

void validate(const TransformerSpec& s) {
  auto fail = [&](const std::string& what) { throw InputError(s.source_file, "", "model \"" + s.name + "\": " + what); };
  if (s.layers <= 0 || s.hidden <= 0 || s.heads <= 0 || s.vocab <= 0) fail("layers, hidden, heads and vocab must be positive");
  if (s.kv_heads <= 0 || s.heads % s.kv_heads != 0) fail("heads must be a multiple of kv_heads");
  if (!s.mla.enabled() && s.head_dim <= 0) fail("head_dim must be positive");
  if (!s.moe.enabled() && s.ffn_hidden <= 0) fail("ffn_hidden must be positive");
  if (s.moe.enabled()) {
    if (s.moe.top_k <= 0 || s.moe.top_k > s.moe.experts) fail("moe.top_k must lie in [1, experts]");
    if (s.moe.expert_ffn_hidden <= 0) fail("moe.expert_ffn_hidden must be positive");
    if (s.moe.first_dense_layers >= s.layers) fail("moe.first_dense_layers must be fewer than layers");
  }
}

}  // namespace cs::models
