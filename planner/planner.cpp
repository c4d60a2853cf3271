#include "planner/planner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <fmt/format.h>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "planner/parallel.hpp"
#include "sim/core/text.hpp"
#include "sim/core/error.hpp"

namespace cs::planner {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  Shard s;
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    std::size_t used = 0;
    s.index = std::stoi(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("index");
    const std::string n = text.substr(slash + 1);
    s.count = std::stoi(n, &used);
    if (used != n.size()) throw std::invalid_argument("count");
  } catch (const std::exception&) {
    throw InputError("--shard " + text + ": expected i/N with 0 <= i < N, e.g. 0/4");
  }
  if (s.count < 1 || s.index < 0 || s.index >= s.count) {
    throw InputError("--shard " + text + ": expected i/N with 0 <= i < N, e.g. 0/4");
  }
  return s;
}

Planner::Planner(PlanSpec spec, Evaluators evaluators) : spec_(std::move(spec)), ev_(evaluators) {
  if (spec_.hardware.empty() || spec_.nodes.empty() || spec_.fabrics.empty()) {
    throw InputError("plan: the search space is empty (hardware, nodes and fabrics each need an entry)");
  }
  if (spec_.serving && spec_.serving->settings.empty()) throw InputError("plan: serving has no settings");
  if (spec_.training && !ev_.training) {
    throw InputError(
        "plan: this plan has a training workload but this build has no analytical training estimator "
        "(models/training_estimate.hpp); remove plan.training or build with the training model");
  }
}

std::size_t Planner::candidate_count() const {
  const std::size_t s = spec_.serving ? spec_.serving->settings.size() : 1;
  return spec_.hardware.size() * spec_.nodes.size() * spec_.fabrics.size() * s;
}

Candidate Planner::candidate(std::size_t index) const {
  Candidate c;
  c.index = index;
  const std::size_t ns = spec_.serving ? spec_.serving->settings.size() : 1;
  c.serving = static_cast<int>(index % ns);
  index /= ns;
  c.fabric = static_cast<int>(index % spec_.fabrics.size());
  index /= spec_.fabrics.size();
  c.nodes = static_cast<int>(index % spec_.nodes.size());
  index /= spec_.nodes.size();
  c.hardware = static_cast<int>(index);
  return c;
}

std::size_t Planner::cluster_key(const Candidate& c) const {
  return (static_cast<std::size_t>(c.hardware) * spec_.nodes.size() + c.nodes) * spec_.fabrics.size() + c.fabric;
}

hw::ClusterSpec Planner::cluster(const Candidate& c) const {
  const HardwareOption& h = spec_.hardware.at(c.hardware);
  const FabricOption& f = spec_.fabrics.at(c.fabric);
  hw::ClusterSpec cl;
  cl.accelerator = h.accelerator;
  cl.node = h.node;
  cl.nic = f.nic ? *f.nic : h.nic;
  cl.nodes = spec_.nodes.at(c.nodes);
  cl.accelerators = cl.nodes * h.node.accelerators;
  cl.fabric = f.fabric;
  if (cl.nodes == 1 && f.fabric.topology != hw::FabricTopology::single_node && !spec_.storage) {
    cl.fabric.topology = hw::FabricTopology::single_node;  // one node needs no scale-out fabric
  }
  cl.fabric_switch = f.fabric_switch;
  cl.link_medium = f.link_medium;
  cl.storage = spec_.storage;
  return cl;
}

std::string Planner::describe(const Candidate& c) const {
  const HardwareOption& h = spec_.hardware.at(c.hardware);
  const int n = spec_.nodes.at(c.nodes);
  std::string s = fmt::format("{} x {} ({} {}), {}", n, h.node.name, n * h.node.accelerators, h.accelerator.name,
                              spec_.fabrics.at(c.fabric).label);
  if (spec_.serving) {
    const ServingSetting& st = spec_.serving->settings.at(c.serving);
    s += fmt::format(", TP{} batch {}", st.tp, st.max_batch);
    if (st.prefill_fraction > 0) s += fmt::format(", {:.0f}% prefill", st.prefill_fraction * 100);
  }
  return s;
}

bool Planner::meets(const Constraint& c, double v) {
  if (std::isnan(v)) return false;
  return c.is_max ? v <= c.limit : v >= c.limit;
}

double Planner::ratio(const Constraint& c, double v) {
  if (std::isnan(v)) return kInf;
  if (c.is_max) {
    if (c.limit <= 0) return v <= c.limit ? 0.0 : kInf;
    return v / c.limit;
  }
  if (v <= 0) return c.limit <= 0 ? 0.0 : kInf;
  return c.limit / v;
}

Planner::TrainingChoice Planner::choose_training(const hw::ClusterSpec& cl) const {
  TrainingChoice best;
  const TrainingWorkload& t = *spec_.training;
  TrainingJob job{&t.model, t.dtype, t.tokens, t.seq_len, t.global_batch};
  const int domain = std::max(1, std::min(cl.node.scale_up.domain_size > 0 ? cl.node.scale_up.domain_size
                                                                          : cl.node.accelerators,
                                          cl.node.accelerators));
  std::string first_reason;
  best.layouts_tried = enumerate_layouts(t.model, cl.accelerators, domain, t.global_batch, t.seq_len, t.layouts,
                                         [&](const TrainingLayout& l) {
                                           TrainingPerf p = ev_.training->estimate(cl, job, l);
                                           if (!p.fits) {
                                             if (first_reason.empty()) first_reason = l.describe() + ": " + p.reason;
                                             return;
                                           }
                                           if (!best.fits || p.step_seconds < best.perf.step_seconds) {
                                             best.fits = true;
                                             best.layout = l;
                                             best.perf = p;
                                           }
                                         });
  if (!best.fits) {
    best.reason = best.layouts_tried == 0
                      ? fmt::format("no valid parallel layout of {} on {} accelerators", t.model.name, cl.accelerators)
                      : fmt::format("no layout fits ({} tried; first: {})", best.layouts_tried, first_reason);
  }
  return best;
}

CandidateResult Planner::evaluate_one(const Candidate& c, const TrainingChoice* tc) const {
  CandidateResult r;
  r.index = c.index;
  r.metrics.fill(kNaN);
  const hw::ClusterSpec cl = cluster(c);
  auto& m = r.metrics;
  auto set = [&m](Metric k, double v) { m[static_cast<std::size_t>(k)] = v; };
  set(Metric::accelerators, cl.accelerators);
  r.valid = true;

  double train_fraction = 0, train_util = 0, serve_util = 0;
  if (spec_.training) {
    if (!tc->fits) {
      r.valid = false;
      r.invalid_reason = "training: " + tc->reason;
    } else {
      const auto& t = *spec_.training;
      const double steps = std::ceil(t.tokens / (static_cast<double>(t.global_batch) * t.seq_len));
      const double ttt = steps * tc->perf.step_seconds;
      set(Metric::time_to_train, ttt);
      train_fraction = std::min(1.0, ttt * t.runs_per_year / (kHoursPerYear * 3600.0));
      train_util = tc->perf.utilisation > 0 ? tc->perf.utilisation : 1.0;
      r.training_layout = tc->layout.describe();
    }
  }
  ServingPerf sp;
  if (spec_.serving) {
    sp = estimate_serving(cl, *spec_.serving, spec_.serving->settings.at(c.serving));
    if (!sp.fits) {
      r.valid = false;
      r.invalid_reason += (r.invalid_reason.empty() ? "" : "; ") + std::string("serving: ") + sp.reason;
    } else {
      set(Metric::ttft_p99, sp.ttft_p99);
      set(Metric::tpot_p99, sp.tpot_p99);
      set(Metric::e2e_p99, sp.e2e_p99);
      set(Metric::serving_capacity, sp.capacity_rps);
      serve_util = sp.utilisation * spec_.serving->hours_per_day / 24.0;
      r.serving_replicas = sp.replicas;
      r.serving_batch = sp.max_batch;
    }
  }
  const double util = (1.0 - train_fraction) * serve_util + train_fraction * train_util;
  const CostBreakdown cost = cost_cluster(cl, spec_.costs, util);
  set(Metric::usd_per_hour, cost.total_per_hour);
  set(Metric::total_cost, cost.total_over_period());
  set(Metric::capex, cost.capex);
  set(Metric::power, cost.it_power_watts);
  set(Metric::energy_mwh_per_year, cost.energy_kwh_per_hour * kHoursPerYear / 1000.0);
  if (spec_.training && tc->fits) {
    set(Metric::usd_per_run, m[static_cast<std::size_t>(Metric::time_to_train)] / 3600.0 * cost.total_per_hour);
  }
  if (spec_.serving && sp.fits) {
    const auto& tr = spec_.serving->traffic;
    const double mtok_per_hour = tr.rate * (tr.prompt_mean + tr.output_mean) * 3600.0 / 1e6 *
                                 spec_.serving->hours_per_day / 24.0;
    set(Metric::usd_per_mtok, cost.total_per_hour * (1.0 - train_fraction) / mtok_per_hour);
  }

  r.utilisation = util;
  r.feasible = r.valid;
  double worst = 0.0;
  for (std::size_t i = 0; i < spec_.constraints.size(); ++i) {
    const Constraint& k = spec_.constraints[i];
    const double v = m[static_cast<std::size_t>(k.metric)];
    const double q = ratio(k, v);
    if (!meets(k, v)) r.feasible = false;
    if (r.binding < 0 || q > worst) {
      r.binding = static_cast<int>(i);
      worst = q;
    }
  }
  r.binding_ratio = r.valid ? worst : kInf;
  return r;
}

std::vector<CandidateResult> Planner::evaluate(const Shard& shard, int threads) const {
  std::vector<std::size_t> owned;
  const std::size_t n = candidate_count();
  for (std::size_t i = 0; i < n; ++i) {
    if (shard.owns(i)) owned.push_back(i);
  }
  // Training layouts depend only on the cluster (hardware, nodes, fabric): choose once per cluster.
  std::vector<std::size_t> keys;
  std::map<std::size_t, std::size_t> key_slot;
  if (spec_.training) {
    std::set<std::size_t> needed;
    for (std::size_t i : owned) needed.insert(cluster_key(candidate(i)));
    keys.assign(needed.begin(), needed.end());
    for (std::size_t k = 0; k < keys.size(); ++k) key_slot[keys[k]] = k;
  }
  std::vector<TrainingChoice> choices(keys.size());
  const std::size_t per_key = spec_.serving ? spec_.serving->settings.size() : 1;
  parallel_for(keys.size(), threads, [&](std::size_t k) {
    choices[k] = choose_training(cluster(candidate(keys[k] * per_key)));
  });
  std::vector<CandidateResult> out(owned.size());
  parallel_for(owned.size(), threads, [&](std::size_t j) {
    const Candidate c = candidate(owned[j]);
    const TrainingChoice* tc = spec_.training ? &choices[key_slot.at(cluster_key(c))] : nullptr;
    out[j] = evaluate_one(c, tc);
  });
  return out;
}

PlanResult Planner::finish(std::vector<CandidateResult> results, bool run_sim, int threads) const {
  PlanResult p;
  p.candidates = candidate_count();
  std::sort(results.begin(), results.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  p.results = std::move(results);
  const auto X = static_cast<std::size_t>(spec_.frontier_x);
  const auto Y = static_cast<std::size_t>(spec_.frontier_y);
  auto sx = [&](const CandidateResult& r) { return lower_is_better(spec_.frontier_x) ? r.metrics[X] : -r.metrics[X]; };
  auto sy = [&](const CandidateResult& r) { return lower_is_better(spec_.frontier_y) ? r.metrics[Y] : -r.metrics[Y]; };

  std::vector<std::size_t> feas;  // positions in results
  for (std::size_t i = 0; i < p.results.size(); ++i) {
    const auto& r = p.results[i];
    if (r.valid) ++p.valid;
    if (r.feasible) {
      ++p.feasible;
      feas.push_back(i);
    }
  }
  // Pareto frontier over (x, y), both minimised after orientation.
  std::vector<std::size_t> order;
  for (std::size_t i : feas) {
    if (!std::isnan(sx(p.results[i])) && !std::isnan(sy(p.results[i]))) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& ra = p.results[a];
    const auto& rb = p.results[b];
    if (sx(ra) != sx(rb)) return sx(ra) < sx(rb);
    if (sy(ra) != sy(rb)) return sy(ra) < sy(rb);
    return ra.index < rb.index;
  });
  double best_y = kInf;
  for (std::size_t i : order) {
    if (sy(p.results[i]) < best_y) {
      best_y = sy(p.results[i]);
      p.frontier.push_back(p.results[i].index);
    }
  }
  // Best per objective, ties to the lowest index.
  for (const Objective& o : spec_.objectives) {
    std::optional<std::size_t> best;
    double bv = 0;
    for (std::size_t i : feas) {
      const double v = p.results[i].metrics[static_cast<std::size_t>(o.metric)];
      if (std::isnan(v)) continue;
      const double s = o.minimise ? v : -v;
      if (!best || s < bv) {
        best = p.results[i].index;
        bv = s;
      }
    }
    p.best.push_back(best);
  }
  if (p.feasible == 0) {
    double bq = kInf;
    for (const auto& r : p.results) {
      if (r.valid && r.binding >= 0 && (!p.nearest || r.binding_ratio < bq)) {
        p.nearest = r.index;
        bq = r.binding_ratio;
      }
    }
    if (!p.nearest && !p.results.empty()) p.nearest = p.results.front().index;
  }
  if (!run_sim) return p;

  // Simulated tier: the frontier, the best per objective, and feasible candidates within
  // near_frontier of a frontier point in both coordinates.
  std::set<std::size_t> chosen(p.frontier.begin(), p.frontier.end());
  for (const auto& b : p.best) {
    if (b) chosen.insert(*b);
  }
  auto at = [&](std::size_t index) -> const CandidateResult& {
    return *std::lower_bound(p.results.begin(), p.results.end(), index,
                             [](const CandidateResult& r, std::size_t i) { return r.index < i; });
  };
  for (std::size_t i : order) {
    const auto& r = p.results[i];
    for (std::size_t f : p.frontier) {
      const auto& fr = at(f);
      if (sx(r) <= sx(fr) + std::abs(sx(fr)) * spec_.near_frontier &&
          sy(r) <= sy(fr) + std::abs(sy(fr)) * spec_.near_frontier) {
        chosen.insert(r.index);
        break;
      }
    }
    if (chosen.size() >= static_cast<std::size_t>(std::max(spec_.simulate_top, 1)) * 4) break;
  }
  std::vector<std::string> missing;
  if (spec_.serving && !ev_.serving_sim) missing.push_back("serving simulation");
  if (spec_.training && !ev_.training_sim) missing.push_back("training simulation");
  if (!missing.empty()) {
    p.simulated_tier_note = "simulated tier not available in this build (" + join(missing) +
                            "); figures are analytical";
  }
  // Each chosen candidate is simulated independently; results are kept in index order.
  const std::vector<std::size_t> sims(chosen.begin(), chosen.end());
  std::vector<std::vector<TierComparison>> per(sims.size());
  // Training depends only on the cluster: simulate it once per cluster, at its first candidate.
  std::vector<bool> train_here(sims.size(), false);
  std::set<std::size_t> clusters_seen;
  for (std::size_t k = 0; k < sims.size(); ++k) train_here[k] = clusters_seen.insert(cluster_key(candidate(sims[k]))).second;
  parallel_for(sims.size(), threads, [&](std::size_t k) {
    const std::size_t idx = sims[k];
    const Candidate c = candidate(idx);
    const CandidateResult& r = at(idx);
    if (!r.valid) return;
    const hw::ClusterSpec cl = cluster(c);
    auto metric = [&](Metric m) { return r.metrics[static_cast<std::size_t>(m)]; };
    if (spec_.serving && ev_.serving_sim) {
      const ServingPerf s = ev_.serving_sim->simulate(cl, *spec_.serving, spec_.serving->settings.at(c.serving), 1);
      per[k].push_back({idx, "ttft_p99", metric(Metric::ttft_p99), s.fits ? s.ttft_p99 : kNaN});
      per[k].push_back({idx, "tpot_p99", metric(Metric::tpot_p99), s.fits ? s.tpot_p99 : kNaN});
    }
    if (spec_.training && ev_.training_sim && train_here[k]) {
      const TrainingChoice tc = choose_training(cl);
      const auto& t = *spec_.training;
      TrainingJob job{&t.model, t.dtype, t.tokens, t.seq_len, t.global_batch};
      const TrainingPerf s = ev_.training_sim->estimate(cl, job, tc.layout);
      const double steps = std::ceil(t.tokens / (static_cast<double>(t.global_batch) * t.seq_len));
      per[k].push_back({idx, "time_to_train", metric(Metric::time_to_train), s.fits ? steps * s.step_seconds : kNaN});
    }
  });
  for (auto& v : per) p.tiers.insert(p.tiers.end(), v.begin(), v.end());
  return p;
}

PlanResult Planner::run(int threads, bool run_sim) const {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<CandidateResult> all = evaluate(Shard{}, threads);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  PlanResult p = finish(std::move(all), run_sim, threads);
  p.analytical_seconds = s;
  return p;
}

CostBreakdown Planner::breakdown(std::size_t index, const CandidateResult& r) const {
  const Candidate c = candidate(index);
  const hw::ClusterSpec cl = cluster(c);
  return cost_cluster(cl, spec_.costs, r.utilisation);
}

}  // namespace cs::planner
