// Closed-form collectives: bus factors, algorithm costs, automatic choice.
#include <doctest/doctest.h>

#include "sim/core/error.hpp"
#include "sim/hw/collectives.hpp"
#include "sim/hw/network.hpp"
#include "sim/hw/topology.hpp"
#include "tests/network/network_fixtures.hpp"

using namespace cs::hw;
using cs::hw::testing::h100_cluster;
using cs::hw::testing::rel;
using cs::hw::testing::iota_ranks;

namespace {
CollectiveSpec spec(CollectiveKind k, std::vector<int> ranks, double bytes,
                    CollectiveAlgorithm a = CollectiveAlgorithm::automatic) {
  CollectiveSpec s;
  s.kind = k;
  s.algorithm = a;
  s.ranks = std::move(ranks);
  s.bytes = bytes;
  return s;
}
}  // namespace

TEST_CASE("bus factors follow nccl-tests") {
  CHECK(bus_factor(CollectiveKind::all_reduce, 8) == rel(1.75));
  CHECK(bus_factor(CollectiveKind::all_gather, 8) == rel(0.875));
  CHECK(bus_factor(CollectiveKind::reduce_scatter, 4) == rel(0.75));
  CHECK(bus_factor(CollectiveKind::all_to_all, 2) == rel(0.5));
  CHECK(bus_factor(CollectiveKind::broadcast, 8) == 1.0);
  CHECK(bus_factor(CollectiveKind::send_recv, 2) == 1.0);
}

TEST_CASE("ring all-reduce in one NVSwitch node approaches the effective NVLink rate") {
  auto c = h100_cluster(1);
  const auto f = build_fabric(c);
  const auto e = estimate_collective(*f, spec(CollectiveKind::all_reduce, iota_ranks(8), 8e9, CollectiveAlgorithm::ring));
  CHECK(e.algorithm == CollectiveAlgorithm::ring);
  CHECK(e.busbw == rel(450e9 * f->profile().scale_up_efficiency, 0.02));
  // small messages are latency-bound: far below the bandwidth
  const auto s = estimate_collective(*f, spec(CollectiveKind::all_reduce, iota_ranks(8), 4096, CollectiveAlgorithm::ring));
  CHECK(s.busbw < 0.01 * e.busbw);
  CHECK(s.seconds > 10e-6);
}

TEST_CASE("NVLS is chosen automatically where the switch reduces, and beats the ring") {
  auto c = h100_cluster(1);
  c.fabric.in_network_reduction = true;
  const auto f = build_fabric(c);
  const auto e = estimate_collective(*f, spec(CollectiveKind::all_reduce, iota_ranks(8), 8e9));
  CHECK(e.algorithm == CollectiveAlgorithm::in_network);
  CHECK(e.busbw == rel(450e9 * f->profile().nvls_efficiency * 1.75, 0.02));
  c.fabric.in_network_reduction = false;
  const auto g = build_fabric(c);
  CHECK(estimate_collective(*g, spec(CollectiveKind::all_reduce, iota_ranks(8), 8e9)).algorithm ==
        CollectiveAlgorithm::ring);
  CHECK_THROWS_AS(estimate_collective(*g, spec(CollectiveKind::all_reduce, iota_ranks(8), 8e9, CollectiveAlgorithm::in_network)),
                  cs::InputError);
}

TEST_CASE("multi-node all-reduce: NIC-bound ring, tree wins small messages, choice like NCCL") {
  const auto f = build_fabric(h100_cluster(16));
  const auto ranks = iota_ranks(128);
  const auto big = estimate_collective(*f, spec(CollectiveKind::all_reduce, ranks, 16e9, CollectiveAlgorithm::ring));
  // 8 rings, each through one 400G NIC: busbw ~ min(NVLink share, 8 x NIC)
  const double nic = 50e9 * f->profile().nic_efficiency;
  CHECK(big.busbw == rel(std::min(8 * nic, 450e9 * f->profile().scale_up_efficiency * 8 / 7), 0.07));
  CHECK(big.busbw < 8 * nic);
  const auto small_ring = estimate_collective(*f, spec(CollectiveKind::all_reduce, ranks, 65536, CollectiveAlgorithm::ring));
  const auto small_tree =
      estimate_collective(*f, spec(CollectiveKind::all_reduce, ranks, 65536, CollectiveAlgorithm::double_binary_tree));
  CHECK(small_tree.seconds < small_ring.seconds);
  const auto small_auto = estimate_collective(*f, spec(CollectiveKind::all_reduce, ranks, 65536));
  CHECK(small_auto.seconds <= small_tree.seconds);
  CHECK(small_auto.algorithm != CollectiveAlgorithm::ring);
  const auto big_auto = estimate_collective(*f, spec(CollectiveKind::all_reduce, ranks, 4e9));
  CHECK(big_auto.seconds <= big.seconds);
}

TEST_CASE("hierarchical all-reduce costs intra + inter phases") {
  const auto f = build_fabric(h100_cluster(4));
  const double S = 8e9;  // large enough that latency and pipeline fill are < 1%
  const auto h = estimate_collective(*f, spec(CollectiveKind::all_reduce, iota_ranks(32), S, CollectiveAlgorithm::hierarchical));
  const double up = f->scale_up_bandwidth(), nic = f->nic_bandwidth();
  const double bw_time = 2 * 7.0 / 8 * S / up + 2 * 3.0 / 4 * S / 8 / nic;
  CHECK(h.seconds == rel(bw_time, 0.03));
}

TEST_CASE("all-gather, reduce-scatter, broadcast, send/recv and all-to-all costs") {
  const auto f = build_fabric(h100_cluster(1));
  const double up = f->scale_up_bandwidth();
  const double S = 4e9;
  auto t = [&](CollectiveKind k) { return estimate_collective(*f, spec(k, iota_ranks(8), S)).seconds; };
  CHECK(t(CollectiveKind::all_gather) == rel(7.0 / 8 * S / up, 0.02));
  CHECK(t(CollectiveKind::reduce_scatter) == rel(7.0 / 8 * S / up, 0.02));
  CHECK(t(CollectiveKind::broadcast) == rel(S / up, 0.02));
  CHECK(t(CollectiveKind::all_to_all) == rel(7.0 / 8 * S / up, 0.02));
  const auto sr = estimate_collective(*f, spec(CollectiveKind::send_recv, {0, 3}, S));
  CHECK(sr.algorithm == CollectiveAlgorithm::direct);
  CHECK(sr.seconds == rel(S / up, 0.02));
  CHECK_THROWS_AS(estimate_collective(*f, spec(CollectiveKind::send_recv, {0, 3, 4}, S)), cs::InputError);
  CHECK_THROWS_AS(estimate_collective(*f, spec(CollectiveKind::all_reduce, {0, 0}, S)), cs::InputError);
  CHECK_THROWS_AS(estimate_collective(*f, spec(CollectiveKind::all_reduce, {0, 99}, S)), cs::InputError);
}

TEST_CASE("all-to-all on an 8:1 oversubscribed fat tree: leaf uplinks become the bottleneck") {
  auto c = h100_cluster(32);
  c.fabric.switch_radix = 16;  // 8 down ports at 1:1 -> one node per leaf
  const auto flat = build_fabric(c);
  c.fabric.oversubscription = 8.0;
  c.fabric.switch_radix = 18;  // 16 down, 2 up -> 2 nodes per leaf
  const auto over = build_fabric(c);
  const auto ranks = iota_ranks(256);
  const double S = 2e9;
  const double t1 = estimate_collective(*flat, spec(CollectiveKind::all_to_all, ranks, S)).seconds;
  const double t8 = estimate_collective(*over, spec(CollectiveKind::all_to_all, ranks, S)).seconds;
  // theory: non-blocking, the NICs bound it: 8 GPUs x (n - 8)/n x S over 8 NICs;
  // 8:1, each leaf (16 GPUs) sends 16 x (n - 16)/n x S over 16 NICs / 8.
  const double nic = flat->nic_bandwidth();
  const double n = 256;
  const double th1 = (n - 8) / n * S / nic;
  const double th8 = 16 * (n - 16) / n * S / (16 * nic / 8);
  CHECK(t1 == rel(th1, 0.03));
  CHECK(t8 == rel(th8, 0.03));
  CHECK(t8 / t1 > 7.0);
}
