#pragma once
// Loading a scenario file: the strict, typed entry point every front end uses.
//
// Layout (docs/scenario-format.md): a JSON object with "schema_version", "name",
// optional "description" and "seed", and the sections that later layers define.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "loaders/data_paths.hpp"
#include "loaders/json_reader.hpp"
#include "models/serving/serving_spec.hpp"

namespace cs::load {

inline constexpr int kScenarioSchemaVersion = 1;

struct ScenarioHeader {
  std::string file;  // path as given, for messages
  int schema_version = kScenarioSchemaVersion;
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
};

struct Scenario {
  ScenarioHeader header;
  std::optional<models::serving::ServingSpec> inference;  // "inference" section
};

// Reads the header keys from the top-level object (and marks them consumed).
ScenarioHeader read_scenario_header(ObjectReader& top, const std::string& file);

Scenario load_scenario(const std::filesystem::path& path, const DataPaths& data);
Scenario parse_scenario(const Document& doc, const DataPaths& data);

}  // namespace cs::load
