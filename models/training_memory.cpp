#include "models/training_memory.hpp"

#include "models/training_costs.hpp"

#include <algorithm>
#include <cstdio>

namespace cs::models {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

double routed_expert_parameters(const TransformerSpec& m, int layer) {
  if (!m.is_moe_layer(layer)) return 0.0;
  const double per_expert = (m.ffn == FfnKind::swiglu ? 3.0 : 2.0) * m.hidden * m.moe.expert_ffn_hidden;
  return m.moe.experts * per_expert;
}

double head_parameters(const TransformerSpec& m) { return static_cast<double>(m.vocab) * m.hidden; }

double embedding_stage_parameters(const TransformerSpec& m) {
  return static_cast<double>(m.vocab) * m.hidden +
         (m.learned_position_embeddings ? static_cast<double>(m.max_seq_len) * m.hidden : 0.0);
}

}  // namespace

// Layers of pipeline rank `stage` by kind: [0] dense, [1] MoE; and a representative layer
// index of each kind (-1 when none). Layers of one kind are identical, so per-layer
// figures are computed once and multiplied (the planner's fast path).
struct StageLayers {
  int count[2] = {0, 0};
  int example[2] = {-1, -1};
};

StageLayers stage_layers(const TrainingSpec& s, int stage) {
  const TransformerSpec& m = s.model;
  StageLayers out;
  for (int c = 0; c < s.layout.virtual_stages; ++c) {
    const LayerRange r = chunk_layers(s, stage, c);
    const int moe = m.moe.enabled() ? std::max(0, r.first + r.count - std::max(r.first, m.moe.first_dense_layers)) : 0;
    const int dense = r.count - moe;
    if (dense > 0 && out.example[0] < 0) out.example[0] = r.first;
    if (moe > 0 && out.example[1] < 0) out.example[1] = r.first + dense;
    out.count[0] += dense;
    out.count[1] += moe;
  }
  return out;
}

double stage_parameters(const TrainingSpec& s, int stage) {
  const ParallelLayout& l = s.layout;
  const TransformerSpec& m = s.model;
  double p = 0.0;
  const StageLayers sl = stage_layers(s, stage);
  for (int k = 0; k < 2; ++k) {
    if (sl.count[k] == 0) continue;
    const int i = sl.example[k];
    const double experts = routed_expert_parameters(m, i);
    p += sl.count[k] * ((m.layer_parameters(i) - experts) / l.tp + experts / (static_cast<double>(l.tp) * l.ep));
  }
  if (stage == 0) p += embedding_stage_parameters(m) / l.tp;
  // The output head (tied embeddings still need a copy on the last stage when pp > 1).
  if (stage == l.pp - 1 && (!m.tied_embeddings || l.pp > 1)) p += head_parameters(m) / l.tp;
  if (stage == l.pp - 1) p += m.hidden;  // final norm
  return p;
}

double activation_bytes(const TrainingSpec& s, int layer, Recompute recompute) {
  const TransformerSpec& m = s.model;
  const ParallelLayout& l = s.layout;
  const double tokens = static_cast<double>(s.micro_batch) * s.seq_len / l.cp;
  const double h = m.hidden;
  const double tp = l.tp;
  const bool sp = l.sequence_parallel && l.tp > 1;
  if (recompute == Recompute::full) return 2.0 * tokens * h / (sp ? tp : 1.0);
  // Bytes per token (16-bit activations, 1-byte dropout masks).
  const double replicated = 4.0 * h /*two norm inputs*/ + 2.0 * h /*qkv input*/ + 2.0 * h /*mlp input*/ +
                            2.0 * h /*two dropout masks*/;
  double mlp_width = m.ffn_hidden;
  double mlp_tokens = 1.0;
  if (m.is_moe_layer(layer)) {
    mlp_width = m.moe.expert_ffn_hidden;
    mlp_tokens = m.moe.top_k + m.moe.shared_experts;
  } else if (m.moe.enabled() && m.moe.dense_ffn_hidden > 0) {
    mlp_width = m.moe.dense_ffn_hidden;
  }
  const double mlp_inner = (m.ffn == FfnKind::swiglu ? 6.0 : 4.0) * mlp_width * mlp_tokens;
  const double split = 2.0 * m.q_dim() /*Q*/ + 4.0 * m.kv_dim() /*K, V*/ + 2.0 * m.q_dim() /*attention out*/ +
                       mlp_inner;
  double per_token = (sp ? replicated / tp : replicated) + split / tp;
  if (!s.flash_attention && recompute == Recompute::none) {
    // Scores, softmax and its dropout mask: 5 a s bytes per token.
    per_token += 5.0 * m.heads * (static_cast<double>(s.seq_len) / l.cp) / tp;
  }
  return per_token * tokens;
}

double layer_activation_bytes(const TrainingSpec& s, int layer) { return activation_bytes(s, layer, s.recompute); }

MemoryBreakdown stage_memory(const TrainingSpec& s, int stage) {
  const ParallelLayout& l = s.layout;
  const TransformerSpec& m = s.model;
  MemoryBreakdown mb;
  mb.stage = stage;
  const double params = stage_parameters(s, stage);
  const double shard = static_cast<double>(l.dp) * l.cp;
  const double weight_bytes = 2.0 + (s.precision == hw::DType::fp8 ? 1.0 : 0.0);  // fp8 copy cached
  mb.weights = params * weight_bytes / (l.zero_stage >= 3 ? shard : 1.0);
  mb.gradients = params * 2.0 / (l.zero_stage >= 2 ? shard : 1.0);
  mb.optimizer = params * 12.0 / (l.zero_stage >= 1 ? shard : 1.0);

  // Activations: micro-batches in flight on this stage times the layers it holds.
  const int m_count = s.micro_batches();
  double in_flight = std::min(l.pp - stage, m_count);
  if (l.schedule == PipelineSchedule::interleaved) {
    in_flight = std::min<double>(m_count, l.pp - stage) * (1.0 + (l.pp - 1.0) / (l.pp * l.virtual_stages));
  }
  double per_mb = 0.0;
  double largest_layer = 0.0;
  const StageLayers sl = stage_layers(s, stage);
  for (int k = 0; k < 2; ++k) {
    if (sl.count[k] == 0) continue;
    per_mb += sl.count[k] * layer_activation_bytes(s, sl.example[k]);
    if (s.recompute == Recompute::full) {
      largest_layer = std::max(largest_layer, activation_bytes(s, sl.example[k], Recompute::none));
    }
  }
  mb.activations = per_mb * in_flight + largest_layer;
  const double tokens = static_cast<double>(s.micro_batch) * s.seq_len / l.cp;
  if (stage == 0) mb.activations += 2.0 * tokens * m.hidden * in_flight;  // embedding output
  // Buffers: p2p and TP staging (two of each), DP buckets, ZeRO-3 gathered layers, logits.
  const double act_msg = 2.0 * tokens * m.hidden;
  mb.buffers = 2.0 * act_msg * (l.pp > 1 ? 2.0 : 0.0) + (l.tp > 1 ? 2.0 * act_msg : 0.0);
  mb.buffers += l.dp * l.cp > 1 ? std::min(params, 2.0 * 40e6) * 2.0 : 0.0;  // 40M-element buckets
  if (l.zero_stage >= 3) {
    double largest = m.layer_parameters(0);
    if (m.moe.enabled()) largest = std::max(largest, m.layer_parameters(m.moe.first_dense_layers));
    if (l.zero3_impl == Zero3Impl::deepspeed_2021) {
      // Per-tensor gathers: the tensor in use and the one prefetched.
      double frac = 0;
      for (double f : layer_tensor_fractions(m, 0)) frac = std::max(frac, f);
      if (m.moe.enabled()) {
        for (double f : layer_tensor_fractions(m, m.moe.first_dense_layers)) frac = std::max(frac, f);
      }
      const double embed = static_cast<double>(m.vocab) * m.hidden;
      largest = std::max(largest * frac, embed);
      mb.buffers += 2.0 * 2.0 * largest / l.tp;
    } else {
      mb.buffers += 2.0 * 2.0 * largest / l.tp;  // current and prefetched layer, bf16
    }
  }
  if (stage == l.pp - 1) mb.buffers += 2.0 * 4.0 * tokens * m.vocab / l.tp;  // fp32 logits and grads
  mb.overhead = s.framework_overhead_bytes;
  return mb;
}

MemoryBreakdown memory_per_device(const TrainingSpec& s) {
  MemoryBreakdown worst = stage_memory(s, 0);
  if (s.layout.pp > 1) {
    MemoryBreakdown last = stage_memory(s, s.layout.pp - 1);
    if (last.total() > worst.total()) worst = last;
  }
  return worst;
}

std::string memory_problem(const MemoryBreakdown& m, double capacity) {
  if (m.total() <= capacity) return {};
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "needs %.1f GiB per device (stage %d) but the accelerator has %.1f GiB: weights %.1f, gradients "
                "%.1f, optimizer %.1f, activations %.1f, buffers %.1f, overhead %.1f GiB",
                m.total() / kGiB, m.stage, capacity / kGiB, m.weights / kGiB, m.gradients / kGiB,
                m.optimizer / kGiB, m.activations / kGiB, m.buffers / kGiB, m.overhead / kGiB);
  return buf;
}

}  // namespace cs::models
