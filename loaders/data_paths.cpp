#include "loaders/data_paths.hpp"

#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "sim/core/error.hpp"

#ifndef CLUSTERSIM_DATA_DIR
#define CLUSTERSIM_DATA_DIR ""
#endif

namespace cs::load {
namespace {

bool is_data_root(const std::filesystem::path& p) {
  std::error_code ec;
  return !p.empty() && std::filesystem::is_directory(p / "hardware-profiles", ec);
}

std::filesystem::path executable_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

}  // namespace

DataPaths DataPaths::locate(const std::optional<std::filesystem::path>& explicit_root) {
  if (explicit_root) {
    if (!is_data_root(*explicit_root)) {
      throw InputError(explicit_root->string(), "",
                       "not a clustersim data directory (it has no hardware-profiles/ folder)");
    }
    return DataPaths{*explicit_root};
  }
  std::vector<std::filesystem::path> candidates;
  if (const char* env = std::getenv("CLUSTERSIM_DATA"); env && *env) candidates.emplace_back(env);
  if (const auto exe = executable_dir(); !exe.empty()) {
    candidates.push_back(exe.parent_path());                // <root>/bin
    candidates.push_back(exe.parent_path().parent_path());  // <root>/build/bin
    candidates.push_back(exe.parent_path() / "share" / "clustersim");
  }
  std::error_code ec;
  candidates.push_back(std::filesystem::current_path(ec));
  candidates.emplace_back(CLUSTERSIM_DATA_DIR);
  for (const auto& c : candidates) {
    if (is_data_root(c)) return DataPaths{std::filesystem::weakly_canonical(c, ec)};
  }
  throw InputError("cannot find clustersim's data (hardware-profiles/); pass --data-dir or set CLUSTERSIM_DATA");
}

}  // namespace cs::load
