// Flow-level NetworkSim: transfers, collectives against their closed forms, congestion.
#include <doctest/doctest.h>

#include "sim/core/engine.hpp"
#include "sim/hw/collectives.hpp"
#include "sim/hw/flow_network.hpp"
#include "sim/hw/network.hpp"
#include "sim/hw/topology.hpp"
#include "tests/network/network_fixtures.hpp"

using namespace cs::hw;
using cs::hw::testing::h100_cluster;
using cs::hw::testing::rel;
using cs::hw::testing::iota_ranks;
using cs::sim::Engine;
using cs::sim::SimTime;

namespace {

struct Recorder {
  std::vector<std::pair<std::uint64_t, SimTime>> done;
  void on_done(const cs::sim::Event& e) { done.emplace_back(e.payload, e.time); }
  cs::sim::Handler handler() { return cs::sim::Handler::member<&Recorder::on_done>(*this); }
  double seconds(std::uint64_t payload) const {
    for (const auto& [p, t] : done) {
      if (p == payload) return t.seconds();
    }
    return -1;
  }
};

CollectiveSpec spec(CollectiveKind k, std::vector<int> ranks, double bytes,
                    CollectiveAlgorithm a = CollectiveAlgorithm::automatic) {
  CollectiveSpec s;
  s.kind = k;
  s.algorithm = a;
  s.ranks = std::move(ranks);
  s.bytes = bytes;
  return s;
}

double simulate(const std::shared_ptr<const Fabric>& f, const CollectiveSpec& s) {
  Engine engine;
  NetworkSim net(engine, f);
  Recorder rec;
  net.start_collective(s, rec.handler(), 1);
  engine.run();
  REQUIRE(rec.done.size() == 1);
  return rec.seconds(1);
}

}  // namespace

TEST_CASE("a transfer takes bytes / bottleneck + path latency + overhead") {
  const auto f = build_fabric(h100_cluster(2));
  Engine engine;
  NetworkSim net(engine, f);
  Recorder rec;
  net.start_transfer(0, 9, 1e9, rec.handler(), 7);
  engine.run();
  REQUIRE(rec.done.size() == 1);
  std::vector<int> path;
  f->route(0, 9, 0, path);
  const double expect = 1e9 / f->nic_bandwidth() + f->path_latency(path) + f->profile().message_overhead_s +
                        f->cluster().nic.latency_s;
  CHECK(rec.seconds(7) == rel(expect, 1e-6));
  CHECK(net.stats().flows_completed == 1);
  CHECK(net.stats().bytes_delivered == rel(1e9));
  // a transfer to itself completes at once
  net.start_transfer(3, 3, 1e9, rec.handler(), 8);
  engine.run();
  CHECK(rec.seconds(8) == rel(rec.seconds(7)));
}

TEST_CASE("flow simulation and alpha-beta agree within 5% on uncontended topologies") {
  struct Case {
    const char* name;
    ClusterSpec cluster;
    CollectiveSpec spec;
  };
  auto nvls = h100_cluster(1);
  nvls.fabric.in_network_reduction = true;
  auto rail = h100_cluster(16, FabricTopology::rail_optimized);
  auto pcie = h100_cluster(2);
  pcie.node.scale_up.kind = ScaleUpKind::pcie;
  const std::vector<Case> cases = {
      {"ring 8 GPUs", h100_cluster(1), spec(CollectiveKind::all_reduce, iota_ranks(8), 1e9, CollectiveAlgorithm::ring)},
      {"nvls 8 GPUs", nvls, spec(CollectiveKind::all_reduce, iota_ranks(8), 1e9, CollectiveAlgorithm::in_network)},
      {"all-gather 8", h100_cluster(1), spec(CollectiveKind::all_gather, iota_ranks(8), 1e9)},
      {"reduce-scatter 8", h100_cluster(1), spec(CollectiveKind::reduce_scatter, iota_ranks(8), 1e9)},
      {"broadcast 8", h100_cluster(1), spec(CollectiveKind::broadcast, iota_ranks(8), 1e9)},
      {"all-to-all 8", h100_cluster(1), spec(CollectiveKind::all_to_all, iota_ranks(8), 1e9)},
      {"ring 4 nodes", h100_cluster(4), spec(CollectiveKind::all_reduce, iota_ranks(32), 1e9, CollectiveAlgorithm::ring)},
      {"hierarchical 4 nodes", h100_cluster(4),
       spec(CollectiveKind::all_reduce, iota_ranks(32), 1e9, CollectiveAlgorithm::hierarchical)},
      {"tree 4 nodes", h100_cluster(4),
       spec(CollectiveKind::all_reduce, iota_ranks(32), 1e9, CollectiveAlgorithm::double_binary_tree)},
      {"all-to-all 4 nodes", h100_cluster(4), spec(CollectiveKind::all_to_all, iota_ranks(32), 1e9)},
      {"all-gather 4 nodes hier", h100_cluster(4),
       spec(CollectiveKind::all_gather, iota_ranks(32), 1e9, CollectiveAlgorithm::hierarchical)},
      {"ring rail 16 nodes", rail, spec(CollectiveKind::all_reduce, iota_ranks(128), 1e9, CollectiveAlgorithm::ring)},
      {"ring pcie 2 nodes", pcie, spec(CollectiveKind::all_reduce, iota_ranks(16), 1e9, CollectiveAlgorithm::ring)},
      {"send/recv", h100_cluster(2), spec(CollectiveKind::send_recv, {1, 12}, 1e9)},
      {"small ring", h100_cluster(1), spec(CollectiveKind::all_reduce, iota_ranks(8), 1e5, CollectiveAlgorithm::ring)},
  };
  for (const auto& c : cases) {
    const std::string name = c.name;
    CAPTURE(name);
    const auto f = build_fabric(c.cluster);
    const double closed = estimate_collective(*f, c.spec).seconds;
    const double flows = simulate(f, c.spec);
    CHECK(flows == rel(closed, 0.05));
  }
}

TEST_CASE("two all-reduces sharing an oversubscribed spine each get the max-min share") {
  auto c = h100_cluster(2);
  c.fabric.oversubscription = 8.0;
  c.fabric.switch_radix = 9;  // 8 down, 1 up: one node per leaf, one spine
  const auto f = build_fabric(c);
  REQUIRE(f->leaf_count() == 2);
  REQUIRE(f->spine_count() == 1);
  const double uplink = f->leaf_uplink_capacity(0);
  CHECK(uplink == rel(8 * f->nic_bandwidth() / 8));
  const auto a = spec(CollectiveKind::all_reduce, {0, 1, 2, 3, 8, 9, 10, 11}, 2e9, CollectiveAlgorithm::ring);
  const auto b = spec(CollectiveKind::all_reduce, {4, 5, 6, 7, 12, 13, 14, 15}, 2e9, CollectiveAlgorithm::ring);
  const double alone = simulate(f, a);
  Engine engine;
  NetworkSim net(engine, f);
  Recorder rec;
  net.start_collective(a, rec.handler(), 1);
  net.start_collective(b, rec.handler(), 2);
  engine.run(SimTime::from_ms(1));
  // every flow crossing the spine gets uplink / 8 (4 rings of each all-reduce per direction)
  int crossing = 0;
  const FlowNetwork& fl = net.flows();
  int spine_link = -1;
  for (std::size_t l = 0; l < f->links().size(); ++l) {
    const auto& lk = f->links()[l];
    if (f->vertex(lk.from).kind == VertexKind::leaf && f->vertex(lk.to).kind == VertexKind::spine &&
        f->vertex(lk.from).index == 0) {
      spine_link = static_cast<int>(l);
    }
  }
  REQUIRE(spine_link >= 0);
  CHECK(fl.link_load(spine_link) == rel(uplink, 1e-6));
  CHECK(fl.link_flow_counts()[static_cast<std::size_t>(spine_link)] == 8);
  for (int id = 0; id < 4096; ++id) {
    if (!fl.active(id)) continue;
    for (int l : fl.path(id)) {
      if (l == spine_link) {
        ++crossing;
        CHECK(fl.rate(id) == rel(uplink / 8));
      }
    }
  }
  CHECK(crossing == 8);
  engine.run();
  const double ta = rec.seconds(1), tb = rec.seconds(2);
  CHECK(ta == rel(tb, 0.01));
  // each gets half the spine: the (dominant) bandwidth part of the time doubles
  CHECK(ta / alone == rel(2.0, 0.05));
}

TEST_CASE("an 8:1 oversubscribed fat tree slows an all-to-all as theory says") {
  // Theory (fluid, evenly spread uplinks): non-blocking, each NIC sends (n - 8)/n x S;
  // at 8:1 each leaf (two nodes, 16 GPUs) sends 16 (n - 16)/n x S over 1/8 of its NICs' rate.
  auto c = h100_cluster(16);
  c.fabric.adaptive_routing = true;  // even spreading over the uplinks, as the theory assumes
  c.fabric.switch_radix = 16;        // 8 down, 8 up: one node per leaf, non-blocking
  const auto flat = build_fabric(c);
  c.fabric.oversubscription = 8.0;
  c.fabric.switch_radix = 18;  // 16 down, 2 up: two nodes per leaf, 8:1
  const auto over = build_fabric(c);
  REQUIRE(over->leaf_count() == 8);
  const auto s = spec(CollectiveKind::all_to_all, iota_ranks(128), 1e9);
  const double t1 = simulate(flat, s);
  const double t8 = simulate(over, s);
  const double n = 128, S = 1e9, nic = flat->nic_bandwidth();
  const double theory1 = (n - 8) / n * S / nic;
  const double theory8 = 16 * (n - 16) / n * S / (16 * nic / 8);
  CHECK(t1 == rel(theory1, 0.05));
  CHECK(t8 == rel(theory8, 0.05));
  CHECK(t8 / t1 == rel(theory8 / theory1, 0.05));
  // With hashed ECMP instead, collisions on the uplinks make it slower still.
  c.fabric.adaptive_routing = false;
  const double t8_ecmp = simulate(build_fabric(c), s);
  CHECK(t8_ecmp >= t8 * 0.999);
}

TEST_CASE("concurrent transfers on one NIC share it; the engine sees each completion") {
  const auto f = build_fabric(h100_cluster(2));
  Engine engine;
  NetworkSim net(engine, f);
  Recorder rec;
  // GPU 0 -> node 1 twice through the same NIC: each at half rate; the shorter one ends first
  net.start_transfer(0, 8, 1e9, rec.handler(), 1);
  net.start_transfer(0, 8, 2e9, rec.handler(), 2);
  engine.run();
  const double nic = f->nic_bandwidth();
  CHECK(rec.seconds(1) == rel(2e9 / nic, 0.01));
  CHECK(rec.seconds(2) == rel(3e9 / nic, 0.01));
  CHECK(net.stats().rate_updates >= 3);
}
