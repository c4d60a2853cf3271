#pragma once
// Where clustersim finds its shipped data (hardware-profiles/, models/catalog/, scenarios/).
#include <filesystem>
#include <optional>
#include <string>

namespace cs::load {

struct DataPaths {
  std::filesystem::path root;

  std::filesystem::path profiles() const { return root / "hardware-profiles"; }
  std::filesystem::path model_catalog() const { return root / "models" / "catalog"; }
  std::filesystem::path scenarios() const { return root / "scenarios"; }
  std::filesystem::path validation() const { return root / "tests" / "validation"; }
  std::filesystem::path traces() const { return root / "scenarios" / "traces"; }

  // Search order: `explicit_root` (--data-dir), $CLUSTERSIM_DATA, the directory above the
  // executable's bin/ and its parent (a build tree inside the source tree), the current
  // directory, then the source directory compiled in. A root qualifies when it holds
  // hardware-profiles/. Throws InputError when none does.
  static DataPaths locate(const std::optional<std::filesystem::path>& explicit_root = std::nullopt);
};

}  // namespace cs::load
