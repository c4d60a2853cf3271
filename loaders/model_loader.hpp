#pragma once
// The model catalog (models/catalog/*.json) and inline model definitions in scenarios.
// Format: docs/scenario-format.md ("Models").
#include <filesystem>
#include <map>
#include <string>

#include "loaders/json_reader.hpp"
#include "models/transformer.hpp"

namespace cs::load {

class ModelCatalog {
 public:
  std::map<std::string, models::TransformerSpec> models;
  const models::TransformerSpec& model(const std::string& name) const;  // InputError if unknown
};

ModelCatalog load_model_catalog(const std::filesystem::path& dir);

// Reads a model object (catalog file body or an inline "model" object in a scenario).
// Catalog files carry "schema_version" and "kind": "model"; inline objects do not.
models::TransformerSpec read_model(const Node& node, bool catalog_file);

// A scenario's "model": a catalog name (string) or an inline object.
models::TransformerSpec resolve_model(const Node& node, const ModelCatalog& catalog);

}  // namespace cs::load
