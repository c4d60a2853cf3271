#include "models/training_spec.hpp"

#include <algorithm>

#include "sim/core/error.hpp"

namespace cs::models {

std::string_view to_string(PipelineSchedule s) {
  return s == PipelineSchedule::interleaved ? "interleaved" : "1f1b";
}

std::string_view to_string(Recompute r) {
  switch (r) {
    case Recompute::none: return "none";
    case Recompute::selective: return "selective";
    case Recompute::full: return "full";
  }
  return "none";
}

std::string_view to_string(Zero3Impl z) { return z == Zero3Impl::deepspeed_2021 ? "deepspeed_2021" : "fsdp"; }

LayerRange chunk_layers(const TrainingSpec& spec, int stage, int chunk) {
  const int chunks = spec.layout.pp * spec.layout.virtual_stages;
  const int model_chunk = chunk * spec.layout.pp + stage;
  const int base = spec.model.layers / chunks;
  const int extra = spec.model.layers % chunks;
  LayerRange r;
  r.count = base + (model_chunk < extra ? 1 : 0);
  r.first = model_chunk * base + std::min(model_chunk, extra);
  return r;
}

std::string check_layout(const TrainingSpec& s, int gpus, int gpus_per_node) {
  const ParallelLayout& l = s.layout;
  const TransformerSpec& m = s.model;
  auto str = [](auto v) { return std::to_string(v); };
  if (l.tp < 1 || l.pp < 1 || l.dp < 1 || l.cp < 1 || l.ep < 1) return "tp, pp, dp, cp and ep must be at least 1";
  if (l.gpus() != gpus) {
    return "tp x pp x dp x cp = " + str(l.tp) + " x " + str(l.pp) + " x " + str(l.dp) + " x " + str(l.cp) + " = " +
           str(l.gpus()) + " but the cluster has " + str(gpus) + " accelerators";
  }
  if (m.heads % l.tp != 0) return "attention heads " + str(m.heads) + " not divisible by tp " + str(l.tp);
  if (m.kv_heads % l.tp != 0 && l.tp % m.kv_heads != 0) {
    return "kv heads " + str(m.kv_heads) + " and tp " + str(l.tp) + ": neither divides the other";
  }
  if (!m.moe.enabled() && m.ffn_hidden % l.tp != 0) {
    return "ffn_hidden " + str(m.ffn_hidden) + " not divisible by tp " + str(l.tp);
  }
  if (gpus_per_node > 0 && l.tp > gpus_per_node) {
    return "tp " + str(l.tp) + " spans more than one node (" + str(gpus_per_node) + " accelerators per node)";
  }
  if (l.virtual_stages < 1) return "virtual_stages must be at least 1";
  if (l.schedule == PipelineSchedule::one_f_one_b && l.virtual_stages != 1) {
    return "virtual_stages " + str(l.virtual_stages) + " needs the interleaved schedule";
  }
  if (l.schedule == PipelineSchedule::interleaved && l.pp < 2) return "the interleaved schedule needs pp >= 2";
  if (l.pp * l.virtual_stages > m.layers) {
    return "pp x virtual_stages = " + str(l.pp * l.virtual_stages) + " exceeds the model's " + str(m.layers) +
           " layers";
  }
  if (s.seq_len < 1 || s.micro_batch < 1 || s.global_batch < 1) return "seq_len and batch sizes must be positive";
  if (s.seq_len % l.cp != 0) return "seq_len " + str(s.seq_len) + " not divisible by cp " + str(l.cp);
  if (s.global_batch % (s.micro_batch * l.dp) != 0) {
    return "global_batch " + str(s.global_batch) + " not divisible by micro_batch x dp = " +
           str(s.micro_batch * l.dp);
  }
  if (l.schedule == PipelineSchedule::interleaved && s.micro_batches() % l.pp != 0) {
    return "interleaved schedule: micro-batches per replica " + str(s.micro_batches()) +
           " not divisible by pp " + str(l.pp);
  }
  if (l.ep > 1) {
    if (!m.moe.enabled()) return "ep " + str(l.ep) + " needs a mixture-of-experts model";
    if ((l.dp * l.cp) % l.ep != 0) return "ep " + str(l.ep) + " does not divide dp x cp = " + str(l.dp * l.cp);
    if (m.moe.experts % l.ep != 0) {
      return "experts " + str(m.moe.experts) + " not divisible by ep " + str(l.ep);
    }
  }
  if (l.zero_stage < 0 || l.zero_stage > 3) return "zero_stage must be 0, 1, 2 or 3";
  if (l.zero_stage == 3 && l.pp > 1) return "zero_stage 3 (FSDP) with pipeline parallelism is not supported";
  if (l.zero3_impl != Zero3Impl::fsdp && l.zero_stage != 3) {
    return "zero3_impl " + std::string(to_string(l.zero3_impl)) + " needs zero_stage 3 (it is " + str(l.zero_stage) + ")";
  }
  if (s.precision != hw::DType::bf16 && s.precision != hw::DType::fp16 &&
      s.precision != hw::DType::fp8) {
    return "precision must be bf16, fp16 or fp8";
  }
  return {};
}

void validate_layout(const TrainingSpec& spec, int gpus, int gpus_per_node) {
  const std::string why = check_layout(spec, gpus, gpus_per_node);
  if (!why.empty()) throw InputError("invalid training layout: " + why);
}

}  // namespace cs::models
