#include "models/serving/iteration_model.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "models/layer_ops.hpp"
#include "sim/core/error.hpp"

namespace cs::models::serving {
namespace {

constexpr double kRuntimeReserveBytes = 1.0 * (1ull << 30);  // CUDA context, NCCL, graphs

std::string gib(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / double(1ull << 30));
  return buf;
}

}  // namespace

std::string_view to_string(RouterPolicy p) {
  switch (p) {
    case RouterPolicy::round_robin: return "round_robin";
    case RouterPolicy::least_outstanding: return "least_outstanding";
    case RouterPolicy::least_kv: return "least_kv";
  }
  return "?";
}

ReplicaComm scale_up_comm(const hw::AcceleratorSpec& device, double alpha_s) {
  // Without a scale-up link (PCIe-only), collectives go through the host link.
  const double bw = device.scale_up.bandwidth_per_direction > 0 ? device.scale_up.bandwidth_per_direction
                                                                : std::max(device.host_link.bandwidth_per_direction, 1e9);
  ReplicaComm c;
  c.all_reduce = [bw, alpha_s](double bytes, int ranks) {
    if (ranks <= 1) return 0.0;
    const double n = ranks;
    // NVLS/ring all-reduce reaches ~80% of link bandwidth on large messages.
    return 2.0 * (n - 1.0) * alpha_s + 2.0 * (n - 1.0) / n * bytes / (0.8 * bw);
  };
  c.p2p = [bw, alpha_s](double bytes) { return alpha_s + bytes / (0.8 * bw); };
  c.source = "scale-up alpha-beta";
  return c;
}

std::int32_t BatchShape::new_tokens() const {
  std::int32_t t = decode_seqs;
  for (std::size_t i = 0; i < chunk_count; ++i) t += chunks[i].tokens;
  return t;
}

IterationModel::IterationModel(const TransformerSpec& model, const hw::AcceleratorSpec& device,
                               const ReplicaShape& shape, const SchedulerSpec& scheduler, ReplicaComm comm)
    : model_(&model), compute_(device), shape_(shape), comm_(std::move(comm)) {
  if (shape.tp < 1 || shape.pp < 1) throw InputError("replica tp and pp must be >= 1");
  if (model.heads % shape.tp != 0) {
    throw InputError("tp " + std::to_string(shape.tp) + " does not divide the " + std::to_string(model.heads) +
                     " attention heads of " + model.name);
  }
  if (model.layers % shape.pp != 0) {
    throw InputError("pp " + std::to_string(shape.pp) + " does not divide the " + std::to_string(model.layers) +
                     " layers of " + model.name);
  }
  if (!device.supports(shape.weight_dtype)) {
    throw InputError("accelerator " + device.name + " has no " + std::string(hw::name(shape.weight_dtype)) +
                     " support");
  }
  par_.tp = shape.tp;
  for (int l = 0; l < model.layers; ++l) {
    if (model.is_moe_layer(l)) {
      if (moe_layers_++ == 0) first_moe_layer_ = l;
    } else {
      ++dense_layers_;
    }
  }

  // Memory plan per GPU.
  MemoryPlan& m = memory_;
  m.device_bytes = device.memory_bytes;
  m.usable_bytes = device.memory_bytes * shape.memory_utilization;
  m.weight_bytes = model.parameters() * hw::bytes_per_element(shape.weight_dtype) / shape.gpus();
  // Activations of the largest iteration: the widest intermediate tensors of one layer
  // (QKV, FFN up, residual stream) alive together, plus fp32 logits of a full batch.
  const double act = hw::bytes_per_element(shape.weight_dtype == hw::DType::fp8 ? hw::DType::bf16 : shape.weight_dtype);
  const double tokens = std::max(scheduler.token_budget, 1);
  const double width = 4.0 * model.hidden + (model.q_dim() + 2.0 * model.kv_dim()) / shape.tp +
                       3.0 * std::max(model.ffn_hidden, model.moe.expert_ffn_hidden) / shape.tp;
  m.activation_bytes = tokens * width * act + std::max(scheduler.max_sequences, 1) *
                                                  (static_cast<double>(model.vocab) / shape.tp) * 4.0 +
                       kRuntimeReserveBytes;
  const double layers_per_stage = static_cast<double>(model.layers) / shape.pp;
  const double kv_elem = hw::bytes_per_element(shape.kv_dtype);
  if (model.mla.enabled()) {
    m.kv_bytes_per_token = layers_per_stage * (model.mla.kv_lora_rank + model.mla.qk_rope_head_dim) * kv_elem;
  } else {
    const double kv_heads_per_gpu = std::max(1.0, static_cast<double>(model.kv_heads) / shape.tp);
    m.kv_bytes_per_token = layers_per_stage * 2.0 * model.head_dim * kv_heads_per_gpu * kv_elem;
  }
  m.kv_bytes_per_token_model = model.layers * model.kv_cache_bytes_per_token_per_layer(kv_elem);
  m.kv_bytes = m.usable_bytes - m.weight_bytes - m.activation_bytes;
  if (shape.kv_capacity_tokens > 0) {
    m.kv_blocks = (shape.kv_capacity_tokens + shape.kv_block_tokens - 1) / shape.kv_block_tokens;
  } else {
    if (m.kv_bytes <= 0) {
      throw InputError(model.name + " does not fit on " + device.name + " with tp " + std::to_string(shape.tp) +
                       " pp " + std::to_string(shape.pp) + ": weights " + gib(m.weight_bytes) + " + activations " +
                       gib(m.activation_bytes) + " per GPU exceed the usable " + gib(m.usable_bytes) +
                       "; raise tp/pp, use fp8 weights or lower the token budget");
    }
    m.kv_blocks = static_cast<std::int64_t>(std::floor(m.kv_bytes / (m.kv_bytes_per_token * shape.kv_block_tokens)));
  }
  m.kv_tokens = m.kv_blocks * shape.kv_block_tokens;
  if (m.kv_blocks < 1) throw InputError(model.name + ": no room for a single KV block on " + device.name);
  attention_dtype_ = shape.kv_dtype == hw::DType::fp8 && device.supports(hw::DType::fp8) ? hw::DType::fp8
                                                                                      : shape.weight_dtype;
  token_cache_.assign(static_cast<std::size_t>(std::max(scheduler.token_budget, 1)) + 1, IterationCost{-1.0, 0.0});
  head_cache_.assign(static_cast<std::size_t>(std::max(scheduler.max_sequences, 1)) + 1, IterationCost{-1.0, 0.0});
}

double IterationModel::replica_peak_flops() const {
  return compute_.device().peak(shape_.weight_dtype) * shape_.gpus();
}

double IterationModel::op_seconds(const std::vector<NamedOp>& ops, double* flops) const {
  double s = 0;
  for (const auto& op : ops) {
    const hw::OpCost c = compute_.cost(op.op);
    s += c.seconds;
    if (flops) *flops += c.flops;
  }
  return s;
}

IterationCost IterationModel::token_wise(std::int32_t tokens) {
  const auto idx = static_cast<std::size_t>(tokens);
  if (idx >= token_cache_.size()) token_cache_.resize(idx + 1, IterationCost{-1.0, 0.0});
  IterationCost& cached = token_cache_[idx];
  if (cached.seconds >= 0) return cached;
  const double t = tokens;
  const hw::DType dt = shape_.weight_dtype;
  IterationCost c;
  double flops = 0;
  std::vector<NamedOp> ops;
  auto layer_ops = [&](int layer) {
    ops.clear();
    add_norms(ops, *model_, t, par_, dt);
    add_attention_projections(ops, *model_, t, par_, dt);
    add_mlp(ops, *model_, layer, t, par_, dt);
    double f = 0;
    const double s = op_seconds(ops, &f);
    return std::pair{s, f};
  };
  if (dense_layers_ > 0) {
    const int dense_layer = model_->moe.enabled() ? 0 : 0;
    const auto [s, f] = layer_ops(dense_layer);
    c.seconds += dense_layers_ * s;
    flops += dense_layers_ * f;
  }
  if (moe_layers_ > 0) {
    const auto [s, f] = layer_ops(first_moe_layer_);
    c.seconds += moe_layers_ * s;
    flops += moe_layers_ * f;
  }
  c.seconds += op_seconds(embedding_forward(*model_, t, par_, dt), &flops);
  // TP: two activation all-reduces per layer (activations in bf16 even with fp8 GEMMs).
  if (shape_.tp > 1) {
    const double bytes = t * model_->hidden * 2.0;
    c.seconds += 2.0 * model_->layers * comm_.all_reduce(bytes, shape_.tp);
  }
  if (shape_.pp > 1) c.seconds += (shape_.pp - 1) * comm_.p2p(t * model_->hidden * 2.0);
  // Per-rank FLOPs x ranks in a stage; stages run different layers (counted once above).
  c.flops = flops * shape_.tp;
  cached = c;
  return c;
}

IterationCost IterationModel::head(std::int32_t logits) {
  const auto idx = static_cast<std::size_t>(logits);
  if (idx >= head_cache_.size()) head_cache_.resize(idx + 1, IterationCost{-1.0, 0.0});
  IterationCost& cached = head_cache_[idx];
  if (cached.seconds >= 0) return cached;
  IterationCost c;
  if (logits > 0) {
    double f = 0;
    c.seconds = op_seconds(head_forward(*model_, logits, par_, shape_.weight_dtype, false), &f);
    c.flops = f * shape_.tp;
  }
  cached = c;
  return c;
}

IterationCost IterationModel::decode_attention(std::int32_t sequences, std::int64_t mean_context) {
  constexpr std::int32_t kMaxCachedSequences = 1024;
  constexpr std::int64_t kMaxCachedContext = 1 << 15;
  const bool cacheable = sequences <= kMaxCachedSequences && mean_context <= kMaxCachedContext;
  if (cacheable) {
    const auto si = static_cast<std::size_t>(sequences);
    const auto ci = static_cast<std::size_t>(mean_context);
    if (si >= decode_cache_.size()) decode_cache_.resize(si + 1);
    auto& row = decode_cache_[si];
    if (ci >= row.size()) {
      row.resize(std::min(std::max(ci + 1, 2 * row.size()), static_cast<std::size_t>(kMaxCachedContext) + 1));
    }
    if (row[ci].seconds >= 0) return {row[ci].seconds, row[ci].flops};
  }
  AttentionShape s;
  s.batch = sequences;
  s.q_len = 1;
  s.kv_len = static_cast<double>(mean_context);
  s.causal = false;
  const hw::OpCost c = compute_.cost(attention_core(*model_, s, par_, attention_dtype_));
  // Stored and returned in single precision either way, so a result never depends on
  // whether it came from the table.
  const DecodeEntry e{static_cast<float>(model_->layers * c.seconds),
                      static_cast<float>(model_->layers * c.flops * shape_.tp)};
  if (cacheable) decode_cache_[static_cast<std::size_t>(sequences)][static_cast<std::size_t>(mean_context)] = e;
  return {e.seconds, e.flops};
}

IterationCost IterationModel::cost(const BatchShape& b) {
  const std::int32_t tokens = b.new_tokens();
  IterationCost total = token_wise(tokens);
  const IterationCost h = head(b.logits);
  total.seconds += h.seconds;
  total.flops += h.flops;
  const double layers = model_->layers;
  const hw::DType adt = attention_dtype_;
  if (b.decode_seqs > 0) {
    const auto context = static_cast<std::int64_t>(std::llround(std::max(1.0, b.decode_context / b.decode_seqs)));
    const IterationCost d = decode_attention(b.decode_seqs, context);
    total.seconds += d.seconds;
    total.flops += d.flops;
  }
  for (std::size_t i = 0; i < b.chunk_count; ++i) {
    AttentionShape s;
    s.batch = 1;
    s.q_len = b.chunks[i].tokens;
    s.kv_len = b.chunks[i].context_after;
    s.causal = true;
    const hw::OpCost c = compute_.cost(attention_core(*model_, s, par_, adt));
    total.seconds += layers * c.seconds;
    total.flops += layers * c.flops * shape_.tp;
  }
  return total;
}

}  // namespace cs::models::serving
