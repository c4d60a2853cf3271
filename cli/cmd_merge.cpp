// `clustersim merge SHARD.csv... --csv OUT`: combine sweep shards into exactly the CSV one
// unsharded run writes, after checking that they belong together and none is missing.
#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>

#include "cli/command.hpp"
#include "planner/sweep_csv.hpp"
#include "sim/core/atomic_file.hpp"
#include "sim/core/error.hpp"

namespace cs::cli {
namespace {

struct MergeOptions {
  std::vector<std::filesystem::path> shards;
  std::filesystem::path csv;
};

int run_merge(const CommandContext& c, const MergeOptions& o) {
  std::vector<planner::ShardFile> files;
  for (const auto& p : o.shards) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw InputError(p.string() + ": cannot read the shard file");
    std::ostringstream ss;
    ss << in.rdbuf();
    files.push_back({p.string(), ss.str()});
  }
  const std::string merged = planner::merge_shards(files);
  sim::write_file_atomically(o.csv, merged);
  const auto rows = static_cast<std::size_t>(std::count(merged.begin(), merged.end(), '\n')) - 1;
  c.out << fmt::format("merged {} shards, {} candidates; wrote {}\n", files.size(), rows, o.csv.string());
  return kExitOk;
}

}  // namespace

Command add_merge_command(CLI::App& app) {
  auto o = std::make_shared<MergeOptions>();
  auto* cmd = app.add_subcommand("merge", "Combine sweep shard CSVs into the unsharded result");
  cmd->add_option("shards", o->shards, "Shard CSV files written by clustersim sweep --shard i/N")->required();
  cmd->add_option("--csv", o->csv, "Merged CSV")->required();
  return {cmd, [o](const CommandContext& c) { return run_merge(c, *o); }};
}

}  // namespace cs::cli
