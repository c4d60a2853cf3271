// Argument parsing for every subcommand (the only file that includes CLI11), and the
// mapping from exceptions to exit codes.
#include <CLI/CLI.hpp>
#include <exception>
#include <vector>
#include <ostream>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "sim/core/assert.hpp"
#include "sim/core/error.hpp"

namespace cs::cli {
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"clustersim: simulate AI clusters and plan what to buy.\n"
               "Exit codes: 0 ok, 1 error, 2 bad input, 3 goal or gate not met."};
  app.name("clustersim");
  app.set_version_flag("--version", std::string("clustersim ") + CLUSTERSIM_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  GlobalOptions global;
  std::string data_dir;
  app.add_option("--data-dir", data_dir,
                 "Folder holding hardware-profiles/, models/catalog/ and scenarios/ (default: found automatically)");

  // One line per subcommand; each file owns its options (cli/command.hpp).
  const std::vector<Command> commands = {
      add_check_command(app),
      add_validate_command(app),
      add_plan_command(app),
      add_sweep_command(app),
      add_merge_command(app),
      add_simulate_command(app),
      add_profiles_command(app),
      add_calibration_command(app),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp& e) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    out << e.what() << "\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    err << "clustersim: " << e.what() << "\n";
    err << "Run 'clustersim --help' for usage.\n";
    return kExitBadInput;
  }
  if (!data_dir.empty()) global.data_dir = data_dir;

  try {
    const CommandContext ctx{global, out, err};
    for (const auto& c : commands) {
      if (*c.app) return c.run(ctx);
    }
    err << "clustersim: no command given\n";
    return kExitBadInput;
  } catch (const InputError& e) {
    err << "clustersim: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const InternalError& e) {
    err << "clustersim: " << e.what() << "\n";
    return kExitFailure;
  } catch (const std::exception& e) {
    err << "clustersim: error: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace cs::cli
