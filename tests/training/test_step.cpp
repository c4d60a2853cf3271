#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include "models/training_run.hpp"
#include "sim/core/trace.hpp"
#include "tests/training/training_fixtures.hpp"

using namespace cs;
using namespace cs::models;

namespace {

TrainingSpec gpt_job(int tp, int pp, int dp, int global_batch) {
  TrainingSpec t;
  t.model = test::gpt_4096(16);
  t.seq_len = 2048;
  t.layout.tp = tp;
  t.layout.pp = pp;
  t.layout.dp = dp;
  t.micro_batch = 1;
  t.global_batch = global_batch;
  t.recompute = Recompute::selective;
  return t;
}

TrainingReport run(const TrainingSpec& t, int nodes, bool all = false) {
  TrainingRunOptions o;
  o.all_ranks = all;
  return run_training(t, test::a100_cluster(nodes), o);
}

}  // namespace

TEST_CASE("pipeline schedules run every pass once, in Megatron's order") {
  for (int v : {1, 2}) {
    for (int stage = 0; stage < 4; ++stage) {
      const auto order = pipeline_order(stage, 4, 8, v);
      CHECK(order.size() == static_cast<std::size_t>(2 * 8 * v));
      std::set<std::tuple<int, int, bool>> seen;
      for (const auto& p : order) seen.insert({p.micro_batch, p.chunk, p.forward});
      CHECK(seen.size() == order.size());
    }
  }
  // 1F1B: stage 0 of 4 warms up with 3 forwards, the last stage alternates at once.
  const auto first = pipeline_order(0, 4, 8, 1);
  CHECK(first[0].forward);
  CHECK(first[2].forward);
  CHECK(first[3].forward);
  CHECK_FALSE(first[4].forward);
  const auto last = pipeline_order(3, 4, 8, 1);
  CHECK(last[0].forward);
  CHECK_FALSE(last[1].forward);
}

TEST_CASE("simulated step agrees with the analytical estimate and its breakdown adds up") {
  for (auto [tp, pp, dp] : {std::tuple{8, 1, 2}, std::tuple{4, 4, 1}, std::tuple{2, 2, 4}, std::tuple{1, 1, 16}}) {
    CAPTURE(tp);
    CAPTURE(pp);
    CAPTURE(dp);
    TrainingSpec t = gpt_job(tp, pp, dp, 64);
    const TrainingReport r = run(t, 2);
    CHECK(r.result.step_s > 0);
    CHECK(r.result.breakdown.total() == doctest::Approx(r.result.step_s).epsilon(0.002));
    CHECK(r.analytical.step_s == doctest::Approx(r.result.step_s).epsilon(0.08));
    CHECK(r.result.mfu > 0.2);
    CHECK(r.result.mfu < 0.8);
    CHECK(r.result.hfu >= r.result.mfu);
  }
}

TEST_CASE("changing TP, PP and DP moves time between compute, bubble and communication") {
  SUBCASE("more pipeline stages at a fixed batch: more bubble") {
    const TrainingReport p1 = run(gpt_job(8, 1, 2, 32), 2);
    const TrainingReport p2 = run(gpt_job(4, 2, 2, 32), 2);
    const TrainingReport p4 = run(gpt_job(2, 4, 2, 32), 2);
    CHECK(p1.result.breakdown.bubble == doctest::Approx(0.0));
    CHECK(p2.result.breakdown.bubble > 0.0);
    CHECK(p4.result.breakdown.bubble / p4.result.step_s > p2.result.breakdown.bubble / p2.result.step_s);
    // and less tensor-parallel communication as TP shrinks
    CHECK(p4.result.breakdown.tp_comm < p2.result.breakdown.tp_comm);
    CHECK(p2.result.breakdown.tp_comm < p1.result.breakdown.tp_comm);
  }
  SUBCASE("interleaving shrinks the bubble") {
    // Balanced stages (a tiny vocabulary: no output head on the last stage) show the
    // (pp - 1) / v law; a heavy head makes interleaving help less.
    TrainingSpec t = gpt_job(2, 4, 2, 32);
    t.model.vocab = 128;
    t.model.layers = 32;
    const TrainingReport plain = run(t, 2);
    t.layout.schedule = PipelineSchedule::interleaved;
    t.layout.virtual_stages = 2;
    const TrainingReport inter = run(t, 2);
    CHECK(inter.result.breakdown.bubble < 0.6 * plain.result.breakdown.bubble);
    CHECK(inter.result.step_s < plain.result.step_s);
  }
  SUBCASE("more tensor parallelism: less compute per GPU, more TP communication") {
    const TrainingReport t1 = run(gpt_job(1, 1, 8, 64), 1);
    const TrainingReport t8 = run(gpt_job(8, 1, 1, 64), 1);
    CHECK(t1.result.breakdown.tp_comm == doctest::Approx(0.0));
    CHECK(t8.result.breakdown.tp_comm > 0.05 * t8.result.step_s);
    CHECK(t8.result.breakdown.dp_comm == doctest::Approx(0.0));
    CHECK(t1.result.breakdown.dp_comm > 0.0);
  }
  SUBCASE("data parallelism across nodes without overlap exposes the gradient all-reduce") {
    TrainingSpec t = gpt_job(8, 1, 4, 32);
    const TrainingReport overlapped = run(t, 4);
    t.overlap_dp_comm = false;
    const TrainingReport exposed = run(t, 4);
    CHECK(exposed.result.breakdown.dp_comm > 1.2 * overlapped.result.breakdown.dp_comm);
    CHECK(exposed.result.step_s > overlapped.result.step_s);
  }
}

TEST_CASE("every-rank mode reproduces the representative step on a symmetric layout") {
  for (bool interleaved : {false, true}) {
    TrainingSpec t = gpt_job(2, 4, 2, 16);
    if (interleaved) {
      t.layout.schedule = PipelineSchedule::interleaved;
      t.layout.virtual_stages = 2;
    }
    const TrainingReport rep = run(t, 2, false);
    const TrainingReport all = run(t, 2, true);
    CHECK(rep.sim.representative);
    CHECK_FALSE(all.sim.representative);
    CHECK(rep.sim.ranks_simulated == 4);
    CHECK(all.sim.ranks_simulated == 16);
    CHECK(all.result.step_s == doctest::Approx(rep.result.step_s).epsilon(1e-9));
  }
}

TEST_CASE("ZeRO-3 and MoE expert parallelism run and show their communication") {
  TrainingSpec t = gpt_job(1, 1, 16, 32);
  t.layout.zero_stage = 3;
  const TrainingReport z = run(t, 2);
  CHECK(z.result.breakdown.dp_comm > 0.0);
  CHECK(z.result.memory.weights < 0.2 * z.result.memory.optimizer * 16 / 12);

  TrainingSpec moe = gpt_job(1, 1, 16, 32);
  moe.model.moe.experts = 8;
  moe.model.moe.top_k = 2;
  moe.model.moe.expert_ffn_hidden = 8192;
  moe.model.ffn = FfnKind::swiglu;
  moe.layout.ep = 8;
  moe.layout.zero_stage = 1;
  const TrainingReport e = run(moe, 2);
  CHECK(e.result.breakdown.ep_comm > 0.0);
  const TrainingReport e_all = run(moe, 2, true);
  CHECK(e_all.result.step_s == doctest::Approx(e.result.step_s).epsilon(1e-9));
}

TEST_CASE("the simulation is deterministic and writes a trace") {
  TrainingSpec t = gpt_job(2, 2, 2, 16);
  sim::TraceRecorder a, b;
  TrainingRunOptions o;
  o.trace = &a;
  const TrainingReport r1 = run_training(t, test::a100_cluster(1), o);
  o.trace = &b;
  const TrainingReport r2 = run_training(t, test::a100_cluster(1), o);
  CHECK(r1.result.step_s == r2.result.step_s);
  std::ostringstream ja, jb;
  a.write_json(ja);
  b.write_json(jb);
  CHECK(ja.str() == jb.str());
  CHECK(ja.str().find("\"backward\"") != std::string::npos);
  CHECK(ja.str().find("\"p2p_send\"") != std::string::npos);
}

TEST_CASE("dense and MoE layers are costed separately and cached once each") {
  TrainingSpec t = gpt_job(1, 1, 8, 16);
  t.model.moe.experts = 8;
  t.model.moe.top_k = 2;
  t.model.moe.expert_ffn_hidden = 8192;
  t.model.moe.first_dense_layers = 2;
  t.layout.ep = 8;
  const auto cluster = test::a100_cluster(1);
  const hw::ComputeModel cm(cluster.accelerator);
  LayerCostCache cache;
  const LayerCosts dense = cache.get(t, cm, 0);
  const LayerCosts moe = cache.get(t, cm, 5);
  CHECK(cache.get(t, cm, 1).fwd == dense.fwd);
  CHECK(cache.get(t, cm, 15).fwd == moe.fwd);
  CHECK(cache.size() == 2);
  CHECK(moe.fwd != dense.fwd);
  CHECK(moe.ep_bytes > 0);
  CHECK(dense.ep_bytes == 0);
  const AlphaBetaComm comm(AlphaBetaComm::from_cluster(cluster));
  const StepCosts sc = build_step_costs(t, cluster, comm, cache);
  const double expect = (2 * dense.fwd + 14 * moe.fwd) / t.sustained_efficiency;
  CHECK(sc.stages[0].chunks[0].fwd > expect);  // plus the embedding and the head
  CHECK(sc.stages[0].chunks[0].fwd < 1.2 * expect);
}
