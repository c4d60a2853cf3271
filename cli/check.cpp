// `clustersim check SCENARIO`: load and validate, print what was understood; no simulation.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "loaders/scenario_loader.hpp"
#include "loaders/units.hpp"

namespace cs::cli {
namespace {

nlohmann::json cluster_json(const hw::ClusterSpec& c) {
  nlohmann::json j;
  j["node"] = c.node.name;
  j["accelerator"] = c.accelerator.name;
  j["nodes"] = c.nodes;
  j["accelerators"] = c.accelerators;
  j["fabric"] = std::string(to_string(c.fabric.topology));
  j["nic"] = c.nic.name;
  j["nics_per_node"] = c.nics_per_node();
  if (c.fabric_switch) j["switch"] = c.fabric_switch->name;
  if (c.storage) j["storage"] = {{"tier", c.storage->tier.name}, {"servers", c.storage->servers}};
  return j;
}

void print_cluster(const hw::ClusterSpec& c, std::ostream& out) {
  using load::Dimension;
  using load::format_quantity;
  out << fmt::format("cluster   {} x {} ({} x {}), {} accelerators in use\n", c.nodes, c.node.name,
                     c.node.accelerators, c.accelerator.name, c.accelerators);
  out << fmt::format("          {} BF16 dense, {} at {} per accelerator\n",
                     format_quantity(c.accelerator.peak(hw::DType::bf16), Dimension::flop_rate),
                     format_quantity(c.accelerator.memory_bytes, Dimension::bytes),
                     format_quantity(c.accelerator.memory_bandwidth, Dimension::bandwidth));
  out << fmt::format("fabric    {}", to_string(c.fabric.topology));
  if (c.fabric.topology != hw::FabricTopology::single_node) {
    out << fmt::format(", {} x {} per node, {}-tier, oversubscription {}:1", c.nics_per_node(),
                       c.nic.name.empty() ? "(node NIC)" : c.nic.name, c.fabric.tiers, c.fabric.oversubscription);
  }
  out << "\n";
  if (c.storage) out << fmt::format("storage   {} x {}\n", c.storage->servers, c.storage->tier.name);
}

}  // namespace

int run_check(const GlobalOptions& g, const CheckOptions& o, std::ostream& out) {
  const auto data = load::DataPaths::locate(g.data_dir);
  const load::Scenario s = load::load_scenario(o.scenario, data);
  if (o.json) {
    nlohmann::json j;
    j["file"] = s.header.file;
    j["name"] = s.header.name;
    j["seed"] = s.header.seed;
    if (s.cluster) j["cluster"] = cluster_json(*s.cluster);
    j["valid"] = true;
    out << j.dump(2) << "\n";
    return kExitOk;
  }
  out << "scenario  " << s.header.name << "  (" << s.header.file << ")\n";
  if (!s.header.description.empty()) out << "          " << s.header.description << "\n";
  out << "seed      " << s.header.seed << "\n";
  if (s.cluster) print_cluster(*s.cluster, out);
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
