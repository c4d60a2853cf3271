// Contention between the concurrent collectives of different groups (comm_model network):
// FabricComm runs every group of a family together in the flow-level NetworkSim.
#include <doctest/doctest.h>

#include "models/fabric_comm.hpp"
#include "models/training_run.hpp"
#include "tests/training/training_fixtures.hpp"

using namespace cs;
using namespace cs::models;

namespace {

// 8 DGX-A100-like nodes, one node per leaf switch: 1:1 (radix 16: 8 ports down, 8 up) or
// 4:1 (radix 10: 8 down, 2 up, each leaf's uplinks a quarter of its NIC rate). Adaptive
// routing spreads flows evenly over the uplinks, so the fluid theory holds exactly.
hw::ClusterSpec leaf_per_node(double oversubscription) {
  hw::ClusterSpec c = test::a100_cluster(8);
  c.fabric.topology = hw::FabricTopology::fat_tree;
  c.fabric.oversubscription = oversubscription;
  c.fabric.switch_radix = oversubscription > 1 ? 10 : 16;
  c.fabric.adaptive_routing = true;
  return c;
}

TrainingSpec dp_job() {
  TrainingSpec t;
  t.model = test::gpt_4096(16);
  t.seq_len = 2048;
  t.layout.tp = 8;
  t.layout.dp = 8;
  t.layout.zero_stage = 1;
  t.micro_batch = 1;
  t.global_batch = 8;
  t.overlap_dp_comm = false;
  t.comm_model = CommModelKind::network;
  return t;
}

}  // namespace

TEST_CASE("an oversubscribed spine slows the concurrent DP rings by the oversubscription") {
  const FabricComm full(leaf_per_node(1.0));
  const FabricComm over(leaf_per_node(4.0));
  // The DP groups of a TP8 x DP8 layout: one rank per node, 8 rings at once, every ring
  // hop leaving its leaf. 1:1: each flow runs at its NIC's rate. 4:1: the 8 flows leaving a
  // leaf share 2 NIC-rates of uplink, a quarter each: the bandwidth term is 4x.
  const CommGroup dp = concurrent_in(strided_group(8, 8, 8), 8, 64);
  const double bytes = 2e9;
  const auto K = hw::CollectiveKind::reduce_scatter;
  const double t1 = full.seconds(K, dp, bytes), t4 = over.seconds(K, dp, bytes);
  const double lat1 = full.seconds(K, dp, 1.0), lat4 = over.seconds(K, dp, 1.0);
  CHECK((t4 - lat4) / (t1 - lat1) == doctest::Approx(4.0).epsilon(0.02));
  CHECK(full.flow_simulations() == 2);
  // Alone on the fabric (no family) one ring fits the thinner uplinks: the closed form
  // sees no difference, which is what the flow simulation of all groups corrects.
  CommGroup alone = dp;
  alone.span = 0;
  CHECK(over.seconds(K, alone, bytes) == doctest::Approx(full.seconds(K, alone, bytes)).epsilon(0.01));
  // At 1:1 the concurrent rings do not share a saturated link: the contended time is the
  // idle closed form.
  CHECK(t1 == doctest::Approx(full.idle_seconds(K, dp, bytes)).epsilon(0.02));

  // The training step (ZeRO-1: gradient reduce-scatter, then the weight all-gather, neither
  // overlapped): both DP collectives cost 4x, and the step grows by exactly that much; the
  // compute and the TP collectives (inside nodes) do not move.
  LayerCostCache cache;
  const StepCosts c1 = build_step_costs(dp_job(), leaf_per_node(1.0), full, cache);
  const StepCosts c4 = build_step_costs(dp_job(), leaf_per_node(4.0), over, cache);
  const ChunkCosts& d1 = c1.stages[0].chunks[0];
  const ChunkCosts& d4 = c4.stages[0].chunks[0];
  CHECK(d4.grad_reduce / d1.grad_reduce == doctest::Approx(4.0).epsilon(0.02));
  CHECK(d4.param_gather / d1.param_gather == doctest::Approx(4.0).epsilon(0.02));
  const TrainingReport a = run_training(dp_job(), leaf_per_node(1.0));
  const TrainingReport b = run_training(dp_job(), leaf_per_node(4.0));
  CHECK(b.result.step_s - a.result.step_s ==
        doctest::Approx(d4.grad_reduce + d4.param_gather - d1.grad_reduce - d1.param_gather).epsilon(0.01));
  CHECK(b.result.breakdown.dp_comm > 3.5 * a.result.breakdown.dp_comm);
  CHECK(b.result.breakdown.compute == doctest::Approx(a.result.breakdown.compute));
  CHECK(b.result.breakdown.tp_comm == doctest::Approx(a.result.breakdown.tp_comm));
}

TEST_CASE("pipeline sends of every stage at once share the leaf uplinks") {
  const FabricComm full(leaf_per_node(1.0));
  const FabricComm over(leaf_per_node(4.0));
  // TP8 x PP8 on 8 nodes: each stage is a node, and all 8 GPUs of every stage send to the
  // next node at the same moment: 8 flows leave each leaf. 4:1 -> a quarter each.
  const CommGroup pair = concurrent_in(strided_group(2, 8, 8), 8, 64);
  const auto SR = hw::CollectiveKind::send_recv;
  const double bytes = 1e9;
  const double t1 = full.seconds(SR, pair, bytes), t4 = over.seconds(SR, pair, bytes);
  const double l1 = full.seconds(SR, pair, 1.0), l4 = over.seconds(SR, pair, 1.0);
  CHECK((t4 - l4) / (t1 - l1) == doctest::Approx(4.0).epsilon(0.02));
  CHECK(t1 == doctest::Approx(full.idle_seconds(SR, pair, bytes)).epsilon(0.02));
  CHECK(over.idle_seconds(SR, pair, bytes) == doctest::Approx(full.idle_seconds(SR, pair, bytes)).epsilon(0.01));
}

TEST_CASE("groups that share no link price the same as alone, whatever the spine") {
  const FabricComm full(leaf_per_node(1.0));
  const FabricComm over(leaf_per_node(4.0));
  // TP groups inside a node: NVSwitch ports only.
  const CommGroup tp = concurrent_in(tp_group(8, 8), 1, 64);
  const auto AR = hw::CollectiveKind::all_reduce;
  CHECK(over.seconds(AR, tp, 1e9) == doctest::Approx(full.seconds(AR, tp, 1e9)));
  CHECK(full.seconds(AR, tp, 1e9) == doctest::Approx(full.idle_seconds(AR, tp, 1e9)).epsilon(0.01));
  // DP x TP inside one node (TP4 x DP2): four 2-rank groups on distinct GPU pairs.
  const CommGroup dp2 = concurrent_in(strided_group(2, 4, 8), 4, 8);
  CHECK(over.seconds(AR, dp2, 1e9) == doctest::Approx(full.seconds(AR, dp2, 1e9)));
  CHECK(full.seconds(AR, dp2, 1e9) == doctest::Approx(full.idle_seconds(AR, dp2, 1e9)).epsilon(0.01));
}
