#pragma once
// Loading a scenario file: the strict, typed entry point every front end uses.
//
// Layout (docs/scenario-format.md): a JSON object with "schema_version", "name",
// optional "description" and "seed", and the sections that later layers define.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "loaders/data_paths.hpp"
#include "loaders/json_reader.hpp"
#include "models/serving/serving_spec.hpp"
#include "models/training_spec.hpp"
#include "planner/plan_spec.hpp"
#include "sim/hw/catalog.hpp"
#include "sim/hw/cluster.hpp"

namespace cs::load {

inline constexpr int kScenarioSchemaVersion = 1;

struct ScenarioHeader {
  std::string file;  // path as given, for messages
  int schema_version = kScenarioSchemaVersion;
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
};

// One member per section; a section a scenario leaves out is empty. Each section's reader
// lives in its own loaders/<section>_section.* file.
struct Scenario {
  ScenarioHeader header;
  std::shared_ptr<const hw::HardwareCatalog> catalog;  // hardware-profiles/ the names resolved against
  std::optional<hw::ClusterSpec> cluster;             // "cluster"
  std::optional<planner::PlanSpec> plan;               // "plan" (loaders/plan_section.hpp)
  std::optional<models::TrainingSpec> training;       // "training" (loaders/training_section.hpp)
  std::optional<models::serving::ServingSpec> inference;  // "inference"
};

// Reads the header keys from the top-level object (and marks them consumed).
ScenarioHeader read_scenario_header(ObjectReader& top, const std::string& file);

Scenario load_scenario(const std::filesystem::path& path, const DataPaths& data);
Scenario parse_scenario(const Document& doc, const DataPaths& data);
// Same, against an already loaded catalog (the planner and tests load it once).
Scenario parse_scenario(const Document& doc, const DataPaths& data, std::shared_ptr<const hw::HardwareCatalog> catalog);

}  // namespace cs::load
