#pragma once
// How a subcommand plugs into `clustersim`: each cli/cmd_*.cpp (or check.cpp) defines one
// registrar that adds its CLI11 subcommand (options bound to its own option struct) and
// returns the function that runs it. app.cpp lists the registrars, parses once, and runs
// the one subcommand that was given. Only the cli/ files include CLI11.
#include <CLI/CLI.hpp>
#include <functional>
#include <iosfwd>

#include "cli/commands.hpp"

namespace cs::cli {

struct CommandContext {
  const GlobalOptions& global;
  std::ostream& out;
  std::ostream& err;
};

using CommandRunner = std::function<int(const CommandContext&)>;

struct Command {
  CLI::App* app = nullptr;  // the subcommand, owned by the parent CLI::App
  CommandRunner run;
};

// Registrars, one per subcommand (defined in the command's own file).
Command add_check_command(CLI::App& app);
Command add_validate_command(CLI::App& app);
Command add_plan_command(CLI::App& app);
Command add_sweep_command(CLI::App& app);
Command add_merge_command(CLI::App& app);
Command add_simulate_command(CLI::App& app);
Command add_profiles_command(CLI::App& app);
Command add_calibration_command(CLI::App& app);

}  // namespace cs::cli
