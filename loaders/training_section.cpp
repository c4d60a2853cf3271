#include "loaders/training_section.hpp"

namespace cs::load {

models::TrainingSpec read_training_section(const Node& node, const ModelCatalog& models,
                                           const hw::ClusterSpec* cluster) {
  ObjectReader r(node);
  models::TrainingSpec t;
  t.model = resolve_model(r.required("model", "a catalog model name or an inline model"), models);
  t.seq_len = static_cast<int>(r.int_or("seq_len", t.model.max_seq_len, 1, 1 << 24));
  t.micro_batch = static_cast<int>(r.int_or("micro_batch", 1, 1, 1 << 20));
  const std::string batch_key = r.one_of({"global_batch", "global_batch_tokens"});
  if (batch_key.empty()) r.required("global_batch", "sequences per optimizer step");
  models::ParallelLayout& l = t.layout;
  if (auto p = r.optional("parallelism")) {
    ObjectReader pr(*p);
    l.tp = static_cast<int>(pr.int_or("tp", 1, 1, 1 << 16));
    l.pp = static_cast<int>(pr.int_or("pp", 1, 1, 1 << 16));
    l.cp = static_cast<int>(pr.int_or("cp", 1, 1, 1 << 16));
    l.ep = static_cast<int>(pr.int_or("ep", 1, 1, 1 << 16));
    if (auto dp = pr.optional("dp")) {
      l.dp = static_cast<int>(dp->as_int(1, 1 << 24));
    } else if (cluster) {
      l.dp = std::max(1, cluster->accelerators / (l.tp * l.pp * l.cp));
    }
    if (auto s = pr.optional("schedule")) {
      l.schedule = s->as_enum({"1f1b", "interleaved"}) == "interleaved" ? models::PipelineSchedule::interleaved
                                                                        : models::PipelineSchedule::one_f_one_b;
    }
    l.virtual_stages = static_cast<int>(pr.int_or("virtual_stages", 1, 1, 1024));
    l.sequence_parallel = pr.bool_or("sequence_parallel", true);
    l.zero_stage = static_cast<int>(pr.int_or("zero_stage", 0, 0, 3));
    if (auto z = pr.optional("zero3_impl")) {
      l.zero3_impl = z->as_enum({"fsdp", "deepspeed_2021"}) == "deepspeed_2021" ? models::Zero3Impl::deepspeed_2021
                                                                               : models::Zero3Impl::fsdp;
    }
    pr.finish();
  } else if (cluster) {
    l.dp = cluster->accelerators;
  }
  if (batch_key == "global_batch") {
    t.global_batch = static_cast<int>(r.required("global_batch").as_count(1, 1 << 30));
  } else {
    const Node tok = r.required("global_batch_tokens");
    const double tokens = static_cast<double>(tok.as_count(1));
    const double seqs = tokens / t.seq_len;
    if (seqs < 1 || seqs != static_cast<double>(static_cast<std::int64_t>(seqs))) {
      tok.fail("global_batch_tokens must be a whole number of sequences of seq_len " + std::to_string(t.seq_len));
    }
    t.global_batch = static_cast<int>(seqs);
  }
  if (auto rc = r.optional("recompute")) {
    const std::string v = rc->as_enum({"none", "selective", "full"});
    t.recompute = v == "full" ? models::Recompute::full
                              : v == "selective" ? models::Recompute::selective : models::Recompute::none;
  }
  if (auto pr = r.optional("precision")) {
    t.precision = *hw::parse_dtype(pr->as_enum({"bf16", "fp16", "fp8"}));
    if (cluster && !cluster->accelerator.supports(t.precision)) {
      pr->fail("accelerator " + cluster->accelerator.name + " has no " + std::string(hw::name(t.precision)) +
               " tensor throughput");
    }
  }
  t.flash_attention = r.bool_or("flash_attention", true);
  if (auto o = r.optional("overlap")) {
    ObjectReader orr(*o);
    t.overlap_dp_comm = orr.bool_or("dp", true);
    t.overlap_tp_comm = orr.bool_or("tp", false);
    orr.finish();
  }
  t.framework_overhead_bytes = r.quantity_or("framework_overhead", Dimension::bytes, t.framework_overhead_bytes);
  t.sustained_efficiency = r.number_or("sustained_efficiency", t.sustained_efficiency, 0.05, 1.0);
  if (auto b = r.optional("token_budget")) t.token_budget = static_cast<double>(b->as_count(1));
  t.simulate_all_ranks = r.bool_or("simulate_all_ranks", false);
  if (auto c = r.optional("comm_model")) {
    t.comm_model = c->as_enum({"alpha_beta", "network"}) == "network" ? models::CommModelKind::network
                                                                       : models::CommModelKind::alpha_beta;
  }
  r.finish();
  if (cluster) {
    const std::string why = models::check_layout(t, cluster->accelerators, cluster->node.accelerators);
    if (!why.empty()) node.fail("invalid training layout: " + why);
  }
  return t;
}

}  // namespace cs::load
