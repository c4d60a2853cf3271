#pragma once
// Hardware profiles: JSON files under hardware-profiles/ (format: docs/profile-format.md),
// one profile per file, each with "schema_version", "kind" and "name". Loading is strict:
// unknown keys, wrong types and missing fields are errors naming the file and JSON pointer.
#include <filesystem>
#include <string>

#include "loaders/json_reader.hpp"
#include "sim/hw/catalog.hpp"

namespace cs::load {

inline constexpr int kProfileSchemaVersion = 1;

// Whether load_catalog applies the measured profiles in <dir>/measured/ (docs/calibration.md).
// Front ends always do; the validation of the default curves and their tests do not.
enum class MeasuredProfiles { apply, ignore };

// Loads every *.json under `dir` (recursively), except calibration outputs in measured/,
// which apply_calibration() reads. Duplicate names are errors naming both files.
hw::HardwareCatalog load_catalog(const std::filesystem::path& dir, MeasuredProfiles measured = MeasuredProfiles::apply);

// Adds one profile document to the catalog (used by load_catalog and by tests).
void add_profile(hw::HardwareCatalog& catalog, const Document& doc);

// Reads the common building blocks, for other loaders that embed them.
hw::Price read_price(const Node& node, Dimension dim);
std::vector<hw::Source> read_sources(const Node& node);
hw::Confidence read_confidence(const Node& node);

// A profile as JSON in the profile format itself (docs/profile-format.md): the same keys the
// loader reads, quantities as plain numbers in base units (bytes, bytes/s, FLOP/s, W, s,
// USD, USD/hour), so the output loads back strictly to the same spec. Keys starting with
// '_' carry derived facts (where the profile was loaded from, where compute times come from)
// that the loader skips as comments. Keys keep the order of docs/profile-format.md.
using OrderedJson = nlohmann::ordered_json;
OrderedJson to_profile_json(const hw::AcceleratorSpec& spec);
OrderedJson to_profile_json(const hw::NodeSpec& spec);
OrderedJson to_profile_json(const hw::NicSpec& spec);
OrderedJson to_profile_json(const hw::SwitchSpec& spec);
OrderedJson to_profile_json(const hw::LinkMediumSpec& spec);
OrderedJson to_profile_json(const hw::StorageSpec& spec);

}  // namespace cs::load
