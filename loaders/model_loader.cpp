#include "loaders/model_loader.hpp"

#include <algorithm>
#include <vector>

#include "loaders/profile_loader.hpp"

namespace cs::load {

const models::TransformerSpec& ModelCatalog::model(const std::string& name) const {
  if (auto it = models.find(name); it != models.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& [k, v] : models) names.push_back(k);
  const std::string near = nearest_match(name, names);
  throw InputError("unknown model \"" + name + "\"" + (near.empty() ? "" : " (did you mean \"" + near + "\"?)") +
                   "; the catalog has: " + join(names));
}

models::TransformerSpec read_model(const Node& node, bool catalog_file) {
  ObjectReader r(node);
  models::TransformerSpec m;
  if (catalog_file) {
    const Node v = r.required("schema_version", "the integer 1");
    if (v.as_int(1, 1000) != 1) v.fail("unsupported schema_version; this clustersim reads version 1");
    r.required("kind", "\"model\"").as_enum({"model"});
    m.sources = read_sources(r.required("sources", "a list of {title, url, date}"));
  } else if (auto s = r.optional("sources")) {
    m.sources = read_sources(*s);
  }
  m.name = r.required("name").as_nonempty_string();
  m.display_name = r.string_or("display_name", m.name);
  m.family = r.string_or("family", "custom");
  m.layers = static_cast<int>(r.required("layers").as_int(1, 10000));
  m.hidden = static_cast<int>(r.required("hidden").as_int(1, 1 << 20));
  m.heads = static_cast<int>(r.required("heads").as_int(1, 1 << 16));
  m.kv_heads = static_cast<int>(r.int_or("kv_heads", m.heads, 1, m.heads));
  m.head_dim = static_cast<int>(r.int_or("head_dim", m.hidden / m.heads, 1, 1 << 16));
  m.vocab = static_cast<int>(r.required("vocab").as_int(1, 1 << 24));
  m.max_seq_len = static_cast<int>(r.required("max_seq_len").as_int(1, 1 << 24));
  if (auto f = r.optional("ffn")) {
    m.ffn = f->as_enum({"gelu", "swiglu"}) == "swiglu" ? models::FfnKind::swiglu : models::FfnKind::gelu;
  }
  m.tied_embeddings = r.bool_or("tied_embeddings", false);
  m.learned_position_embeddings = r.bool_or("learned_position_embeddings", false);
  if (auto moe = r.optional("moe")) {
    ObjectReader e(*moe);
    m.moe.experts = static_cast<int>(e.required("experts").as_int(2, 1 << 16));
    m.moe.top_k = static_cast<int>(e.required("top_k").as_int(1, m.moe.experts));
    m.moe.shared_experts = static_cast<int>(e.int_or("shared_experts", 0, 0, 64));
    m.moe.expert_ffn_hidden = static_cast<int>(e.required("expert_ffn_hidden").as_int(1, 1 << 20));
    m.moe.first_dense_layers = static_cast<int>(e.int_or("first_dense_layers", 0, 0, m.layers - 1));
    m.moe.dense_ffn_hidden = static_cast<int>(e.int_or("dense_ffn_hidden", 0, 0, 1 << 20));
    e.finish();
  }
  m.ffn_hidden = static_cast<int>(m.moe.enabled() ? r.int_or("ffn_hidden", m.moe.expert_ffn_hidden, 1, 1 << 20)
                                                  : r.required("ffn_hidden").as_int(1, 1 << 20));
  if (auto mla = r.optional("mla")) {
    ObjectReader a(*mla);
    m.mla.q_lora_rank = static_cast<int>(a.int_or("q_lora_rank", 0, 0, 1 << 16));
    m.mla.kv_lora_rank = static_cast<int>(a.required("kv_lora_rank").as_int(1, 1 << 16));
    m.mla.qk_rope_head_dim = static_cast<int>(a.required("qk_rope_head_dim").as_int(0, 4096));
    m.mla.qk_nope_head_dim = static_cast<int>(a.required("qk_nope_head_dim").as_int(1, 4096));
    m.mla.v_head_dim = static_cast<int>(a.required("v_head_dim").as_int(1, 4096));
    a.finish();
    m.head_dim = m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim;
  }
  r.skip("notes");
  if (auto p = r.optional("parameters")) {
    // Stated parameter count (for documentation); checked against the architecture.
    const double stated = p->as_quantity(Dimension::count, 1.0);
    m.source_file = node.file();
    const double computed = m.parameters();
    if (std::abs(computed - stated) / stated > 0.03) {
      p->fail("stated parameter count " + std::to_string(stated / 1e9) + "B differs from the architecture's " +
              std::to_string(computed / 1e9) + "B by more than 3%");
    }
  }
  r.finish();
  m.source_file = node.file();
  models::validate(m);
  return m;
}

ModelCatalog load_model_catalog(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) throw InputError(dir.string(), "", "model catalog folder not found");
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ModelCatalog c;
  for (const auto& f : files) {
    const Document doc = read_json_file(f);
    models::TransformerSpec m = read_model(Node::root(doc), true);
    if (c.models.count(m.name)) {
      throw InputError(doc.file, "/name", "duplicate model name \"" + m.name + "\" (also in " +
                                              c.models.at(m.name).source_file + ")");
    }
    c.models.emplace(m.name, std::move(m));
  }
  return c;
}

models::TransformerSpec resolve_model(const Node& node, const ModelCatalog& catalog) {
  if (node.is_string()) {
    try {
      return catalog.model(node.as_string());
    } catch (const InputError& e) {
      node.fail(e.detail());
    }
  }
  if (!node.is_object()) node.fail("expected a catalog model name or an inline model object");
  return read_model(node, false);
}

}  // namespace cs::load
