// The training branch of `clustersim simulate`: summary, --out JSON (docs/results.md),
// --trace Chrome trace.
#include "cli/simulate_training.hpp"

#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "models/training_run.hpp"
#include "sim/core/atomic_file.hpp"
#include "sim/core/error.hpp"
#include "sim/core/trace.hpp"

namespace cs::cli {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

nlohmann::json breakdown_json(const models::TimeBreakdown& b) {
  return {{"compute", b.compute},     {"recompute", b.recompute}, {"tp_comm", b.tp_comm},
          {"cp_comm", b.cp_comm},     {"ep_comm", b.ep_comm},     {"pp_comm", b.pp_comm},
          {"dp_comm", b.dp_comm},     {"bubble", b.bubble},       {"optimizer", b.optimizer}};
}

nlohmann::json training_json(const load::Scenario& s, const models::TrainingSpec& t, const hw::ClusterSpec& c,
                             const models::TrainingReport& r) {
  const auto& l = t.layout;
  const auto& m = r.result.memory;
  nlohmann::json j;
  j["schema_version"] = 1;
  j["kind"] = "training_result";
  j["scenario"] = s.header.name;
  j["model"] = t.model.name;
  j["parameters"] = t.model.parameters();
  j["cluster"] = {{"accelerator", c.accelerator.name}, {"node", c.node.name}, {"nodes", r.nodes},
                  {"accelerators", c.accelerators}};
  j["layout"] = {{"tp", l.tp}, {"pp", l.pp}, {"dp", l.dp}, {"cp", l.cp}, {"ep", l.ep},
                 {"schedule", std::string(models::to_string(l.schedule))}, {"virtual_stages", l.virtual_stages},
                 {"sequence_parallel", l.sequence_parallel}, {"zero_stage", l.zero_stage},
                 {"zero3_impl", std::string(models::to_string(l.zero3_impl))},
                 {"micro_batch", t.micro_batch}, {"global_batch", t.global_batch}, {"seq_len", t.seq_len},
                 {"micro_batches_per_replica", t.micro_batches()},
                 {"recompute", std::string(models::to_string(t.recompute))},
                 {"precision", std::string(hw::name(t.precision))}};
  j["mode"] = r.sim.representative ? "representative" : "all_ranks";
  j["ranks_simulated"] = r.sim.ranks_simulated;
  j["ranks_total"] = r.sim.ranks_total;
  if (r.sim.representative) {
    j["mode_note"] = "ranks are symmetric: one rank per pipeline stage simulated, standing for its TP, CP and DP peers";
  }
  j["step_time_s"] = r.result.step_s;
  j["tokens_per_step"] = t.tokens_per_step();
  j["tokens_per_s"] = r.result.tokens_per_s;
  j["model_tflops_per_gpu"] = r.result.model_tflops_per_gpu;
  j["mfu"] = r.result.mfu;
  j["hfu"] = r.result.hfu;
  j["flops_convention"] = "model FLOPs = 6 N + 12 L h s per token (attention not halved for causality)";
  j["breakdown_s"] = breakdown_json(r.result.breakdown);
  j["memory_per_device_bytes"] = {{"weights", m.weights},       {"gradients", m.gradients},
                                  {"optimizer", m.optimizer},   {"activations", m.activations},
                                  {"buffers", m.buffers},       {"overhead", m.overhead},
                                  {"total", m.total()},         {"capacity", c.accelerator.memory_bytes},
                                  {"worst_stage", m.stage}};
  j["analytical"] = {{"step_time_s", r.analytical.step_s},
                     {"difference_pct", r.result.step_s > 0 ? 100.0 * (r.analytical.step_s - r.result.step_s) /
                                                                  r.result.step_s
                                                            : 0.0},
                     {"breakdown_s", breakdown_json(r.analytical.breakdown)}};
  j["token_budget"] = t.token_budget;
  j["time_to_train_s"] = r.time_to_train_s;
  j["time_to_train_days"] = r.time_to_train_s / 86400.0;
  j["cluster_hourly_usd"] = r.cluster_hourly_usd;
  j["price_source"] = r.price_source;
  j["cost_usd"] = r.cost_usd;
  j["compute_model"] = c.accelerator.efficiency.describe();
  j["comm_model"] = t.comm_model == models::CommModelKind::network
                        ? "network: each collective family's concurrent groups simulated together as flows on the cluster's fabric "
                          "(hw::NetworkSim, max-min sharing), memoised per pattern"
                        : "alpha-beta, hierarchical ring (intra-node scale-up, inter-node NICs)";
  j["simulation"] = {{"tasks", r.sim.tasks}, {"events", r.sim.events}};
  return j;
}

void print_training(std::ostream& out, const models::TrainingSpec& t, const hw::ClusterSpec& c,
                    const models::TrainingReport& r) {
  const auto& l = t.layout;
  const auto& b = r.result.breakdown;
  const double step = r.result.step_s;
  auto pct = [&](double x) { return step > 0 ? 100.0 * x / step : 0.0; };
  out << fmt::format("training  {} on {} x {} ({} nodes)\n", t.model.display_name, c.accelerators,
                     c.accelerator.name, r.nodes);
  out << fmt::format("layout    tp={} pp={} dp={} cp={} ep={} {} v={} zero={}{} mb={} gbs={} seq={} recompute={} {}\n",
                     l.tp, l.pp, l.dp, l.cp, l.ep, models::to_string(l.schedule), l.virtual_stages, l.zero_stage,
                     l.zero_stage == 3 ? fmt::format(" ({})", models::to_string(l.zero3_impl)) : std::string(),
                     t.micro_batch, t.global_batch, t.seq_len, models::to_string(t.recompute), hw::name(t.precision));
  out << fmt::format("mode      {} ({} of {} ranks simulated{})\n",
                     r.sim.representative ? "representative" : "all ranks", r.sim.ranks_simulated,
                     r.sim.ranks_total, r.sim.representative ? "; symmetric peers share each stage's rank" : "");
  out << fmt::format("step      {:.4f} s   tokens/s {:.4g}   model TFLOP/s/GPU {:.1f}   MFU {:.1f}%   HFU {:.1f}%\n",
                     step, r.result.tokens_per_s, r.result.model_tflops_per_gpu, 100 * r.result.mfu,
                     100 * r.result.hfu);
  out << fmt::format(
      "breakdown compute {:.1f}% (recompute {:.1f}%)  tp {:.1f}%  cp {:.1f}%  ep {:.1f}%  pp {:.1f}%  dp {:.1f}%  "
      "bubble {:.1f}%  optimizer {:.1f}%\n",
      pct(b.compute), pct(b.recompute), pct(b.tp_comm), pct(b.cp_comm), pct(b.ep_comm), pct(b.pp_comm),
      pct(b.dp_comm), pct(b.bubble), pct(b.optimizer));
  const auto& m = r.result.memory;
  out << fmt::format(
      "memory    {:.1f} of {:.1f} GiB per device: weights {:.1f}, grads {:.1f}, optimizer {:.1f}, activations "
      "{:.1f}, buffers {:.1f}, overhead {:.1f}\n",
      m.total() / kGiB, c.accelerator.memory_bytes / kGiB, m.weights / kGiB, m.gradients / kGiB,
      m.optimizer / kGiB, m.activations / kGiB, m.buffers / kGiB, m.overhead / kGiB);
  out << fmt::format("analytic  {:.4f} s ({:+.1f}% vs simulated)\n", r.analytical.step_s,
                     step > 0 ? 100.0 * (r.analytical.step_s - step) / step : 0.0);
  if (t.token_budget > 0) {
    out << fmt::format("budget    {:.4g} tokens: {:.1f} days", t.token_budget, r.time_to_train_s / 86400.0);
    if (r.cost_usd > 0) {
      out << fmt::format(", ${:.4g} at ${:.2f}/h ({})", r.cost_usd, r.cluster_hourly_usd, r.price_source);
    } else {
      out << " (no cloud price in the profiles: cost not computed)";
    }
    out << "\n";
  }
}

}  // namespace

int run_training_simulation(const CommandContext& c, const load::Scenario& s, const std::filesystem::path& out,
                            const std::filesystem::path& trace_file, bool all_ranks) {
  if (!s.cluster) throw InputError(s.header.file, "", "a training scenario needs a \"cluster\" section");
  const models::TrainingSpec& t = *s.training;
  std::unique_ptr<sim::TraceRecorder> trace;
  if (!trace_file.empty()) trace = std::make_unique<sim::TraceRecorder>();
  models::TrainingRunOptions ro;
  ro.all_ranks = all_ranks;
  ro.trace = trace.get();
  const models::TrainingReport r = models::run_training(t, *s.cluster, ro);
  print_training(c.out, t, *s.cluster, r);
  if (!out.empty()) {
    sim::write_file_atomically(out, training_json(s, t, *s.cluster, r).dump(2) + "\n");
  }
  if (trace) {
    std::ostringstream ss;
    trace->write_json(ss);
    sim::write_file_atomically(trace_file, ss.str());
  }
  return kExitOk;
}

}  // namespace cs::cli
