#include "models/training_costs.hpp"

#include <algorithm>
#include <array>
#include <functional>

#include "models/layer_ops.hpp"
#include "models/training_memory.hpp"

namespace cs::models {
namespace {

using K = hw::CollectiveKind;

bool is_gemm(const hw::Op& op) { return op.kind == hw::OpKind::gemm || op.kind == hw::OpKind::batched_gemm; }

// FP8 GEMMs need their inputs cast (and scaled) from 16 bits: read 2 bytes, write 1.
double fp8_cast_seconds(const hw::ComputeModel& cm, const hw::Op& op, bool backward) {
  const double elems = backward ? op.m * op.n * op.batch : op.m * op.k * op.batch;
  return cm.seconds(hw::elementwise(3.0 * elems, hw::DType::bf16, 0.5));
}

// Without a fused kernel (Megatron before FlashAttention) attention runs as two batched
// GEMMs around a softmax that reads and writes the score matrix (scale, mask, softmax and
// dropout fused into one kernel, plus the dropout mask).
void unfuse_attention(std::vector<NamedOp>& ops, hw::DType dtype) {
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (ops[i].op.kind != hw::OpKind::attention) continue;
    const hw::Op a = ops[i].op;
    const double bh = a.batch * a.heads;
    const double score_elems = bh * a.q_len * a.kv_len;
    const double e = hw::bytes_per_element(dtype);
    std::vector<NamedOp> parts;
    parts.push_back({"attn_scores", hw::gemm(a.q_len, a.kv_len, a.head_dim, dtype, bh)});
    parts.push_back({"attn_softmax", hw::elementwise(score_elems * (2.0 * e + 1.0), dtype, 2.0)});
    parts.push_back({"attn_values", hw::gemm(a.q_len, a.head_dim, a.kv_len, dtype, bh)});
    ops.erase(ops.begin() + static_cast<std::ptrdiff_t>(i));
    ops.insert(ops.begin() + static_cast<std::ptrdiff_t>(i), parts.begin(), parts.end());
    return;
  }
}

LayerCosts cost_layer(const TrainingSpec& s, const hw::ComputeModel& cm, int layer) {
  const ParallelLayout& l = s.layout;
  const bool fp8 = s.precision == hw::DType::fp8;
  const hw::DType act = fp8 ? hw::DType::bf16 : s.precision;
  AttentionShape shape;
  shape.batch = s.micro_batch;
  shape.q_len = static_cast<double>(s.seq_len) / l.cp;
  shape.kv_len = shape.q_len;
  ParallelShape par;
  par.tp = l.tp;
  par.ep = l.ep;
  par.sequence_parallel = l.sequence_parallel && l.tp > 1;
  LayerForward f = layer_forward(s.model, layer, shape, par, act);
  if (!s.flash_attention) unfuse_attention(f.ops, act);
  LayerCosts c;
  double attention_fwd = 0, attention_flops = 0;
  for (NamedOp& op : f.ops) {
    if (op.op.kind == hw::OpKind::attention && l.cp > 1) {
      // Each CP rank's queries see the whole sequence; load-balanced causal masking leaves
      // 1/cp of the full causal work per rank.
      op.op.kv_len = s.seq_len;
      op.op.causal = false;
      op.op.flops_scale *= 0.5;
    }
    if (fp8 && is_gemm(op.op)) op.op.dtype = hw::DType::fp8;
    const hw::OpCost fc = cm.cost(op.op);
    double t = fc.seconds + (fp8 && is_gemm(op.op) ? fp8_cast_seconds(cm, op.op, false) : 0.0);
    c.fwd += t;
    c.fwd_flops += fc.flops;
    if (op.op.kind == hw::OpKind::attention || op.name == "attn_scores" || op.name == "attn_softmax" ||
        op.name == "attn_values") {
      attention_fwd += t;
      attention_flops += fc.flops;
    }
    for (const NamedOp& b : backward_of(op)) {
      c.bwd += cm.seconds(b.op) + (fp8 && is_gemm(b.op) ? fp8_cast_seconds(cm, b.op, true) : 0.0);
    }
  }
  if (s.recompute == Recompute::full) {
    c.recompute = c.fwd;
    c.recompute_flops = c.fwd_flops;
  } else if (s.recompute == Recompute::selective && !s.flash_attention) {
    // Selective recomputation redoes the attention core (flash attention's backward already does).
    c.recompute = attention_fwd;
    c.recompute_flops = attention_flops;
  }
  c.tp_bytes = f.tp_collective_bytes;
  c.tp_collectives = f.tp_collectives;
  c.ep_bytes = f.moe_dispatch_bytes;
  if (l.cp > 1) c.cp_bytes = 2.0 * s.model.kv_dim() / std::min(l.tp, s.model.kv_heads) * shape.batch * shape.q_len *
                            hw::bytes_per_element(act) * l.cp;
  return c;
}

}  // namespace

std::array<double, 4> layer_tensor_fractions(const TransformerSpec& m, int layer) {
  const double h = m.hidden;
  double ffn = m.ffn_hidden;
  if (m.is_moe_layer(layer)) {
    ffn = static_cast<double>(m.moe.expert_ffn_hidden) * (m.moe.experts + m.moe.shared_experts);
  } else if (m.moe.enabled() && m.moe.dense_ffn_hidden > 0) {
    ffn = m.moe.dense_ffn_hidden;
  }
  std::array<double, 4> t{h * (m.q_dim() + 2.0 * m.kv_dim()), static_cast<double>(m.q_dim()) * h,
                          (m.ffn == FfnKind::swiglu ? 2.0 : 1.0) * h * ffn, ffn * h};
  const double sum = t[0] + t[1] + t[2] + t[3];
  for (double& x : t) x /= sum;
  return t;
}

namespace {

double optimizer_seconds(const hw::ComputeModel& cm, double params) {
  // Adam: read/write fp32 master weights and both moments, read the gradient, write the
  // 16-bit weights: ~30 bytes per parameter, bandwidth bound, split over a few kernels.
  if (params <= 0) return 0.0;
  return cm.seconds(hw::elementwise(30.0 * params, hw::DType::fp32, 0.4));
}

}  // namespace

LayerCostCache::Key LayerCostCache::key(const TrainingSpec& s, const hw::ComputeModel& cm, int kind) const {
  const ParallelLayout& l = s.layout;
  const std::int64_t a = (static_cast<std::int64_t>(l.tp) << 40) | (static_cast<std::int64_t>(l.cp) << 24) |
                         (static_cast<std::int64_t>(l.ep) << 8) | (l.sequence_parallel ? 1 : 0);
  const std::int64_t b = (static_cast<std::int64_t>(s.micro_batch) << 32) | s.seq_len;
  const std::int64_t c = (static_cast<std::int64_t>(s.precision) << 8) | (static_cast<std::int64_t>(s.recompute) << 4) |
                         (s.flash_attention ? 1 : 0);
  const std::uint64_t shape_bits = (static_cast<std::uint64_t>(s.model.hidden) << 32) ^
                                  (static_cast<std::uint64_t>(s.model.ffn_hidden) << 12) ^
                                  static_cast<std::uint64_t>(s.model.heads) ^
                                  (static_cast<std::uint64_t>(s.model.kv_heads) << 52) ^
                                  (static_cast<std::uint64_t>(s.model.vocab) << 20);
  const auto shape = static_cast<std::int64_t>(((shape_bits << 2) | static_cast<std::uint64_t>(kind)) & 0x7fffffffffffffffULL);
  return Key{std::hash<std::string>{}(s.model.name), std::hash<std::string>{}(cm.device().name), a, b, c,
             shape};
}

const LayerCosts& LayerCostCache::get(const TrainingSpec& s, const hw::ComputeModel& cm, int layer) {
  const Key k = key(s, cm, s.model.is_moe_layer(layer) ? 1 : 0);
  auto it = cache_.find(k);
  if (it != cache_.end()) return it->second;
  return cache_.emplace(k, cost_layer(s, cm, layer)).first->second;
}

const EndCosts& LayerCostCache::ends(const TrainingSpec& s, const hw::ComputeModel& cm) {
  const Key k = key(s, cm, 2);
  auto it = ends_.find(k);
  if (it != ends_.end()) return it->second;
  const TransformerSpec& m = s.model;
  const hw::DType act = s.precision == hw::DType::fp8 ? hw::DType::bf16 : s.precision;
  const double tokens = static_cast<double>(s.micro_batch) * s.seq_len / s.layout.cp;
  ParallelShape par;
  par.tp = s.layout.tp;
  par.sequence_parallel = s.layout.sequence_parallel && s.layout.tp > 1;
  EndCosts e;
  for (const NamedOp& op : embedding_forward(m, tokens, par, act)) {
    e.embed_fwd += cm.seconds(op.op);
    for (const NamedOp& b : backward_of(op)) e.embed_bwd += cm.seconds(b.op);
  }
  for (const NamedOp& op : head_forward(m, tokens, par, act, true)) {  // the head stays 16-bit under fp8
    const hw::OpCost c = cm.cost(op.op);
    e.head_fwd += c.seconds;
    e.head_flops += c.flops;
    for (const NamedOp& b : backward_of(op)) e.head_bwd += cm.seconds(b.op);
  }
  return ends_.emplace(k, e).first->second;
}

StepCosts build_step_costs(const TrainingSpec& s, const hw::ClusterSpec& cluster, const CommModel& comm,
                           LayerCostCache& cache) {
  const ParallelLayout& l = s.layout;
  const TransformerSpec& m = s.model;
  const hw::ComputeModel cm(cluster.accelerator);
  const int gpn = std::max(1, cluster.node.accelerators > 0 ? cluster.node.accelerators : 1);
  StepCosts sc;
  sc.gpus_per_node = gpn;
  sc.micro_batches = s.micro_batches();
  sc.peak_flops = cluster.accelerator.peak(s.precision);
  sc.model_flops_per_step = m.training_flops_per_token(s.seq_len, false) * s.tokens_per_step();

  // Each group with its concurrent family (for a contention-aware CommModel): TP, CP, EP
  // and DP collectives of every rank of a pipeline stage run together, and every stage
  // sends to the next at once.
  const int stage_ranks = l.tp * l.cp * l.dp;
  const CommGroup tp = concurrent_in(tp_group(l.tp, gpn), 1, stage_ranks);
  const CommGroup cp = concurrent_in(strided_group(l.cp, l.tp, gpn), l.tp, stage_ranks);
  const CommGroup ep = concurrent_in(strided_group(l.ep, l.tp * l.cp, gpn), l.tp, stage_ranks);
  const CommGroup dp = concurrent_in(strided_group(l.dp * l.cp, l.tp, gpn), l.tp, stage_ranks);
  const CommGroup edp =
      concurrent_in(strided_group(std::max(1, l.dp * l.cp / l.ep), l.tp * l.ep, gpn), l.tp * l.ep, stage_ranks);
  const CommGroup pp_pair = concurrent_in(strided_group(2, stage_ranks, gpn), stage_ranks, stage_ranks * l.pp);
  const double tokens = static_cast<double>(s.micro_batch) * s.seq_len / l.cp;
  const bool sp = l.sequence_parallel && l.tp > 1;
  sc.p2p = l.pp > 1 ? comm.seconds(K::send_recv, pp_pair, 2.0 * tokens * m.hidden / (sp ? l.tp : 1)) : 0.0;

  // Embedding (first stage) and output head with loss (last stage), forward and backward.
  const EndCosts& ends = cache.ends(s, cm);
  const double embed_fwd = ends.embed_fwd, embed_bwd = ends.embed_bwd, head_fwd = ends.head_fwd,
               head_bwd = ends.head_bwd, head_flops = ends.head_flops;
  const double tp_embed = comm.seconds(K::all_reduce, tp, 2.0 * tokens * m.hidden);

  // Per-layer figures for each layer kind (dense, MoE), computed once.
  struct KindCosts {
    LayerCosts lc;
    double tp = 0, ep = 0, cp = 0, dense_params = 0, expert_params = 0;
    std::array<double, 4> tensor_fraction{};
    std::array<double, 4> tensor_gather{}, tensor_reduce{};
  };
  const bool per_tensor = l.zero_stage == 3 && l.zero3_impl == Zero3Impl::deepspeed_2021;
  CommGroup flat_dp = dp;
  flat_dp.flat = true;
  auto flat_gather = [&](double params) { return comm.seconds(K::all_gather, flat_dp, 2.0 * params); };
  auto flat_reduce = [&](double params) { return comm.seconds(K::reduce_scatter, flat_dp, 2.0 * params); };
  KindCosts kinds[2];
  const double rec_comm = s.recompute == Recompute::full ? 1.0 : 0.0;
  for (int kind = 0; kind < 2; ++kind) {
    int layer = -1;
    if (kind == 0) layer = m.moe.enabled() ? (m.moe.first_dense_layers > 0 ? 0 : -1) : 0;
    if (kind == 1) layer = m.moe.enabled() ? m.moe.first_dense_layers : -1;
    if (layer < 0) continue;
    KindCosts& k = kinds[kind];
    k.lc = cache.get(s, cm, layer);
    k.tp = comm.seconds(K::all_reduce, tp, k.lc.tp_bytes);
    k.ep = comm.seconds(K::all_to_all, ep, k.lc.ep_bytes);
    k.cp = comm.seconds(K::all_gather, cp, k.lc.cp_bytes);
    double experts = 0;
    if (m.is_moe_layer(layer)) {
      experts = m.moe.experts * (m.ffn == FfnKind::swiglu ? 3.0 : 2.0) * m.hidden * m.moe.expert_ffn_hidden;
    }
    k.dense_params = (m.layer_parameters(layer) - experts) / l.tp;
    k.expert_params = experts / (static_cast<double>(l.tp) * l.ep);
    if (per_tensor) {
      k.tensor_fraction = layer_tensor_fractions(m, layer);
      for (int i = 0; i < 4; ++i) {
        const double params = k.tensor_fraction[i] * (k.dense_params + k.expert_params);
        k.tensor_gather[i] = flat_gather(params);
        k.tensor_reduce[i] = flat_reduce(params);
      }
    }
  }

  sc.stages.resize(l.pp);
  for (int st = 0; st < l.pp; ++st) {
    StageCosts& stage = sc.stages[st];
    stage.chunks.resize(l.virtual_stages);
    for (int ch = 0; ch < l.virtual_stages; ++ch) {
      ChunkCosts& c = stage.chunks[ch];
      const LayerRange r = chunk_layers(s, st, ch);
      c.layers = r.count;
      int moe_layers = 0;
      if (m.moe.enabled()) moe_layers = std::max(0, r.first + r.count - std::max(r.first, m.moe.first_dense_layers));
      const int counts[2] = {r.count - moe_layers, moe_layers};
      double dense_params = 0, expert_params = 0;
      for (int kind = 0; kind < 2; ++kind) {
        if (counts[kind] == 0) continue;
        const KindCosts& k = kinds[kind];
        const double n = counts[kind];
        c.fwd += n * k.lc.fwd;
        c.bwd += n * (k.lc.bwd + k.lc.recompute);
        c.recompute += n * k.lc.recompute;
        c.flops_model += n * 3.0 * k.lc.fwd_flops;
        c.flops_hw += n * (3.0 * k.lc.fwd_flops + k.lc.recompute_flops);
        c.tp_fwd += n * k.lc.tp_collectives * k.tp;
        c.tp_bwd += n * k.lc.tp_collectives * k.tp * (1.0 + rec_comm);
        c.ep_fwd += n * 2.0 * k.ep;
        c.ep_bwd += n * 2.0 * k.ep * (1.0 + rec_comm);
        c.cp_fwd += n * k.cp;
        c.cp_bwd += n * k.cp * (2.0 + rec_comm);  // gather K/V again and reduce-scatter dK/dV
        dense_params += n * k.dense_params;
        expert_params += n * k.expert_params;
      }
      if (st == 0 && ch == 0) {
        c.fwd += embed_fwd;
        c.bwd += embed_bwd;
        c.tp_fwd += l.tp > 1 ? tp_embed : 0.0;
        dense_params += (static_cast<double>(m.vocab) * m.hidden +
                         (m.learned_position_embeddings ? static_cast<double>(m.max_seq_len) * m.hidden : 0.0)) /
                        l.tp;
      }
      if (st == l.pp - 1 && ch == l.virtual_stages - 1) {
        c.fwd += head_fwd;
        c.bwd += head_bwd;
        c.flops_model += 3.0 * head_flops;
        c.flops_hw += 3.0 * head_flops;
        if (!m.tied_embeddings || l.pp > 1) dense_params += static_cast<double>(m.vocab) * m.hidden / l.tp;
      }
      const double derate = 1.0 / std::clamp(s.sustained_efficiency, 0.05, 1.0);
      c.fwd *= derate;
      c.bwd *= derate;
      c.recompute *= derate;
      c.params = dense_params + expert_params;
      if (per_tensor) {
        // Embedding first, each layer's four weight tensors, the output head last; compute
        // split by parameter count (the attention core and element-wise work ride along).
        const double embed_params = st == 0 && ch == 0 ? (static_cast<double>(m.vocab) * m.hidden +
                                                          (m.learned_position_embeddings
                                                               ? static_cast<double>(m.max_seq_len) * m.hidden
                                                               : 0.0)) / l.tp
                                                       : 0.0;
        if (st == 0 && ch == 0) {
          TensorCosts e;
          e.fwd = embed_fwd * derate;
          e.bwd = embed_bwd * derate;
          e.gather = flat_gather(embed_params);
          e.reduce = flat_reduce(embed_params);
          c.tensors.push_back(e);
        }
        for (int i = 0; i < r.count; ++i) {
          const KindCosts& k = kinds[m.is_moe_layer(r.first + i) ? 1 : 0];
          for (int t = 0; t < 4; ++t) {
            TensorCosts tc;
            tc.layer = i;
            tc.fwd = k.lc.fwd * k.tensor_fraction[t] * derate;
            tc.bwd = k.lc.bwd * k.tensor_fraction[t] * derate;
            tc.recompute = k.lc.recompute * k.tensor_fraction[t] * derate;
            tc.gather = k.tensor_gather[t];
            tc.reduce = k.tensor_reduce[t];
            c.tensors.push_back(tc);
          }
        }
        if (st == l.pp - 1 && ch == l.virtual_stages - 1) {
          // The head's weight (the embedding's, when tied) is gathered for its own use.
          TensorCosts hd;
          hd.fwd = head_fwd * derate;
          hd.bwd = head_bwd * derate;
          const double head_params = static_cast<double>(m.vocab) * m.hidden / l.tp;
          hd.gather = flat_gather(head_params);
          hd.reduce = m.tied_embeddings && l.pp == 1 ? 0.0 : flat_reduce(head_params);
          c.tensors.push_back(hd);
        }
      }
      // Gradients and weights in 16 bits on the wire.
      const double dense_bytes = 2.0 * dense_params, expert_bytes = 2.0 * expert_params;
      switch (l.zero_stage) {
        case 0:
          c.grad_reduce = comm.seconds(K::all_reduce, dp, dense_bytes) + comm.seconds(K::all_reduce, edp, expert_bytes);
          break;
        default:
          c.grad_reduce = comm.seconds(K::reduce_scatter, dp, dense_bytes) +
                          comm.seconds(K::reduce_scatter, edp, expert_bytes);
          c.param_gather = comm.seconds(K::all_gather, dp, dense_bytes) + comm.seconds(K::all_gather, edp, expert_bytes);
          break;
      }
      if (per_tensor) {
        c.param_gather = 0;
        c.grad_reduce = 0;
        for (const TensorCosts& t : c.tensors) {
          c.param_gather += t.gather;
          c.grad_reduce += t.reduce;
        }
      }
      stage.params += c.params;
    }
    const double shard = l.zero_stage >= 1 ? static_cast<double>(l.dp) * l.cp : 1.0;
    stage.optimizer = optimizer_seconds(cm, stage.params / shard) / std::clamp(s.sustained_efficiency, 0.05, 1.0);
  }
  return sc;
}

std::vector<Zero3Step> zero3_pass_steps(const ChunkCosts& c, bool forward, bool full_recompute) {
  std::vector<Zero3Step> steps;
  const auto& ts = c.tensors;
  if (forward) {
    steps.reserve(ts.size());
    for (const TensorCosts& t : ts) steps.push_back({t.fwd, t.gather, 0.0, true});
    return steps;
  }
  steps.reserve(ts.size() * (full_recompute ? 2 : 1));
  std::size_t end = ts.size();
  // Tensors without a layer (embedding, head) are not checkpointed: differentiated directly.
  while (end > 0 && ts[end - 1].layer < 0) {
    --end;
    steps.push_back({ts[end].bwd, ts[end].gather, ts[end].reduce, false});
  }
  while (end > 0 && ts[end - 1].layer >= 0) {
    std::size_t begin = end;
    while (begin > 0 && ts[begin - 1].layer == ts[end - 1].layer) --begin;
    if (full_recompute) {
      for (std::size_t i = begin; i < end; ++i) steps.push_back({ts[i].recompute, ts[i].gather, 0.0, false});
      for (std::size_t i = end; i-- > begin;) steps.push_back({ts[i].bwd, ts[i].gather, ts[i].reduce, false});
    } else {
      for (std::size_t i = end; i-- > begin;) {
        steps.push_back({ts[i].bwd + ts[i].recompute, ts[i].gather, ts[i].reduce, false});
      }
    }
    end = begin;
  }
  while (end > 0) {
    --end;
    steps.push_back({ts[end].bwd, ts[end].gather, ts[end].reduce, false});
  }
  return steps;
}

double zero3_replay(const std::vector<Zero3Step>& steps, bool reduce_overlaps, const std::vector<double>* extra_at_end) {
  const std::size_t n = steps.size();
  if (n == 0) return 0.0;
  std::vector<double> comp_end(n, 0.0), gather_end(n, 0.0);
  double comm = steps[0].gather, comp = 0;
  double last_reduce_end = 0, gate = 0;  // gate: the host waits for the previous reduction
  gather_end[0] = comm;
  for (std::size_t i = 0; i < n; ++i) {
    const double start = std::max({comp, steps[i].gather > 0 ? gather_end[i] : 0.0, gate});
    comp = start + steps[i].compute;
    comp_end[i] = comp;
    if (i + 1 < n) {  // prefetch of the next tensor, issued when this one's compute starts
      const double ready = i >= 1 ? comp_end[i - 1] : 0.0;
      if (steps[i + 1].gather > 0) comm = std::max(comm, ready) + steps[i + 1].gather;
      gather_end[i + 1] = steps[i + 1].gather > 0 ? comm : 0.0;
    }
    if (steps[i].reduce > 0) {
      // Launching this reduction first waits (on the host) for the previous one, so the
      // next compute cannot be issued before that one is done; without overlap it waits for
      // this one.
      gate = last_reduce_end;
      comm = std::max(comm, comp_end[i]) + steps[i].reduce;
      last_reduce_end = comm;
      if (!reduce_overlaps) gate = comm;  // the backward waits for its gradient's reduction
    }
    if (extra_at_end) comp += (*extra_at_end)[i];
  }
  return std::max(comp, comm);
}

}  // namespace cs::models
