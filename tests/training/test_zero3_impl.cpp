// ZeRO-3 as DeepSpeed ran it in 2021 (Zero3Impl::deepspeed_2021): per-tensor gathers over a
// flat data-parallel ring, repeated for the recomputed forward, one tensor of prefetch.
#include <doctest/doctest.h>

#include "models/comm_model.hpp"
#include "models/training_costs.hpp"
#include "models/training_run.hpp"
#include "tests/training/training_fixtures.hpp"

using namespace cs;
using namespace cs::models;

namespace {

TrainingSpec zero3_job(int dp, int micro_batch, int global_batch, Zero3Impl impl) {
  TrainingSpec t;
  t.model = test::gpt_4096(8);
  t.seq_len = 2048;
  t.layout.dp = dp;
  t.layout.zero_stage = 3;
  t.layout.zero3_impl = impl;
  t.micro_batch = micro_batch;
  t.global_batch = global_batch;
  t.recompute = Recompute::full;
  return t;
}

}  // namespace

TEST_CASE("a flat ring moves every rank's bytes through its own NIC share") {
  const hw::ClusterSpec c = test::a100_cluster(4);
  const AlphaBetaComm comm(AlphaBetaComm::from_cluster(c));
  const AlphaBetaParams& p = comm.params();
  CommGroup g = strided_group(32, 1, 8);
  const double bytes = 8e9;
  const double hier = comm.seconds(hw::CollectiveKind::all_gather, g, bytes);
  g.flat = true;
  const double flat = comm.seconds(hw::CollectiveKind::all_gather, g, bytes);
  // (n-1)/n x bytes / (0.92 x 25 GB/s) + (n-1) steps of latency.
  CHECK(p.inter_bandwidth == doctest::Approx(0.92 * 25e9));
  CHECK(flat == doctest::Approx(31.0 / 32.0 * bytes / p.inter_bandwidth + 31 * p.inter_latency));
  // The hierarchical ring sends 1/8 of it across nodes per rank: ~8x less NIC time.
  CHECK(flat > 5.0 * hier);
  // Inside one node a flat group is the plain scale-up ring.
  CommGroup node = tp_group(8, 8);
  const double in_node = comm.seconds(hw::CollectiveKind::all_gather, node, bytes);
  node.flat = true;
  CHECK(comm.seconds(hw::CollectiveKind::all_gather, node, bytes) == doctest::Approx(in_node));
}

TEST_CASE("per-tensor passes: gathers for forward, recomputed forward and backward, one reduce per tensor") {
  ChunkCosts c;
  c.tensors.push_back({1, 2, 0, 0.1, 0.2, -1});  // embedding
  for (int layer = 0; layer < 2; ++layer) {
    for (int t = 0; t < 4; ++t) c.tensors.push_back({10.0 + t, 20.0 + t, 10.0 + t, 1, 2, layer});
  }
  c.tensors.push_back({3, 6, 0, 0.3, 0.6, -1});  // head
  const auto fwd = zero3_pass_steps(c, true, true);
  REQUIRE(fwd.size() == 10);
  CHECK(fwd.front().compute == 1);
  CHECK(fwd.back().compute == 3);
  for (const auto& s : fwd) CHECK(s.reduce == 0);
  const auto bwd = zero3_pass_steps(c, false, true);
  // head, then per layer (last first) 4 recomputed + 4 backward, then the embedding.
  REQUIRE(bwd.size() == 1 + 2 * 8 + 1);
  CHECK(bwd[0].compute == 6);
  CHECK(bwd[1].compute == 10);   // layer 1 recomputed, forward order
  CHECK(bwd[1].reduce == 0);
  CHECK(bwd[5].compute == 23);   // layer 1 backward, reverse order
  CHECK(bwd[5].reduce == 2);
  CHECK(bwd[8].compute == 20);
  CHECK(bwd.back().compute == 2);
  int gathers = 0;
  for (const auto& s : bwd) gathers += s.gather > 0 ? 1 : 0;
  CHECK(gathers == 18);
  // Without recomputation the backward gathers each tensor once.
  CHECK(zero3_pass_steps(c, false, false).size() == 10);
}

TEST_CASE("the per-tensor replay: compute-bound hides gathers, comm-bound is the stream's sum") {
  // Compute-bound: only the first gather is exposed.
  std::vector<Zero3Step> a(4, Zero3Step{10, 2, 0, true});
  CHECK(zero3_replay(a) == doctest::Approx(2 + 40));
  // Comm-bound: the gather stream runs back to back.
  std::vector<Zero3Step> b(4, Zero3Step{1, 5, 0, true});
  CHECK(zero3_replay(b) == doctest::Approx(20 + 1));
  // One tensor of prefetch: tensor 2's gather waits until tensor 0's compute is done.
  std::vector<Zero3Step> c{{10, 1, 0, true}, {1, 1, 0, true}, {1, 1, 0, true}};
  // g0 [0,1], c0 [1,11], g1 [1,2], c1 [11,12], g2 issued at c1 start (c0 done: 11) [11,12], c2 [12,13]
  CHECK(zero3_replay(c) == doctest::Approx(13));
  // Reduce-scatters queue behind the next gather on the one stream.
  std::vector<Zero3Step> d{{2, 1, 3, false}, {2, 1, 3, false}};
  // g0 [0,1], c0 [1,3], g1 [1,2], r0 [3,6], c1 [3,5], r1 [6,9]
  CHECK(zero3_replay(d) == doctest::Approx(9));
  // Without overlap the backward waits for each reduction: c1 [6,8], r1 [8,11].
  CHECK(zero3_replay(d, false) == doctest::Approx(11));
  // A reduction is launched only once the previous one is done: c2 waits for r0.
  std::vector<Zero3Step> e{{1, 0, 5, false}, {1, 0, 1, false}, {1, 0, 0, false}};
  // c0 [0,1], r0 [1,6], c1 [1,2], r1 [6,7], c2 waits for r0: [6,7]
  CHECK(zero3_replay(e) == doctest::Approx(7));
}

TEST_CASE("DeepSpeed-2021 ZeRO-3 is communication bound at scale where FSDP-style ZeRO-3 is not") {
  // 8 layers of hidden 4096 on 4 nodes, one micro-batch per step, like Megatron SC21 Table 2.
  const TrainingSpec ds = zero3_job(32, 1, 32, Zero3Impl::deepspeed_2021);
  const TrainingSpec fsdp = zero3_job(32, 1, 32, Zero3Impl::fsdp);
  const hw::ClusterSpec c = test::a100_cluster(4);
  const TrainingReport a = run_training(ds, c);
  const TrainingReport b = run_training(fsdp, c);
  CHECK(a.result.step_s > 1.5 * b.result.step_s);
  CHECK(a.result.breakdown.dp_comm > a.result.breakdown.compute);
  // Event simulation and the analytical replay agree (representative and every rank).
  CHECK(a.analytical.step_s == doctest::Approx(a.result.step_s).epsilon(1e-3));
  TrainingRunOptions all;
  all.all_ranks = true;
  CHECK(run_training(ds, c, all).result.step_s == doctest::Approx(a.result.step_s).epsilon(1e-9));
  // Reductions the backward waits for (overlap.dp false): slower, and the same three ways.
  TrainingSpec blocking = ds;
  blocking.overlap_dp_comm = false;
  const TrainingReport nb = run_training(blocking, c);
  CHECK(nb.result.step_s > a.result.step_s);
  CHECK(nb.analytical.step_s == doctest::Approx(nb.result.step_s).epsilon(1e-3));
  CHECK(run_training(blocking, c, all).result.step_s == doctest::Approx(nb.result.step_s).epsilon(1e-9));
  // Per-GPU traffic is fixed by the model, not the GPU count: doubling the GPUs at the same
  // global batch halves compute but leaves the (communication-bound) step nearly unchanged.
  const TrainingReport twice = run_training(zero3_job(64, 1, 64, Zero3Impl::deepspeed_2021), test::a100_cluster(8));
  CHECK(twice.result.step_s == doctest::Approx(a.result.step_s).epsilon(0.05));
  // Four uses per micro-batch of each layer's weights (forward, recompute, backward gathers;
  // gradient reduce), three of the embedding's and the head's (not recomputed): 2 bytes
  // each, through a 0.92 x 25 GB/s NIC share.
  const double layers = ds.model.layers * ds.model.layer_parameters(0);
  const double bytes = (4.0 * layers + 3.0 * (ds.model.parameters() - layers)) * 2.0 * 31.0 / 32.0;
  CHECK(a.result.step_s > bytes / (0.92 * 25e9));
  CHECK(a.result.step_s < 1.2 * bytes / (0.92 * 25e9) + a.result.breakdown.compute);
}

TEST_CASE("DeepSpeed-2021 ZeRO-3 holds one gathered tensor and one prefetched, not whole layers") {
  TrainingSpec ds_job = zero3_job(32, 1, 32, Zero3Impl::deepspeed_2021);
  ds_job.model.vocab = 8192;
  TrainingSpec fsdp_job = ds_job;
  fsdp_job.layout.zero3_impl = Zero3Impl::fsdp;
  const auto ds = memory_per_device(ds_job);
  const auto fsdp = memory_per_device(fsdp_job);
  // Two MLP weights (4096 x 16384 of the layer's 12 x 4096^2 weights, biases and norms in
  // proportion), 2 bytes each, instead of two whole layers.
  const double largest = ds_job.model.layer_parameters(0) / 3.0;
  CHECK(fsdp.buffers - ds.buffers == doctest::Approx(2.0 * 2.0 * (ds_job.model.layer_parameters(0) - largest)).epsilon(1e-6));
  TrainingSpec bad = zero3_job(32, 1, 32, Zero3Impl::deepspeed_2021);
  bad.layout.zero_stage = 2;
  CHECK(check_layout(bad, 32, 8).find("zero3_impl deepspeed_2021 needs zero_stage 3") != std::string::npos);
}
