#pragma once
// The inference branch of `clustersim simulate`.
#include <filesystem>

#include "cli/command.hpp"
#include "loaders/scenario_loader.hpp"

namespace cs::cli {

struct SimulateOptions {
  std::filesystem::path scenario;
  std::filesystem::path out;       // result JSON (empty = none)
  std::filesystem::path requests;  // per-request CSV (inference)
  std::filesystem::path trace;     // Chrome trace
  bool quiet = false;
};

int run_inference_simulation(const CommandContext& c, const load::Scenario& s, const SimulateOptions& o);

}  // namespace cs::cli
