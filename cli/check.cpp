#include <nlohmann/json.hpp>
#include <memory>
#include <ostream>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "loaders/scenario_loader.hpp"

namespace cs::cli {

int run_check(const GlobalOptions& g, const CheckOptions& o, std::ostream& out) {
  const auto data = load::DataPaths::locate(g.data_dir);
  const load::Scenario s = load::load_scenario(o.scenario, data);
  if (o.json) {
    nlohmann::json j;
    j["file"] = s.header.file;
    j["name"] = s.header.name;
    j["seed"] = s.header.seed;
    j["valid"] = true;
    out << j.dump(2) << "\n";
    return kExitOk;
  }
  out << "scenario  " << s.header.name << "  (" << s.header.file << ")\n";
  if (!s.header.description.empty()) out << "          " << s.header.description << "\n";
  out << "seed      " << s.header.seed << "\n";
  out << "valid: yes\n";
  return kExitOk;
}

Command add_check_command(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  auto* cmd = app.add_subcommand("check", "Load and validate a scenario, print a summary; no simulation");
  cmd->add_option("scenario", options->scenario, "Scenario JSON file")->required();
  cmd->add_flag("--json", options->json, "Print the summary as JSON");
  return {cmd, [options](const CommandContext& c) { return run_check(c.global, *options, c.out); }};
}

}  // namespace cs::cli
