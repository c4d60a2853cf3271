#include "cli/plan_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ostream>

#include "loaders/units.hpp"
#include "planner/sweep_csv.hpp"
#include "sim/core/text.hpp"

namespace cs::cli {

using planner::Metric;

namespace {

const planner::CandidateResult& result_at(const planner::PlanResult& r, std::size_t index) {
  return *std::lower_bound(r.results.begin(), r.results.end(), index,
                           [](const planner::CandidateResult& c, std::size_t i) { return c.index < i; });
}

double metric(const planner::CandidateResult& c, Metric m) { return c.metrics[static_cast<std::size_t>(m)]; }

std::string money(double v) {
  if (std::abs(v) >= 1e9) return fmt::format("${:.2f}B", v / 1e9);
  if (std::abs(v) >= 1e6) return fmt::format("${:.2f}M", v / 1e6);
  if (std::abs(v) >= 1e4) return fmt::format("${:.0f}k", v / 1e3);
  return fmt::format("${:.2f}", v);
}

std::string seconds(double v) {
  if (v < 1e-3) return fmt::format("{:.0f} us", v * 1e6);
  if (v < 1.0) return fmt::format("{:.0f} ms", v * 1e3);
  if (v < 120.0) return fmt::format("{:.2f} s", v);
  if (v < 7200.0) return fmt::format("{:.1f} min", v / 60);
  if (v < 3 * 86400.0) return fmt::format("{:.1f} h", v / 3600);
  return fmt::format("{:.1f} d", v / 86400);
}

nlohmann::json number(double v) {
  if (std::isnan(v)) return nullptr;
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

std::string objective_text(const planner::Objective& o) {
  return std::string(o.minimise ? "min " : "max ") + std::string(planner::metric_name(o.metric));
}

std::string binding_text(const planner::Planner& p, const planner::CandidateResult& c) {
  if (!c.valid) return "cannot run: " + c.invalid_reason;
  if (c.binding < 0) return "none (no constraints)";
  const auto& k = p.spec().constraints.at(static_cast<std::size_t>(c.binding));
  const double v = metric(c, k.metric);
  return fmt::format("{} (at {}, {:.0f}% of the limit)", k.text, format_metric(k.metric, v),
                     std::isfinite(c.binding_ratio) ? c.binding_ratio * 100.0 : 999.0);
}

nlohmann::json candidate_json(const planner::Planner& p, const planner::PlanResult& r, std::size_t index) {
  const auto& c = result_at(r, index);
  const planner::Candidate cand = p.candidate(index);
  const auto& spec = p.spec();
  const auto& h = spec.hardware.at(cand.hardware);
  nlohmann::json j;
  j["index"] = index;
  j["description"] = p.describe(cand);
  j["node"] = h.node.name;
  j["accelerator"] = h.accelerator.name;
  j["nodes"] = spec.nodes.at(cand.nodes);
  j["fabric"] = spec.fabrics.at(cand.fabric).label;
  if (spec.serving) {
    const auto& s = spec.serving->settings.at(cand.serving);
    j["serving"] = {{"tp", s.tp}, {"max_batch", s.max_batch}, {"prefill_fraction", s.prefill_fraction},
                    {"replicas", c.serving_replicas}, {"effective_max_batch", c.serving_batch}};
  }
  if (!c.training_layout.empty()) j["training_layout"] = c.training_layout;
  j["valid"] = c.valid;
  if (!c.valid) j["invalid_reason"] = c.invalid_reason;
  j["feasible"] = c.feasible;
  nlohmann::json m = nlohmann::json::object();
  for (int i = 0; i < planner::kMetricCount; ++i) {
    m[std::string(planner::metric_name(static_cast<Metric>(i)))] = number(c.metrics[static_cast<std::size_t>(i)]);
  }
  j["metrics"] = m;
  if (c.binding >= 0) {
    j["binding_constraint"] = {{"constraint", spec.constraints.at(static_cast<std::size_t>(c.binding)).text},
                               {"ratio", number(c.binding_ratio)}};
  }
  const planner::CostBreakdown b = p.breakdown(index, c);
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& l : b.lines) {
    lines.push_back({{"item", l.item}, {"quantity", l.quantity}, {"unit_price", l.unit_price}, {"capex", l.capex},
                     {"watts", l.watts}});
  }
  j["cost"] = {{"acquisition", std::string(planner::to_string(b.acquisition))},
               {"items", lines},
               {"capex", b.capex},
               {"residual_value", b.residual_value},
               {"amortisation_per_hour", b.amortisation_per_hour},
               {"energy_per_hour", b.energy_per_hour},
               {"hosting_per_hour", b.hosting_per_hour},
               {"rent_per_hour", b.rent_per_hour},
               {"total_per_hour", b.total_per_hour},
               {"it_power_watts", b.it_power_watts},
               {"provisioned_watts", b.provisioned_watts},
               {"energy_kwh_per_hour", b.energy_kwh_per_hour},
               {"racks", b.racks},
               {"period_years", b.period_years},
               {"utilisation", c.utilisation},
               {"fabric",
                {{"tiers", b.fabric.tiers},
                 {"leaves", b.fabric.leaves},
                 {"spines", b.fabric.spines},
                 {"cores", b.fabric.cores},
                 {"endpoint_links", b.fabric.endpoint_links},
                 {"switch_links", b.fabric.switch_links}}},
               {"unpriced", b.unpriced}};
  return j;
}

// The columns of the candidate tables: what the plan has.
std::vector<Metric> table_metrics(const planner::PlanSpec& s) {
  std::vector<Metric> v{Metric::total_cost, Metric::usd_per_hour};
  if (s.serving) {
    v.push_back(Metric::usd_per_mtok);
    v.push_back(Metric::ttft_p99);
    v.push_back(Metric::tpot_p99);
  }
  if (s.training) {
    v.push_back(Metric::time_to_train);
    v.push_back(Metric::usd_per_run);
  }
  return v;
}

std::string short_header(Metric m) {
  switch (m) {
    case Metric::total_cost: return "total";
    case Metric::usd_per_hour: return "$/h";
    case Metric::usd_per_mtok: return "$/Mtok";
    case Metric::ttft_p99: return "TTFT p99";
    case Metric::tpot_p99: return "TPOT p99";
    case Metric::time_to_train: return "train";
    case Metric::usd_per_run: return "$/run";
    default: return std::string(planner::metric_name(m));
  }
}

void print_row_header(std::ostream& out, const std::vector<Metric>& cols, std::string_view first) {
  out << fmt::format("  {:<17} {:>5}  {:<74}", first, "#", "configuration");
  for (Metric m : cols) out << fmt::format(" {:>10}", short_header(m));
  out << "\n";
}

void print_row(std::ostream& out, const planner::Planner& p, const planner::PlanResult& r, std::size_t index,
               const std::vector<Metric>& cols, std::string_view first) {
  const auto& c = result_at(r, index);
  std::string d = p.describe(p.candidate(index));
  if (d.size() > 74) d = d.substr(0, 71) + "...";
  out << fmt::format("  {:<17} {:>5}  {:<74}", first, index, d);
  for (Metric m : cols) out << fmt::format(" {:>10}", format_metric(m, metric(c, m)));
  out << "\n";
}

}  // namespace

std::string format_metric(Metric m, double v) {
  if (std::isnan(v)) return "-";
  if (std::isinf(v)) return "inf";
  switch (m) {
    case Metric::usd_per_hour: return fmt::format("${:.2f}", v);
    case Metric::usd_per_mtok: return fmt::format("${:.3f}", v);
    case Metric::total_cost:
    case Metric::capex:
    case Metric::usd_per_run: return money(v);
    case Metric::ttft_p99:
    case Metric::tpot_p99:
    case Metric::e2e_p99:
    case Metric::time_to_train: return seconds(v);
    case Metric::serving_capacity: return fmt::format("{:.1f} req/s", v);
    case Metric::power: return load::format_quantity(v, load::Dimension::power);
    case Metric::energy_mwh_per_year: return fmt::format("{:.0f} MWh/y", v);
    case Metric::accelerators: return fmt::format("{:.0f}", v);
  }
  return planner::format_number(v);
}

std::string nearest_message(const planner::Planner& p, const planner::PlanResult& r) {
  if (!r.nearest) return "no candidates";
  const auto& c = result_at(r, *r.nearest);
  if (!c.valid) {
    return fmt::format("no candidate can run the workloads; e.g. #{} {}: {}", c.index, p.describe(p.candidate(c.index)),
                       c.invalid_reason);
  }
  const auto& k = p.spec().constraints.at(static_cast<std::size_t>(c.binding));
  return fmt::format("nearest: #{} {}; binding constraint {} is at {} ({:.2f}x the limit)", c.index,
                     p.describe(p.candidate(c.index)), k.text, format_metric(k.metric, metric(c, k.metric)),
                     c.binding_ratio);
}

void print_plan_report(std::ostream& out, const planner::Planner& p, const planner::PlanResult& r,
                       const std::vector<std::string>& evaluators, int threads) {
  const auto& s = p.spec();
  out << fmt::format("clustersim plan: {}\n", s.name);
  out << fmt::format("  {} candidates: {} can run the workloads, {} meet every constraint "
                     "(analytical tier {:.2f} s on {} threads)\n",
                     r.candidates, r.valid, r.feasible, r.analytical_seconds, threads);
  if (s.serving) {
    const auto& w = *s.serving;
    out << fmt::format("  serving   {} ({}) at {:.1f} req/s, {} h/day; prompts mean {:.0f} / p99 {:.0f} tokens, "
                       "outputs mean {:.0f} / p99 {:.0f} ({})\n",
                       w.model.name, hw::name(w.dtype), w.traffic.rate, w.hours_per_day, w.traffic.prompt_mean,
                       w.traffic.prompt_p99, w.traffic.output_mean, w.traffic.output_p99, w.traffic.source);
  }
  if (s.training) {
    const auto& t = *s.training;
    out << fmt::format("  training  {} ({}), {:.3g} tokens per run, {:g} runs/year, seq {} x batch {}\n",
                       t.model.name, hw::name(t.dtype), t.tokens, t.runs_per_year, t.seq_len, t.global_batch);
  }
  out << fmt::format("  costs     {} over {:g} years, PUE {:g}, energy ${:.3f}/kWh\n",
                     planner::to_string(s.costs.acquisition), s.costs.amortisation_years, s.costs.pue,
                     s.costs.energy_price_per_kwh);
  std::vector<std::string> ks;
  for (const auto& k : s.constraints) ks.push_back(k.text);
  out << "  goals     " << (ks.empty() ? std::string("(no constraints)") : join(ks, "; ")) << "\n";
  const auto cols = table_metrics(s);

  if (r.feasible == 0) {
    out << "\nNo configuration meets every constraint.\n  " << nearest_message(p, r) << "\n";
    return;
  }
  out << "\nBest per objective\n";
  print_row_header(out, cols, "objective");
  for (std::size_t i = 0; i < s.objectives.size(); ++i) {
    if (r.best[i]) print_row(out, p, r, *r.best[i], cols, objective_text(s.objectives[i]));
  }
  out << fmt::format("\nPareto frontier ({} vs {}), {} points\n", planner::metric_name(s.frontier_x),
                     planner::metric_name(s.frontier_y), r.frontier.size());
  print_row_header(out, cols, "");
  const std::size_t shown = std::min<std::size_t>(r.frontier.size(), 12);
  for (std::size_t i = 0; i < shown; ++i) print_row(out, p, r, r.frontier[i], cols, "");
  if (shown < r.frontier.size()) out << fmt::format("  ... {} more in --out JSON\n", r.frontier.size() - shown);

  // The answer: the best by the primary objective, with its breakdown.
  std::vector<std::size_t> explain;
  if (!r.best.empty() && r.best[0]) explain.push_back(*r.best[0]);
  for (std::size_t i = 1; i < r.best.size() && explain.size() < 2; ++i) {
    if (r.best[i] && std::find(explain.begin(), explain.end(), *r.best[i]) == explain.end()) explain.push_back(*r.best[i]);
  }
  for (std::size_t idx : explain) {
    const auto& c = result_at(r, idx);
    const planner::CostBreakdown b = p.breakdown(idx, c);
    out << fmt::format("\n#{}: {}\n", idx, p.describe(p.candidate(idx)));
    if (!c.training_layout.empty()) out << fmt::format("  training layout   {}\n", c.training_layout);
    if (s.serving) {
      out << fmt::format("  serving           {} replicas, up to {} sequences each; capacity {}\n", c.serving_replicas,
                         c.serving_batch, format_metric(Metric::serving_capacity, metric(c, Metric::serving_capacity)));
    }
    out << fmt::format("  binding           {}\n", binding_text(p, c));
    for (const auto& l : b.lines) {
      if (b.acquisition == planner::Acquisition::buy) {
        out << fmt::format("  {:<44} {:>7g} x {:>10} = {:>10}\n", l.item, l.quantity, money(l.unit_price), money(l.capex));
      } else {
        out << fmt::format("  {:<44} {:>7g} x {:>10}/h\n", l.item, l.quantity, money(l.unit_price));
      }
    }
    if (b.acquisition == planner::Acquisition::buy) {
      out << fmt::format("  capital {} (residual {}) -> ${:.2f}/h amortised; energy ${:.2f}/h ({:.0f} kW IT at "
                         "{:.0f}% utilisation, {:.0f} kWh/h with PUE); hosting ${:.2f}/h ({} rack(s))\n",
                         money(b.capex), money(b.residual_value), b.amortisation_per_hour, b.energy_per_hour,
                         b.it_power_watts / 1000, c.utilisation * 100, b.energy_kwh_per_hour, b.hosting_per_hour,
                         b.racks);
    } else {
      out << fmt::format("  rent ${:.2f}/h; {:.0f} kWh/h of energy (included in the rate)\n", b.rent_per_hour,
                         b.energy_kwh_per_hour);
    }
    out << fmt::format("  total ${:.2f}/h = {} over {:g} years", b.total_per_hour, money(b.total_over_period()),
                       b.period_years);
    if (s.training) out << fmt::format("; {} per training run", format_metric(Metric::usd_per_run, metric(c, Metric::usd_per_run)));
    if (s.serving) out << fmt::format("; ${:.3f} per million tokens", metric(c, Metric::usd_per_mtok));
    out << "\n";
    if (!b.unpriced.empty()) out << "  no price known (counted as $0): " << join(b.unpriced) << "\n";
  }

  out << "\nSimulated tier\n";
  if (!r.simulated_tier_note.empty()) out << "  " << r.simulated_tier_note << "\n";
  for (const auto& t : r.tiers) {
    out << fmt::format("  #{:<5} {:<14} analytical {:>10}  simulated {:>10}  {:+.1f}%{}\n", t.index, t.metric,
                       planner::format_number(t.analytical), planner::format_number(t.simulated), t.difference_pct(),
                       std::abs(t.difference_pct()) > 15.0 ? "  <- tiers disagree" : "");
  }
  out << "  evaluators: " << join(evaluators, "; ") << "\n";
}

nlohmann::json plan_json(const planner::Planner& p, const planner::PlanResult& r,
                         const std::vector<std::string>& evaluators) {
  const auto& s = p.spec();
  nlohmann::json j;
  j["schema_version"] = 1;
  j["kind"] = "plan_result";
  j["plan"] = s.name;
  j["candidates"] = r.candidates;
  j["valid"] = r.valid;
  j["feasible"] = r.feasible;
  j["evaluators"] = evaluators;
  nlohmann::json ks = nlohmann::json::array();
  for (const auto& k : s.constraints) ks.push_back(k.text);
  j["constraints"] = ks;
  j["frontier_axes"] = {{"x", std::string(planner::metric_name(s.frontier_x))},
                        {"y", std::string(planner::metric_name(s.frontier_y))}};
  nlohmann::json fr = nlohmann::json::array();
  for (std::size_t i : r.frontier) fr.push_back(candidate_json(p, r, i));
  j["frontier"] = fr;
  nlohmann::json best = nlohmann::json::array();
  for (std::size_t i = 0; i < s.objectives.size(); ++i) {
    nlohmann::json b;
    b["objective"] = objective_text(s.objectives[i]);
    b["candidate"] = r.best[i] ? candidate_json(p, r, *r.best[i]) : nlohmann::json(nullptr);
    best.push_back(b);
  }
  j["best"] = best;
  if (r.nearest) {
    j["nearest"] = candidate_json(p, r, *r.nearest);
    j["nearest_message"] = nearest_message(p, r);
  }
  nlohmann::json tiers = nlohmann::json::array();
  for (const auto& t : r.tiers) {
    tiers.push_back({{"index", t.index},
                     {"metric", t.metric},
                     {"analytical", number(t.analytical)},
                     {"simulated", number(t.simulated)},
                     {"difference_pct", number(t.difference_pct())}});
  }
  j["tiers"] = tiers;
  if (!r.simulated_tier_note.empty()) j["simulated_tier_note"] = r.simulated_tier_note;
  return j;
}

bool check_gates(std::ostream& err, const planner::Planner& p, const planner::PlanResult& r) {
  const auto& s = p.spec();
  if (s.gates.empty()) return true;
  if (r.best.empty() || !r.best[0]) {
    err << "clustersim: gates not met: no configuration meets the constraints; " << nearest_message(p, r) << "\n";
    return false;
  }
  const auto& c = result_at(r, *r.best[0]);
  bool ok = true;
  for (const auto& g : s.gates) {
    const double v = metric(c, g.metric);
    if (!planner::Planner::meets(g, v)) {
      err << fmt::format("clustersim: gate not met: {} (chosen #{}: {} = {})\n", g.text, c.index,
                         planner::metric_name(g.metric), format_metric(g.metric, v));
      ok = false;
    }
  }
  return ok;
}

}  // namespace cs::cli
