#include "loaders/validate_training.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "loaders/cluster_section.hpp"
#include "loaders/model_loader.hpp"
#include "models/training_run.hpp"

namespace cs::load {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool contains(const std::string& hay, const std::string& needle) { return lower(hay).find(needle) != std::string::npos; }

const Json* field(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

int int_field(const Json& obj, const char* key, int fallback) {
  const Json* v = field(obj, key);
  return v && v->is_number() ? v->get<int>() : fallback;
}

std::string string_field(const Json& obj, const char* key) {
  const Json* v = field(obj, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

// The model: a catalog name ("MPT-70b" -> "mpt-70b"), else the catalog model with the
// record's layers / hidden / heads, else (GPT records with params_B only) the catalog GPT
// whose parameter count is within 1.5%.
models::TransformerSpec find_model(const Json& cfg, const ModelCatalog& catalog) {
  std::string name = lower(string_field(cfg, "model"));
  std::replace(name.begin(), name.end(), ' ', '-');
  if (auto it = catalog.models.find(name); it != catalog.models.end()) return it->second;
  const int layers = int_field(cfg, "layers", 0), hidden = int_field(cfg, "hidden_size", 0),
            heads = int_field(cfg, "attention_heads", 0);
  if (layers > 0 && hidden > 0) {
    for (const auto& [k, m] : catalog.models) {
      if (m.layers == layers && m.hidden == hidden && (heads == 0 || m.heads == heads)) return m;
    }
    throw InputError("no catalog model has " + std::to_string(layers) + " layers and hidden " +
                     std::to_string(hidden));
  }
  if (const Json* p = field(cfg, "params_B"); p && p->is_number()) {
    const double want = p->get<double>() * 1e9;
    const models::TransformerSpec* best = nullptr;
    for (const auto& [k, m] : catalog.models) {
      if (m.family != "gpt") continue;
      const double err = std::fabs(m.parameters() - want) / want;
      if (err < 0.015 && (!best || err < std::fabs(best->parameters() - want) / want)) best = &m;
    }
    if (best) return *best;
    throw InputError("no catalog GPT model within 1.5% of " + std::to_string(p->get<double>()) + "B parameters");
  }
  throw InputError("the record names no model the catalog knows");
}

std::string accelerator_for(const std::string& gpu) {
  const std::string g = lower(gpu);
  if (g.find("a100") != std::string::npos) return g.find("40gb") != std::string::npos ? "a100-40gb-sxm" : "a100-80gb-sxm";
  if (g.find("h100") != std::string::npos) return "h100-sxm";
  if (g.find("h200") != std::string::npos) return "h200-sxm";
  if (g.find("b200") != std::string::npos) return "b200";
  throw InputError("unknown GPU \"" + gpu + "\"");
}

hw::ClusterSpec cluster_for(const std::string& accelerator, int gpus, const hw::HardwareCatalog& catalog) {
  const auto nodes = catalog.nodes_with(accelerator);
  if (nodes.empty()) throw InputError("no node profile carries accelerator \"" + accelerator + "\"");
  const hw::NodeSpec& node = *nodes.front();
  const int per = std::max(1, node.accelerators);
  const int n = (gpus + per - 1) / per;
  Json j = {{"node", node.name}, {"nodes", n}, {"accelerators", gpus}};
  // InfiniBand subnet managers route a fat tree with balanced deterministic (ftree) routes;
  // the fabric's adaptive choice of the least-loaded uplink is the closer model of that
  // than a random ECMP hash (it matters only to the flow-level network pricing).
  if (n > 1) j["fabric"] = {{"topology", "fat_tree"}, {"adaptive_routing", true}};
  const Document doc{"<validation record cluster>", j};
  return read_cluster_section(Node::root(doc), catalog);
}

}  // namespace

double megatron_eq3_flops(const models::TransformerSpec& m, double batch, double seq) {
  const double l = m.layers, h = m.hidden, v = m.vocab;
  return 96.0 * batch * seq * l * h * h * (1.0 + seq / (6.0 * h) + v / (16.0 * l * h));
}

MappedTrainingRun map_training_record(const Node& record, const ValidationContext& ctx) {
  const Json& r = record.json();
  const Json* cfg_p = field(r, "config");
  const Json* meas_p = field(r, "measured");
  if (!cfg_p || !meas_p || !cfg_p->is_object() || !meas_p->is_object()) throw InputError("no config or measured");
  const Json& cfg = *cfg_p;
  const Json& meas = *meas_p;
  if (!ctx.catalog) throw InputError("no hardware catalog");
  const std::string source = lower(r.value("source", Json::object()).value("ref", std::string()));
  const bool megatron = source.find("megatron") != std::string::npos;

  MappedTrainingRun run;
  std::string note;
  if (const Json* t = field(meas, "tflops_per_gpu"); t && t->is_number()) {
    run.metric = "tflops_per_gpu";
    run.measured = t->get<double>();
  } else if (const Json* k = field(meas, "tokens_per_s_per_gpu"); k && k->is_number()) {
    run.metric = "tokens_per_s_per_gpu";
    run.measured = k->get<double>();
  } else {
    throw InputError("no per-GPU throughput measured (tflops_per_gpu or tokens_per_s_per_gpu)");
  }
  const int gpus = int_field(cfg, "num_gpus", 0);
  if (gpus <= 0) throw InputError("no num_gpus");
  const std::string gpu = string_field(cfg, "gpu");
  if (gpu.empty()) throw InputError("no gpu");

  const ModelCatalog models = load_model_catalog(std::filesystem::path(ctx.data_root) / "models" / "catalog");
  models::TrainingSpec& t = run.spec;
  t.model = find_model(cfg, models);
  run.cluster = cluster_for(accelerator_for(gpu), gpus, *ctx.catalog);
  t.seq_len = int_field(cfg, "seq_len", std::min(2048, t.model.max_seq_len));
  models::ParallelLayout& l = t.layout;
  const std::string scheme = string_field(cfg, "scheme") + " " + string_field(cfg, "sharding");
  if (contains(scheme, "zero-3") || contains(scheme, "full_shard")) {
    l.zero_stage = 3;
    // DeepSpeed's own ZeRO-3 (the 2021 per-tensor implementation); FSDP and later
    // frameworks gather whole layers hierarchically.
    if (contains(scheme, "deepspeed")) {
      l.zero3_impl = models::Zero3Impl::deepspeed_2021;
      note += "ZeRO-3 as DeepSpeed 2021 (per-tensor flat-ring gathers); ";
    }
  } else if (contains(scheme, "zero-2")) {
    l.zero_stage = 2;
  } else if (contains(scheme, "zero-1") || contains(scheme, "distributed optimizer")) {
    l.zero_stage = 1;
  }
  const int per_node = std::max(1, run.cluster.node.accelerators);
  if (field(cfg, "tensor_parallel") || field(cfg, "pipeline_parallel")) {
    l.tp = int_field(cfg, "tensor_parallel", 1);
    l.pp = int_field(cfg, "pipeline_parallel", 1);
  } else if (const int mp = int_field(cfg, "model_parallel_size", 1); mp > 1) {
    l.tp = std::min(mp, per_node);
    l.pp = mp / l.tp;
    note += "tp x pp = " + std::to_string(l.tp) + " x " + std::to_string(l.pp) + " from model_parallel_size; ";
  }
  l.dp = int_field(cfg, "data_parallel", gpus / std::max(1, l.tp * l.pp));
  l.sequence_parallel = cfg.value("sequence_parallel", false);
  t.micro_batch = int_field(cfg, "micro_batch_size", int_field(cfg, "microbatch", 1));
  t.global_batch = int_field(cfg, "global_batch_size_seqs", 0);
  if (t.global_batch <= 0) throw InputError("no global_batch_size_seqs");
  const Json* ac = field(cfg, "activation_recomputation");
  if (!ac) ac = field(cfg, "activation_checkpointing");
  if (ac && ac->is_boolean()) {
    t.recompute = ac->get<bool>() ? models::Recompute::full : models::Recompute::none;
  } else {
    t.recompute = models::Recompute::full;
    note += "full recomputation assumed; ";
  }
  const std::string prec = lower(string_field(cfg, "precision"));
  t.precision = prec.find("fp8") != std::string::npos                                       ? hw::DType::fp8
                : (prec.find("fp16") != std::string::npos || prec.find("mixed") != std::string::npos) ? hw::DType::fp16
                                                                                                     : hw::DType::bf16;
  t.flash_attention = contains(string_field(cfg, "attention"), "flash");
  // Megatron-LM of 2021 all-reduced gradients after the backward pass; FSDP and later
  // frameworks overlap them. A record may say so itself.
  t.overlap_dp_comm = cfg.value("overlap_grad_reduce", !megatron);
  if (l.pp > 1 && contains(string_field(cfg, "schedule"), "interleaved")) {
    const int m = t.global_batch / std::max(1, t.micro_batch * l.dp);
    if (t.model.layers % (2 * l.pp) == 0 && m % l.pp == 0) {
      l.schedule = models::PipelineSchedule::interleaved;
      l.virtual_stages = 2;
      note += "interleaved, 2 virtual stages; ";
    }
  }
  if (t.micro_batch == 1 && !field(cfg, "micro_batch_size") && !field(cfg, "microbatch")) {
    note += "micro-batch 1 assumed; ";
  }
  t.framework_overhead_bytes = 2.0 * 1024 * 1024 * 1024;
  const std::string why = models::check_layout(t, run.cluster.accelerators, per_node);
  if (!why.empty()) throw InputError("layout: " + why);
  if (!note.empty()) note.resize(note.size() - 2);
  run.note = note;
  return run;
}

std::vector<ValidationRow> validate_training(const std::vector<Node>& records, const ValidationContext& ctx) {
  return validate_training_with(records, ctx, models::CommModelKind::alpha_beta);
}

std::vector<ValidationRow> validate_training_with(const std::vector<Node>& records, const ValidationContext& ctx,
                                                  models::CommModelKind comm) {
  std::vector<ValidationRow> rows;
  for (const Node& rec : records) {
    const Json& j = rec.json();
    if (!j.is_object() || j.value("kind", std::string()) != "training") continue;
    ValidationRow row;
    row.id = j.value("id", std::string("?"));
    try {
      MappedTrainingRun run = map_training_record(rec, ctx);
      run.spec.comm_model = comm;
      const models::TrainingReport rep = models::run_training(run.spec, run.cluster);
      row.metric = run.metric;
      row.measured = run.measured;
      const double gpus = run.spec.layout.gpus();
      if (run.metric == "tflops_per_gpu") {
        row.predicted = megatron_eq3_flops(run.spec.model, run.spec.global_batch, run.spec.seq_len) /
                        (rep.result.step_s * gpus) / 1e12;
      } else {
        row.predicted = rep.result.tokens_per_s / gpus;
      }
      row.reason = run.note;
    } catch (const InputError& e) {
      row.skipped = true;
      row.reason = e.detail();
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace cs::load
