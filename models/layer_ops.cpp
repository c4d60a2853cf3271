#include "models/layer_ops.hpp"

#include <algorithm>

#include "sim/core/assert.hpp"

namespace cs::models {
namespace {

double div(double a, int b) { return a / static_cast<double>(b); }

double ffn_width(const TransformerSpec& m, int layer) {
  if (m.moe.enabled() && !m.is_moe_layer(layer) && m.moe.dense_ffn_hidden > 0) return m.moe.dense_ffn_hidden;
  return m.ffn_hidden;
}

void add_ffn_gemms(std::vector<NamedOp>& ops, const TransformerSpec& m, double tokens, double width, int tp,
                   hw::DType dtype, double batch = 1) {
  const double up_width = (m.ffn == FfnKind::swiglu ? 2.0 : 1.0) * div(width, tp);
  ops.push_back({"mlp_up", hw::gemm(tokens, up_width, m.hidden, dtype, batch)});
  // Activation (GeLU, or SiLU x gate): read the up output, write the activation.
  const double act_in = tokens * up_width * batch * hw::bytes_per_element(dtype);
  ops.push_back({"mlp_act", hw::elementwise(act_in * (m.ffn == FfnKind::swiglu ? 1.5 : 2.0), dtype, 2.0)});
  ops.push_back({"mlp_down", hw::gemm(tokens, m.hidden, div(width, tp), dtype, batch)});
}

}  // namespace

void add_norms(std::vector<NamedOp>& ops, const TransformerSpec& m, double tokens, const ParallelShape& par,
               hw::DType dtype) {
  const double t = par.sequence_parallel ? div(tokens, par.tp) : tokens;
  const double bytes = t * m.hidden * hw::bytes_per_element(dtype);
  // Norm (read, write) plus residual add (read two, write one), twice per layer.
  ops.push_back({"norm_residual", hw::elementwise(2.0 * 5.0 * bytes, dtype, 1.0)});
}

void add_attention_projections(std::vector<NamedOp>& ops, const TransformerSpec& m, double tokens,
                               const ParallelShape& par, hw::DType dtype) {
  const double h = m.hidden;
  if (m.mla.enabled()) {
    const auto& a = m.mla;
    const double qk_head = a.qk_nope_head_dim + a.qk_rope_head_dim;
    if (a.q_lora_rank > 0) {
      ops.push_back({"q_down", hw::gemm(tokens, a.q_lora_rank, h, dtype)});
      ops.push_back({"q_up", hw::gemm(tokens, div(m.heads * qk_head, par.tp), a.q_lora_rank, dtype)});
    } else {
      ops.push_back({"q_proj", hw::gemm(tokens, div(m.heads * qk_head, par.tp), h, dtype)});
    }
    ops.push_back({"kv_down", hw::gemm(tokens, a.kv_lora_rank + a.qk_rope_head_dim, h, dtype)});
    ops.push_back({"kv_up", hw::gemm(tokens, div(m.heads * (a.qk_nope_head_dim + a.v_head_dim), par.tp),
                                     a.kv_lora_rank, dtype)});
    ops.push_back({"attn_out", hw::gemm(tokens, h, div(m.heads * a.v_head_dim, par.tp), dtype)});
    return;
  }
  ops.push_back({"qkv", hw::gemm(tokens, div(m.q_dim() + 2.0 * m.kv_dim(), par.tp), h, dtype)});
  ops.push_back({"attn_out", hw::gemm(tokens, h, div(m.q_dim(), par.tp), dtype)});
}

hw::Op attention_core(const TransformerSpec& m, const AttentionShape& s, const ParallelShape& par, hw::DType dtype) {
  CS_ASSERT(m.heads % par.tp == 0 || par.tp == 1, "attention_core: heads not divisible by tp");
  const double heads = div(m.heads, par.tp);
  const int kv_heads = std::max(1, m.mla.enabled() ? m.heads / par.tp : m.kv_heads / std::min(par.tp, m.kv_heads));
  const double head_dim = m.mla.enabled() ? m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim : m.head_dim;
  return hw::attention(s.batch, heads, s.q_len, s.kv_len, head_dim, s.causal, dtype, kv_heads);
}

void add_mlp(std::vector<NamedOp>& ops, const TransformerSpec& m, int layer, double tokens, const ParallelShape& par,
             hw::DType dtype) {
  if (!m.is_moe_layer(layer)) {
    add_ffn_gemms(ops, m, tokens, ffn_width(m, layer), par.tp, dtype);
    return;
  }
  const auto& e = m.moe;
  ops.push_back({"router", hw::gemm(tokens, e.experts, m.hidden, dtype)});
  // Balanced routing: every EP rank receives tokens x top_k x ep / experts per local expert.
  const int local_experts = std::max(1, e.experts / par.ep);
  const double tokens_per_expert = tokens * e.top_k * static_cast<double>(par.ep) / e.experts;
  add_ffn_gemms(ops, m, tokens_per_expert, e.expert_ffn_hidden, par.tp, dtype, local_experts);
  if (e.shared_experts > 0) {
    add_ffn_gemms(ops, m, tokens, static_cast<double>(e.expert_ffn_hidden) * e.shared_experts, par.tp, dtype);
  }
}

LayerForward layer_forward(const TransformerSpec& m, int layer, const AttentionShape& s, const ParallelShape& par,
                           hw::DType dtype) {
  LayerForward f;
  const double tokens = s.batch * s.q_len;
  add_norms(f.ops, m, tokens, par, dtype);
  add_attention_projections(f.ops, m, tokens, par, dtype);
  // Keep attention between the projections, as it runs.
  const NamedOp out = f.ops.back();
  f.ops.pop_back();
  f.ops.push_back({"attention", attention_core(m, s, par, dtype)});
  f.ops.push_back(out);
  add_mlp(f.ops, m, layer, tokens, par, dtype);
  if (par.tp > 1) {
    f.tp_collective_bytes = tokens * m.hidden * hw::bytes_per_element(dtype);
    f.tp_collectives = 2;
  }
  if (m.is_moe_layer(layer) && par.ep > 1) {
    f.moe_dispatch_bytes = tokens * m.moe.top_k * m.hidden * hw::bytes_per_element(dtype);
  }
  return f;
}

std::vector<NamedOp> embedding_forward(const TransformerSpec& m, double tokens, const ParallelShape& par,
                                       hw::DType dtype) {
  (void)par;
  const double bytes = 2.0 * tokens * m.hidden * hw::bytes_per_element(dtype);
  return {{"embedding", hw::elementwise(bytes, dtype, 0.0)}};
}

std::vector<NamedOp> head_forward(const TransformerSpec& m, double tokens, const ParallelShape& par, hw::DType dtype,
                                  bool with_loss) {
  std::vector<NamedOp> ops;
  ops.push_back({"final_norm", hw::elementwise(2.0 * tokens * m.hidden * hw::bytes_per_element(dtype), dtype, 1.0)});
  const double vocab = div(m.vocab, par.tp);
  ops.push_back({"lm_head", hw::gemm(tokens, vocab, m.hidden, dtype)});
  if (with_loss) {
    // Softmax cross-entropy over the vocabulary slice, in fp32.
    ops.push_back({"loss", hw::elementwise(3.0 * tokens * vocab * 4.0, hw::DType::fp32, 2.0)});
  }
  return ops;
}

std::vector<NamedOp> backward_of(const NamedOp& f) {
  const hw::Op& op = f.op;
  switch (op.kind) {
    case hw::OpKind::gemm:
    case hw::OpKind::batched_gemm: {
      // Y[m,n] = X[m,k] W[k,n]: dX[m,k] = dY[m,n] W^T, dW[k,n] = X^T dY[m,n].
      return {{"dgrad", hw::gemm(op.m, op.k, op.n, op.dtype, op.batch)},
              {"wgrad", hw::gemm(op.k, op.n, op.m, op.dtype, op.batch)}};
    }
    case hw::OpKind::attention: {
      hw::Op b = op;
      b.flops_scale = 2.5 * op.flops_scale;
      b.bytes_scale = 2.0 * op.bytes_scale;
      return {{"attention_bwd", b}};
    }
    case hw::OpKind::elementwise:
    case hw::OpKind::reduction: {
      hw::Op b = op;
      b.bytes *= 2.0;
      return {{"elementwise_bwd", b}};
    }
  }
  return {};
}

}  // namespace cs::models
