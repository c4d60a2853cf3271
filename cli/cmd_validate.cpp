// `clustersim validate FILE --kind KIND`: predictions against published measurements.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <ostream>

#include "cli/command.hpp"
#include "loaders/data_paths.hpp"
#include "loaders/profile_loader.hpp"
#include "loaders/validate_network.hpp"
#include "loaders/validate_training.hpp"
#include "loaders/validate_inference.hpp"
#include "loaders/validate_e2e.hpp"
#include "loaders/validation.hpp"
#include "loaders/validate_microbench.hpp"
#include "sim/core/error.hpp"

namespace cs::cli {
namespace {

struct ValidateOptions {
  std::filesystem::path file;
  std::string kind;
  bool reduced = false;
  double gate_median = -1;  // percent; < 0 = no gate
  double gate_max = -1;
};

// Every kind clustersim can validate, and the function that does it. A validator sees all
// records and picks its own (collective benchmarks are stored as kind "microbench" but are
// validated by --kind network).
const std::map<std::string, load::Validator>& validators() {
  static const std::map<std::string, load::Validator> table = {
      {"network", load::validate_network},
      {"microbench", load::validate_microbench},
      {"training", load::validate_training},
      {"inference", load::validate_inference},
      {"e2e", load::validate_e2e},
  };
  return table;
}

std::string known_kinds() {
  std::string s;
  for (const auto& [k, v] : validators()) s += (s.empty() ? "" : ", ") + k;
  return s.empty() ? "(none yet)" : s;
}

int run_validate(const CommandContext& c, const ValidateOptions& o) {
  const auto it = validators().find(o.kind);
  if (it == validators().end()) {
    throw InputError(fmt::format("--kind {}: unknown kind; expected one of: {}", o.kind, known_kinds()));
  }
  const auto data = load::DataPaths::locate(c.global.data_dir);
  const load::Document doc = load::read_json_file(o.file);
  load::ObjectReader top(load::Node::root(doc));
  const load::Node records = top.required("records", "an array of published records");
  for (const char* meta : {"title", "schema", "conventions"}) top.skip(meta);
  top.finish();
  std::vector<load::Node> all;
  for (std::size_t i = 0; i < records.size(); ++i) all.push_back(records.at(i));

  const hw::HardwareCatalog catalog = load::load_catalog(data.profiles());
  load::ValidationContext ctx;
  ctx.catalog = &catalog;
  ctx.data_root = data.root.string();
  ctx.reduced = o.reduced || std::getenv("CLUSTERSIM_REDUCED") != nullptr;
  const std::vector<load::ValidationRow> rows = it->second(all, ctx);

  c.out << fmt::format("{:<58} {:<22} {:>12} {:>12} {:>9}\n", "id", "metric", "predicted", "measured", "error%");
  for (const auto& r : rows) {
    if (r.skipped) {
      c.out << fmt::format("{:<58} skipped: {}\n", r.id, r.reason);
    } else {
      c.out << fmt::format("{:<58} {:<22} {:>12.4g} {:>12.4g} {:>+8.1f}%{}\n", r.id, r.metric, r.predicted,
                           r.measured, r.error_pct(), r.reason.empty() ? "" : "  (" + r.reason + ")");
    }
  }
  const load::ValidationSummary s = load::summarize(rows);
  c.out << fmt::format("validated n={} median_abs_error_pct={:.2f} max_abs_error_pct={:.2f} skipped={}\n", s.n,
                       s.median_abs_error_pct, s.max_abs_error_pct, s.skipped);
  bool met = true;
  if (o.gate_median >= 0 && s.median_abs_error_pct > o.gate_median) {
    c.err << fmt::format("clustersim: gate not met: median error {:.2f}% > {:.2f}%\n", s.median_abs_error_pct,
                         o.gate_median);
    met = false;
  }
  if (o.gate_max >= 0 && s.max_abs_error_pct > o.gate_max) {
    c.err << fmt::format("clustersim: gate not met: max error {:.2f}% > {:.2f}%\n", s.max_abs_error_pct, o.gate_max);
    met = false;
  }
  if (s.n == 0) {
    c.err << "clustersim: no record of kind " << o.kind << " could be validated\n";
    met = false;
  }
  return met ? kExitOk : kExitGoalNotMet;
}

}  // namespace

Command add_validate_command(CLI::App& app) {
  auto o = std::make_shared<ValidateOptions>();
  auto* cmd = app.add_subcommand("validate", "Compare predictions with published measurements");
  cmd->add_option("file", o->file, "Published records (e.g. tests/validation/published.json)")->required();
  cmd->add_option("--kind", o->kind, "microbench | network | training | inference")->required();
  cmd->add_flag("--reduced", o->reduced, "Reduced form (fewer cases; also set by CLUSTERSIM_REDUCED)");
  cmd->add_option("--gate-median", o->gate_median, "Exit 3 when the median |error| exceeds this percentage");
  cmd->add_option("--gate-max", o->gate_max, "Exit 3 when the max |error| exceeds this percentage");
  return {cmd, [o](const CommandContext& c) { return run_validate(c, *o); }};
}

}  // namespace cs::cli
