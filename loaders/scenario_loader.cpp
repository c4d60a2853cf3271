#include "loaders/scenario_loader.hpp"

#include "loaders/cluster_section.hpp"
#include "loaders/inference_section.hpp"
#include "loaders/model_loader.hpp"
#include "loaders/plan_section.hpp"
#include "loaders/profile_loader.hpp"
#include "loaders/training_section.hpp"

namespace cs::load {

ScenarioHeader read_scenario_header(ObjectReader& top, const std::string& file) {
  ScenarioHeader h;
  h.file = file;
  const Node version = top.required("schema_version", "the integer 1");
  h.schema_version = static_cast<int>(version.as_int(1, 1000));
  if (h.schema_version != kScenarioSchemaVersion) {
    version.fail("unsupported schema_version " + std::to_string(h.schema_version) +
                 "; this clustersim reads version " + std::to_string(kScenarioSchemaVersion));
  }
  h.name = top.required("name", "a short scenario name").as_nonempty_string();
  h.description = top.string_or("description", "");
  if (auto seed = top.optional("seed")) {
    h.seed = static_cast<std::uint64_t>(seed->as_int(0));
  }
  return h;
}

Scenario parse_scenario(const Document& doc, const DataPaths& data, std::shared_ptr<const hw::HardwareCatalog> catalog) {
  const Node root = Node::root(doc);
  ObjectReader top(root);
  Scenario s;
  s.header = read_scenario_header(top, doc.file);
  s.catalog = std::move(catalog);
  if (auto c = top.optional("cluster")) s.cluster = read_cluster_section(*c, *s.catalog);
  if (auto p = top.optional("plan")) s.plan = read_plan_section(*p, *s.catalog, data, s.header.name);
  if (auto t = top.optional("training")) {
    s.training = read_training_section(*t, load_model_catalog(data.model_catalog()), s.cluster ? &*s.cluster : nullptr);
  }
  if (auto n = top.optional("inference")) {
    s.inference = read_inference_section(*n, *s.catalog, load_model_catalog(data.model_catalog()), data,
                                         s.cluster ? &*s.cluster : nullptr, s.header.seed);
  }
  top.finish();
  return s;
}

Scenario parse_scenario(const Document& doc, const DataPaths& data) {
  return parse_scenario(doc, data, std::make_shared<const hw::HardwareCatalog>(load_catalog(data.profiles())));
}

Scenario load_scenario(const std::filesystem::path& path, const DataPaths& data) {
  return parse_scenario(read_json_file(path), data);
}

}  // namespace cs::load
