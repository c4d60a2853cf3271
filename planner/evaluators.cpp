#include "planner/evaluators.hpp"

#include <algorithm>

#if __has_include("models/training_estimate.hpp")
#include "models/training_estimate.hpp"
#define CLUSTERSIM_PLANNER_TRAINING_ESTIMATE 1
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

}  // namespace
#endif

EvaluatorSet::EvaluatorSet() {
#ifdef CLUSTERSIM_PLANNER_TRAINING_ESTIMATE
  training_ = std::make_unique<AnalyticalTraining>();
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
