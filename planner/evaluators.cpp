#include "planner/evaluators.hpp"

#include <algorithm>
#include <limits>

#include "sim/core/error.hpp"

#if __has_include("models/training_estimate.hpp")
#include "models/training_estimate.hpp"
#define CLUSTERSIM_PLANNER_TRAINING_ESTIMATE 1
#endif
#if defined(CLUSTERSIM_PLANNER_TRAINING_ESTIMATE) && __has_include("models/training_sim.hpp")
#include "models/training_sim.hpp"
#define CLUSTERSIM_PLANNER_TRAINING_SIM 1
#endif
#if __has_include("models/serving/serving_sim.hpp")
#include <cmath>

#include "models/serving/serving_sim.hpp"
#define CLUSTERSIM_PLANNER_SERVING_SIM 1
#endif

namespace cs::planner {

#ifdef CLUSTERSIM_PLANNER_TRAINING_ESTIMATE
namespace {

models::Recompute to_models(Recompute r) {
  switch (r) {
    case Recompute::none: return models::Recompute::none;
    case Recompute::selective: return models::Recompute::selective;
    case Recompute::full: return models::Recompute::full;
  }
  return models::Recompute::none;
}

// Fills a TrainingSpec for (job, layout). The model is copied only when it changes (a spec
// per thread is reused across the layouts of a sweep).
void fill_spec(models::TrainingSpec& spec, const TrainingJob& job, const TrainingLayout& l) {
  if (spec.model.name != job.model->name || spec.model.layers != job.model->layers ||
      spec.model.hidden != job.model->hidden) {
    spec.model = *job.model;
  }
  spec.layout.tp = l.tp;
  spec.layout.pp = l.pp;
  spec.layout.dp = l.dp;
  spec.layout.cp = l.cp;
  spec.layout.ep = l.ep;
  spec.layout.virtual_stages = l.virtual_stages;
  spec.layout.schedule = l.virtual_stages > 1 ? models::PipelineSchedule::interleaved : models::PipelineSchedule::one_f_one_b;
  spec.layout.sequence_parallel = l.sequence_parallel;
  spec.layout.zero_stage = l.zero_stage;
  spec.seq_len = job.seq_len;
  spec.micro_batch = l.micro_batch;
  spec.global_batch = job.global_batch;
  spec.recompute = to_models(l.recompute);
  spec.precision = job.dtype;
  spec.token_budget = job.tokens;
}

class AnalyticalTraining final : public TrainingEstimator {
 public:
  std::string name() const override { return "models::TrainingEstimator (analytical)"; }
  TrainingPerf estimate(const hw::ClusterSpec& cluster, const TrainingJob& job,
                        const TrainingLayout& layout) const override {
    // One estimator (and its per-layer cost cache) per thread: the cache is keyed by
    // everything a layer's cost depends on, so it is safe across clusters.
    thread_local models::TrainingEstimator est;
    thread_local models::TrainingSpec spec;
    fill_spec(spec, job, layout);
    const models::TrainingEstimate e = est.estimate(spec, cluster);
    TrainingPerf p;
    p.fits = e.valid && e.fits;
    p.reason = e.problem;
    p.step_seconds = e.step_s;
    p.memory_bytes_per_device = e.memory.total();
    p.mfu = e.mfu;
    const auto& b = e.breakdown;
    p.compute_seconds = b.compute;
    p.communication_seconds = b.tp_comm + b.cp_comm + b.ep_comm + b.pp_comm + b.dp_comm;
    p.bubble_seconds = b.bubble;
    p.utilisation = e.step_s > 0 ? std::clamp(b.compute / e.step_s, 0.0, 1.0) : 0.0;
    return p;
  }
};

#ifdef CLUSTERSIM_PLANNER_TRAINING_SIM
// The simulated tier: the same layout through the training event simulation (one step,
// representative ranks), after the analytical estimate has checked that it fits.
class SimulatedTraining final : public TrainingEstimator {
 public:
  std::string name() const override { return "models::simulate_training_step (event simulation)"; }
  TrainingPerf estimate(const hw::ClusterSpec& cluster, const TrainingJob& job,
                        const TrainingLayout& layout) const override {
    models::TrainingSpec spec;
    fill_spec(spec, job, layout);
    models::TrainingEstimator est;
    const models::TrainingEstimate e = est.estimate(spec, cluster);
    TrainingPerf p;
    p.fits = e.valid && e.fits;
    p.reason = e.problem;
    if (!p.fits) return p;
    const models::AlphaBetaComm comm(models::AlphaBetaComm::from_cluster(cluster));
    const models::StepCosts costs = models::build_step_costs(spec, cluster, comm, est.cache());
    const models::TrainingSimResult r = models::simulate_training_step(spec, costs);
    p.step_seconds = r.step_s;
    p.memory_bytes_per_device = e.memory.total();
    p.compute_seconds = r.breakdown.compute;
    p.bubble_seconds = r.breakdown.bubble;
    p.communication_seconds = r.breakdown.tp_comm + r.breakdown.cp_comm + r.breakdown.ep_comm +
                              r.breakdown.pp_comm + r.breakdown.dp_comm;
    p.utilisation = r.step_s > 0 ? std::clamp(r.breakdown.compute / r.step_s, 0.0, 1.0) : 0.0;
    return p;
  }
};
#endif

}  // namespace
#endif

#ifdef CLUSTERSIM_PLANNER_SERVING_SIM
namespace {

// The simulated tier for serving: the candidate's replicas replay the plan's traffic (the
// trace's first `simulate_requests` requests at the plan's rate, or Poisson arrivals with
// lognormal lengths for synthetic traffic) through the continuous-batching simulation.
class SimulatedServing final : public ServingSimulator {
 public:
  std::string name() const override { return "models::serving::ServingSim (request replay)"; }
  ServingPerf simulate(const hw::ClusterSpec& cluster, const ServingWorkload& w, const ServingSetting& s,
                       std::uint64_t seed) const override {
    namespace sv = models::serving;
    sv::ServingSpec spec;
    spec.name = "plan candidate";
    spec.model = w.model;
    spec.accelerator = cluster.accelerator;
    spec.shape.tp = s.tp;
    spec.shape.weight_dtype = w.dtype;
    spec.shape.kv_dtype = w.dtype;
    spec.scheduler.max_sequences = s.max_batch;
    const int replicas = std::max(1, cluster.accelerators / s.tp);
    spec.replicas = replicas;
    if (s.prefill_fraction > 0 && replicas >= 2) {
      const int n_pf = std::clamp(static_cast<int>(std::lround(s.prefill_fraction * replicas)), 1, replicas - 1);
      spec.disaggregation.enabled = true;
      spec.disaggregation.prefill_replicas = n_pf;
      spec.disaggregation.decode_replicas = replicas - n_pf;
      spec.disaggregation.prefill_shape = spec.shape;
      spec.disaggregation.decode_shape = spec.shape;
      spec.disaggregation.prefill_scheduler = spec.scheduler;
      spec.disaggregation.decode_scheduler = spec.scheduler;
    }
    const auto& t = w.traffic;
    const std::size_t n = std::min<std::size_t>(t.arrival_s.size(), static_cast<std::size_t>(w.simulate_requests));
    if (n > 0) {
      sv::TraceSource src;
      src.file = t.source;
      src.arrival_s.assign(t.arrival_s.begin(), t.arrival_s.begin() + static_cast<std::ptrdiff_t>(n));
      src.prompt_tokens.assign(t.prompt_tokens.begin(), t.prompt_tokens.begin() + static_cast<std::ptrdiff_t>(n));
      src.output_tokens.assign(t.output_tokens.begin(), t.output_tokens.begin() + static_cast<std::ptrdiff_t>(n));
      for (auto& o : src.output_tokens) o = std::max(1, o);
      for (auto& pr : src.prompt_tokens) pr = std::max(1, pr);
      src.rate_multiplier = t.native_rate > 0 ? t.rate / t.native_rate : 1.0;
      spec.trace = std::move(src);
    } else {
      sv::SyntheticSource src;
      src.rate = t.rate;
      src.prompt_tokens = sim::Distribution::lognormal_mean_cv(t.prompt_mean, 1.0);
      src.output_tokens = sim::Distribution::lognormal_mean_cv(t.output_mean, 1.0);
      src.requests = static_cast<std::uint64_t>(w.simulate_requests);
      spec.synthetic = src;
    }
    spec.seed = seed;
    ServingPerf p;
    p.replicas = replicas;
    p.max_batch = s.max_batch;
    try {
      const sv::ServingResult r = sv::simulate_serving(spec);
      p.fits = true;
      const bool drained = r.requests_completed == r.requests_arrived && r.requests_arrived > 0;
      const double inf = std::numeric_limits<double>::infinity();
      p.ttft_p99 = drained ? r.ttft.p99 : inf;
      p.tpot_p99 = drained ? r.tpot.p99 : inf;
      p.e2e_p99 = drained ? r.e2e.p99 : inf;
      p.utilisation = r.mean_busy_fraction;
    } catch (const InputError& e) {
      p.reason = e.what();
    }
    return p;
  }
};

}  // namespace
#endif

EvaluatorSet::EvaluatorSet() {
#ifdef CLUSTERSIM_PLANNER_TRAINING_ESTIMATE
  training_ = std::make_unique<AnalyticalTraining>();
#endif
#ifdef CLUSTERSIM_PLANNER_TRAINING_SIM
  training_sim_ = std::make_unique<SimulatedTraining>();
#endif
#ifdef CLUSTERSIM_PLANNER_SERVING_SIM
  serving_sim_ = std::make_unique<SimulatedServing>();
#endif
}

EvaluatorSet::~EvaluatorSet() = default;

Evaluators EvaluatorSet::get() const { return {training_.get(), training_sim_.get(), serving_sim_.get()}; }

std::vector<std::string> EvaluatorSet::describe() const {
  return {
      "serving analytical: planner closed form (planner/serving_estimate.hpp)",
      "serving simulated: " + (serving_sim_ ? serving_sim_->name() : std::string("not in this build")),
      "training analytical: " + (training_ ? training_->name() : std::string("not in this build")),
      "training simulated: " + (training_sim_ ? training_sim_->name() : std::string("not in this build")),
  };
}

}  // namespace cs::planner
