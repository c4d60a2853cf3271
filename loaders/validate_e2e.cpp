#include "loaders/validate_e2e.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <string>

#include "loaders/cluster_section.hpp"
#include "loaders/model_loader.hpp"
#include "models/serving/iteration_model.hpp"
#include "models/training_run.hpp"
#include "sim/core/error.hpp"

namespace cs::load {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The catalog accelerator a device name denotes: the one whose family token (the name up
// to its first '-', e.g. "h100" of "h100-sxm") appears in the text, preferring SXM parts
// unless the text says PCIe. Records may also name it directly (config.accelerator).
std::string accelerator_for(const Json& cfg, const hw::HardwareCatalog& catalog) {
  if (cfg.contains("accelerator")) return cfg.at("accelerator").get<std::string>();
  const std::string gpu = lower(cfg.value("gpu", std::string()));
  const bool pcie = gpu.find("pcie") != std::string::npos;
  std::string best;
  for (const auto& [name, spec] : catalog.accelerators) {
    const std::string family = name.substr(0, name.find('-'));
    if (family.size() < 3 || gpu.find(family) == std::string::npos) continue;
    const bool is_pcie = name.find("pcie") != std::string::npos;
    if (pcie != is_pcie) continue;
    if (best.empty() || name.size() < best.size()) best = name;
  }
  if (best.empty()) throw InputError("no catalog accelerator matches GPU \"" + cfg.value("gpu", std::string()) + "\"");
  return best;
}

int positive(const Json& cfg, const char* key) {
  if (!cfg.contains(key) || !cfg.at(key).is_number_integer() || cfg.at(key).get<int>() < 1) {
    throw InputError(std::string("config.") + key + " must be a positive integer");
  }
  return cfg.at(key).get<int>();
}

double train_step(const Json& cfg, const models::TransformerSpec& model, const hw::ClusterSpec& cluster,
                  std::string& note) {
  models::TrainingSpec t;
  t.model = model;
  t.seq_len = positive(cfg, "seq_len");
  t.micro_batch = t.global_batch = positive(cfg, "batch");
  t.recompute = models::Recompute::none;
  t.precision = hw::DType::bf16;
  const models::TrainingReport rep = models::run_training(t, cluster);
  note = fmt::format("memory {:.1f} GiB predicted", rep.result.memory.total() / double(1ull << 30));
  return rep.result.step_s;
}

double serving_step(const Json& cfg, const models::TransformerSpec& model, const hw::AcceleratorSpec& device,
                    bool prefill) {
  models::serving::ReplicaShape shape;
  models::serving::IterationModel it(model, device, shape, models::serving::SchedulerSpec{},
                                     models::serving::scale_up_comm(device));
  const int batch = positive(cfg, "batch");
  models::serving::BatchShape b;
  std::vector<models::serving::PrefillChunk> chunks;
  if (prefill) {
    const int len = positive(cfg, "prompt_len");
    chunks.assign(static_cast<std::size_t>(batch), {len, len});
    b.chunks = chunks.data();
    b.chunk_count = chunks.size();
  } else {
    const int context = positive(cfg, "context");
    b.decode_seqs = batch;
    b.decode_context = static_cast<double>(batch) * (context + 1);
  }
  b.logits = batch;
  return it.cost(b).seconds;
}

// One case of a run, whatever its timing: GPU, phase and shape.
std::string case_key(const Json& cfg) {
  return cfg.value("gpu", std::string()) + "|" + cfg.value("phase", std::string()) + "|" +
         std::to_string(cfg.value("batch", 0)) + "|" + std::to_string(cfg.value("prompt_len", 0)) + "|" +
         std::to_string(cfg.value("context", 0));
}

}  // namespace

std::vector<ValidationRow> validate_e2e(const std::vector<Node>& records, const ValidationContext& ctx) {
  if (!ctx.catalog) throw InputError("validate --kind e2e: no hardware catalog");
  const ModelCatalog models = load_model_catalog(std::filesystem::path(ctx.data_root) / "models" / "catalog");
  // Cases timed both ways: the CUDA-graph replay (GPU time, as serving engines run) is
  // scored; the eager run of the same case is shown but not scored.
  std::set<std::string> has_graph;
  for (const Node& rec : records) {
    const Json& j = rec.json();
    if (!j.is_object() || j.value("kind", std::string()) != "e2e_step") continue;
    const Json cfg = j.value("config", Json::object());
    if (cfg.value("timing", std::string()) == "cuda_graph") has_graph.insert(case_key(cfg));
  }
  std::vector<ValidationRow> rows;
  for (const Node& rec : records) {
    const Json& j = rec.json();
    if (!j.is_object() || j.value("kind", std::string()) != "e2e_step") continue;
    ValidationRow row;
    row.id = j.value("id", rec.pointer());
    row.metric = "step_ms";
    try {
      const Json cfg = j.value("config", Json::object());
      const Json meas = j.value("measured", Json::object());
      if (!meas.contains("step_s") || !meas.at("step_s").is_number() || meas.at("step_s").get<double>() <= 0) {
        throw InputError("measured.step_s must be a positive number");
      }
      row.measured = 1e3 * meas.at("step_s").get<double>();
      const std::string acc = accelerator_for(cfg, *ctx.catalog);
      const hw::AcceleratorSpec& device = ctx.catalog->accelerator(acc);
      const models::TransformerSpec& model = models.model(cfg.value("model", std::string()));
      const std::string phase = cfg.value("phase", std::string());
      const std::string timing = cfg.value("timing", std::string("eager"));
      std::string note;
      if (phase == "training") {
        const Document doc{"<e2e record cluster>", Json{{"accelerator", acc}, {"accelerators", 1}}};
        row.predicted = 1e3 * train_step(cfg, model, read_cluster_section(Node::root(doc), *ctx.catalog), note);
        if (meas.contains("peak_allocated_bytes") && meas.at("peak_allocated_bytes").is_number()) {
          note += fmt::format(", {:.1f} GiB peak allocated",
                              meas.at("peak_allocated_bytes").get<double>() / double(1ull << 30));
        }
      } else if (phase == "prefill" || phase == "decode") {
        row.predicted = 1e3 * serving_step(cfg, model, device, phase == "prefill");
        note = timing;
      } else {
        throw InputError("config.phase must be training, prefill or decode");
      }
      if (timing == "eager" && phase != "training" && has_graph.count(case_key(cfg))) {
        row.skipped = true;
        row.reason = fmt::format("eager run, host launch time not modelled (predicted {:.3f} ms, measured {:.3f} ms); "
                                 "its CUDA-graph replay is scored",
                                 row.predicted, row.measured);
      } else {
        row.reason = fmt::format("{}, {}", acc, note);
      }
    } catch (const std::exception& e) {
      row.skipped = true;
      row.reason = e.what();
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace cs::load
