#pragma once
// The inference branch of `clustersim simulate`.
#include <filesystem>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "loaders/scenario_loader.hpp"

namespace cs::cli {

int run_inference_simulation(const CommandContext& c, const load::Scenario& s, const SimulateOptions& o);

}  // namespace cs::cli
