#pragma once
// The clustersim subcommands. app.cpp parses arguments (CLI11) into these option structs;
// each command is an ordinary function over streams, so tests call them in-process.
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace cs::cli {

// Process exit codes (README "Exit codes").
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,      // anything else: an internal error, an I/O failure
  kExitBadInput = 2,     // usage error, unreadable file, invalid scenario or profile
  kExitGoalNotMet = 3,   // a plan constraint or sweep gate was not met
};

struct GlobalOptions {
  std::optional<std::filesystem::path> data_dir;
};

struct CheckOptions {
  std::filesystem::path scenario;
  bool json = false;
};
// `clustersim simulate`: the workload section decides what runs (cli/simulate_<kind>.cpp).
struct SimulateOptions {
  std::filesystem::path scenario;
  std::filesystem::path out;       // result JSON (empty = none)
  std::filesystem::path requests;  // per-request CSV (inference)
  std::filesystem::path trace;     // Chrome trace
  bool all_ranks = false;          // training: simulate every rank
  bool quiet = false;
};

int run_check(const GlobalOptions& g, const CheckOptions& o, std::ostream& out);

// Entry point shared by main() and the tests: parses argv, runs the command, maps
// exceptions to exit codes and messages on `err`.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace cs::cli
