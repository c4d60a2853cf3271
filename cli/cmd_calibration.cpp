// `clustersim calibration show FILE` and `clustersim calibration refit FILE [-o OUT]`:
// inspect a measured profile written by clustersim-calibrate (docs/calibration.md), and
// refit its tables from its raw samples, on any machine (no GPU needed).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <memory>
#include <ostream>

#include "cli/command.hpp"
#include "loaders/calibration_fit.hpp"
#include "loaders/calibration_profile.hpp"
#include "loaders/data_paths.hpp"
#include "loaders/profile_loader.hpp"
#include "sim/core/error.hpp"
#include "sim/hw/compute_model.hpp"

namespace cs::cli {
namespace {

struct CalibrationOptions {
  std::filesystem::path file;
  std::filesystem::path out;
  CLI::App* show = nullptr;
  CLI::App* refit = nullptr;
};

std::string rate_text(double bytes_per_second) { return fmt::format("{:.1f} GB/s", bytes_per_second / 1e9); }

void show_curve(std::ostream& out, const std::string& label, const load::RateCurve& c) {
  out << fmt::format("  {:<22} {} sizes, {} at {:.0f} KiB .. {} at {:.0f} MiB\n", label, c.bytes.size(),
                     rate_text(c.bytes_per_second.front()), c.bytes.front() / 1024.0,
                     rate_text(c.bytes_per_second.back()), c.bytes.back() / 1048576.0);
}

int run_show(const CommandContext& c, const CalibrationOptions& o) {
  const load::MeasuredProfile p = load::read_measured_profile_file(o.file);
  const auto data = load::DataPaths::locate(c.global.data_dir);
  hw::HardwareCatalog catalog = load::load_catalog(data.profiles());
  load::apply_measured_profile(catalog, p);  // throws when it does not fit its accelerator
  const hw::AcceleratorSpec& a = catalog.accelerator(p.accelerator);

  auto& out = c.out;
  out << fmt::format("measured profile  {}\n", p.file);
  out << fmt::format("accelerator       {} ({})\n", p.accelerator, a.display_name);
  out << fmt::format("device            {}", p.device.name);
  if (!p.device.compute_capability.empty()) out << fmt::format(", compute capability {}", p.device.compute_capability);
  if (p.device.sm_count > 0) out << fmt::format(", {} SMs", p.device.sm_count);
  out << fmt::format(", {} GPU(s)\n", p.device.gpu_count);
  if (!p.device.driver.empty() || !p.device.cuda_driver.empty()) {
    out << fmt::format("software          driver {}, CUDA driver {}, runtime {}\n", p.device.driver.empty() ? "?" : p.device.driver,
                       p.device.cuda_driver, p.device.cuda_runtime);
  }
  out << fmt::format("run               {} on {}, {} repetitions after {} warm-up{}\n", p.tool.mode, p.date,
                     p.tool.repetitions, p.tool.warmup,
                     p.tool.elapsed_s > 0 ? fmt::format(", {:.0f} s", p.tool.elapsed_s) : std::string());
  if (!p.notes.empty()) out << "notes             " << p.notes << "\n";
  if (p.fitted.launch_overhead_s > 0) {
    out << fmt::format("launch overhead   {:.2f} us\n", p.fitted.launch_overhead_s * 1e6);
  }
  const hw::ComputeModel model(a);
  for (const auto& [dtype, t] : p.fitted.gemm) {
    const auto best = std::max_element(t.flops_per_second.begin(), t.flops_per_second.end());
    out << fmt::format("GEMM {:<5}        {} x {} x {} grid, best {:.1f} TFLOP/s = {:.1f}% of the {:.1f} TFLOP/s peak\n",
                       hw::name(dtype), t.m.size(), t.n.size(), t.k.size(), *best / 1e12,
                       100.0 * *best / a.peak(dtype), a.peak(dtype) / 1e12);
    // A decode-like and a training-like shape inside the grid, as the compute model sees them.
    for (const auto& [m, n, k] : {std::array<double, 3>{t.m.front(), t.n.back(), t.k.back()},
                                  std::array<double, 3>{t.m.back(), t.n.back(), t.k.back()}}) {
      const hw::OpCost cost = model.cost(hw::gemm(m, n, k, dtype));
      out << fmt::format("  M={:<6g} N={:<6g} K={:<6g} {:>9.2f} us, efficiency {:.3f}, {}\n", m, n, k,
                         cost.seconds * 1e6, cost.compute_efficiency,
                         cost.compute_bound ? "compute-bound" : "memory-bound");
    }
  }
  for (const auto& [kind, curve] : p.fitted.memory) {
    show_curve(out, "memory " + kind, curve);
    if (kind == "copy") {
      out << fmt::format("  {:<22} {:.1f}% of the {} datasheet bandwidth\n", "", 100.0 * curve.bytes_per_second.back() / a.memory_bandwidth,
                         rate_text(a.memory_bandwidth));
    }
  }
  for (const auto& [kind, curve] : p.fitted.transfers) show_curve(out, kind, curve);
  for (const auto& [op, curve] : p.fitted.collectives) show_curve(out, op + " (bus)", curve);
  if (p.fitted.attention_factor_unfused) {
    out << fmt::format("attention         unfused factor {:.3f} (recorded; fused attention uses {:.2f})\n",
                       *p.fitted.attention_factor_unfused, a.efficiency.defaults().attention_factor);
  }
  out << fmt::format("samples           {} GEMM, {} memory, {} launch, {} transfer, {} attention, {} collective\n",
                     p.samples.gemm.size(), p.samples.memory.size(), p.samples.launch_seconds.size(),
                     p.samples.transfers.size(), p.samples.attention.size(), p.samples.collectives.size());
  out << "applies to the catalog: yes (compute model: " << a.efficiency.describe() << ")\n";
  return kExitOk;
}

int run_refit(const CommandContext& c, const CalibrationOptions& o) {
  load::MeasuredProfile p = load::read_measured_profile_file(o.file);
  p.fitted = load::fit_samples(p.samples, p.file);
  const std::filesystem::path out = o.out.empty() ? o.file : o.out;
  load::write_measured_profile(out, p);
  c.out << fmt::format("refitted {} GEMM table(s), {} memory curve(s) from {} samples; wrote {}\n", p.fitted.gemm.size(),
                       p.fitted.memory.size(),
                       p.samples.gemm.size() + p.samples.memory.size() + p.samples.transfers.size() +
                           p.samples.attention.size() + p.samples.collectives.size(),
                       out.string());
  return kExitOk;
}

}  // namespace

Command add_calibration_command(CLI::App& app) {
  auto o = std::make_shared<CalibrationOptions>();
  auto* cmd = app.add_subcommand("calibration", "Inspect or refit a measured GPU profile (clustersim-calibrate output)");
  cmd->require_subcommand(1);
  o->show = cmd->add_subcommand("show", "Summarise a measured profile and check it applies to its accelerator");
  o->show->add_option("file", o->file, "Measured profile JSON")->required();
  o->refit = cmd->add_subcommand("refit", "Refit the tables of a measured profile from its raw samples");
  o->refit->add_option("file", o->file, "Measured profile JSON")->required();
  o->refit->add_option("-o,--out", o->out, "Output file (default: rewrite FILE in place, atomically)");
  return {cmd, [o](const CommandContext& c) { return *o->show ? run_show(c, *o) : run_refit(c, *o); }};
}

}  // namespace cs::cli
