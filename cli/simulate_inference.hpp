#pragma once
// The inference branch of `clustersim simulate`.
#include <filesystem>

#include "cli/command.hpp"
#include "loaders/scenario_loader.hpp"

namespace cs::cli {

struct InferenceOutputs {
  std::filesystem::path out;       // result JSON (empty = none)
  std::filesystem::path requests;  // per-request CSV (empty = none)
  std::filesystem::path trace;     // Chrome trace (empty = none)
  bool quiet = false;              // no text summary
};

int run_inference_simulation(const CommandContext& c, const load::Scenario& s, const InferenceOutputs& o);

}  // namespace cs::cli
