#include "models/training_estimate.hpp"

#include <algorithm>

namespace cs::models {
namespace {

struct StagePass {
  double compute = 0, recompute = 0, tp = 0, cp = 0, ep = 0, bwd = 0;
  double total() const { return compute + tp + cp + ep; }
};

StagePass stage_pass(const TrainingSpec& s, const StageCosts& st) {
  StagePass p;
  for (const ChunkCosts& c : st.chunks) {
    const double comp = c.fwd + c.bwd;
    p.compute += comp;
    p.recompute += c.recompute;
    p.bwd += c.bwd;
    const double tp = c.tp_fwd + c.tp_bwd;
    p.tp += s.overlap_tp_comm ? std::max(0.0, tp - comp) : tp;
    p.cp += c.cp_fwd + c.cp_bwd;
    p.ep += c.ep_fwd + c.ep_bwd;
  }
  return p;
}

}  // namespace

TimeBreakdown analytical_breakdown(const TrainingSpec& s, const StepCosts& costs) {
  const ParallelLayout& l = s.layout;
  const double m = costs.micro_batches;
  // The slowest stage sets the pipeline's pace; report that stage.
  int slow = 0;
  StagePass pace;
  for (int i = 0; i < l.pp; ++i) {
    const StagePass p = stage_pass(s, costs.stages[i]);
    if (p.total() > pace.total()) {
      pace = p;
      slow = i;
    }
  }
  const StageCosts& st = costs.stages[slow];
  TimeBreakdown b;
  b.compute = m * pace.compute;
  b.recompute = m * pace.recompute;
  b.tp_comm = m * pace.tp;
  b.cp_comm = m * pace.cp;
  b.ep_comm = m * pace.ep;
  b.bubble = l.pp > 1 ? (l.pp - 1.0) / l.virtual_stages * pace.total() : 0.0;
  b.pp_comm = l.pp > 1 ? 2.0 * (l.pp - 1.0) * costs.p2p : 0.0;

  double reduce = 0, gather = 0;
  int layers = 0;
  for (const ChunkCosts& c : st.chunks) {
    reduce += c.grad_reduce;
    gather += c.param_gather;
    layers += c.layers;
  }
  layers = std::max(1, layers);
  if (l.zero_stage == 3 && l.zero3_impl == Zero3Impl::deepspeed_2021) {
    // Per-tensor gathers: replay the rank's sequence (ZeRO-3 runs without pipeline stages,
    // so the order is forward, backward per micro-batch) as the simulation runs it.
    std::vector<Zero3Step> steps;
    std::vector<double> extra;
    const bool full = s.recompute == Recompute::full;
    for (int mb = 0; mb < costs.micro_batches; ++mb) {
      for (const ChunkCosts& c : st.chunks) {
        for (int dir = 0; dir < 2; ++dir) {
          const std::vector<Zero3Step> pass = zero3_pass_steps(c, dir == 0, full);
          steps.insert(steps.end(), pass.begin(), pass.end());
          extra.resize(steps.size(), 0.0);
          if (!extra.empty()) {
            const double tp = dir == 0 ? c.tp_fwd : c.tp_bwd;
            extra.back() += (s.overlap_tp_comm ? 0.0 : tp) + (dir == 0 ? c.cp_fwd + c.ep_fwd : c.cp_bwd + c.ep_bwd);
          }
        }
      }
    }
    const double busy = b.compute + b.tp_comm + b.cp_comm + b.ep_comm;
    b.dp_comm = std::max(0.0, zero3_replay(steps, s.overlap_dp_comm, &extra) - busy);
  } else if (l.zero_stage >= 2) {
    // Per micro-batch: ZeRO-3 gathers weights for forward and backward; both reduce-scatter
    // gradients. Overlapped with that micro-batch's compute.
    const double per_mb = reduce + (l.zero_stage == 3 ? 2.0 * gather : 0.0);
    const double exposed = s.overlap_dp_comm ? std::max(per_mb / layers, per_mb - pace.compute) : per_mb;
    b.dp_comm = m * exposed + (l.zero_stage == 2 ? (s.overlap_dp_comm ? gather / layers : gather) : 0.0);
  } else {
    const double exposed_reduce = s.overlap_dp_comm ? std::max(reduce / layers, reduce - pace.bwd) : reduce;
    const double exposed_gather = s.overlap_dp_comm ? gather / layers : gather;
    b.dp_comm = exposed_reduce + exposed_gather;
  }
  b.optimizer = st.optimizer;
  return b;
}

void fill_rates(TrainingEstimate& e, const TrainingSpec& s, const StepCosts& costs) {
  if (e.step_s <= 0) return;
  const double gpus = s.layout.gpus();
  double model = 0, hw = 0;
  for (const StageCosts& st : costs.stages) {
    for (const ChunkCosts& c : st.chunks) {
      model += c.flops_model;
      hw += c.flops_hw;
    }
  }
  const double hw_ratio = model > 0 ? hw / model : 1.0;
  e.tokens_per_s = s.tokens_per_step() / e.step_s;
  e.model_tflops_per_gpu = costs.model_flops_per_step / e.step_s / gpus / 1e12;
  e.mfu = costs.peak_flops > 0 ? e.model_tflops_per_gpu * 1e12 / costs.peak_flops : 0.0;
  e.hfu = e.mfu * hw_ratio;
}

TrainingEstimate TrainingEstimator::estimate(const TrainingSpec& spec, const hw::ClusterSpec& cluster) {
  const AlphaBetaComm comm(AlphaBetaComm::from_cluster(cluster));
  return estimate(spec, cluster, comm);
}

TrainingEstimate TrainingEstimator::estimate(const TrainingSpec& spec, const hw::ClusterSpec& cluster,
                                             const CommModel& comm) {
  TrainingEstimate e;
  e.problem = check_layout(spec, cluster.accelerators, cluster.node.accelerators);
  if (!e.problem.empty()) return e;
  e.memory = memory_per_device(spec);
  e.problem = memory_problem(e.memory, cluster.accelerator.memory_bytes);
  e.fits = e.problem.empty();
  const StepCosts costs = build_step_costs(spec, cluster, comm, cache_);
  e.breakdown = analytical_breakdown(spec, costs);
  e.step_s = e.breakdown.total();
  fill_rates(e, spec, costs);
  e.valid = e.fits;
  return e;
}

TrainingEstimate estimate_training(const TrainingSpec& spec, const hw::ClusterSpec& cluster) {
  TrainingEstimator est;
  return est.estimate(spec, cluster);
}

}  // namespace cs::models
