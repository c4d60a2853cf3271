#pragma once
// The training branch of `clustersim simulate`.
#include <filesystem>

#include "cli/command.hpp"
#include "loaders/scenario_loader.hpp"

namespace cs::cli {

// Runs s.training on s.cluster, prints the summary, writes `out` (JSON) and `trace`
// (Chrome trace) when not empty; `all_ranks` simulates every rank.
int run_training_simulation(const CommandContext& c, const load::Scenario& s, const std::filesystem::path& out,
                            const std::filesystem::path& trace, bool all_ranks);

}  // namespace cs::cli
