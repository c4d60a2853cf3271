// Topology builders and routing: shapes, capacities, shortest paths, ECMP determinism.
#include <doctest/doctest.h>

#include <set>

#include "sim/core/error.hpp"
#include "sim/hw/network.hpp"
#include "sim/hw/topology.hpp"
#include "tests/network/network_fixtures.hpp"

using namespace cs::hw;
using cs::hw::testing::h100_cluster;
using cs::hw::testing::rel;

namespace {
int count_kind(const Fabric& f, VertexKind k) {
  int n = 0;
  for (int v = 0; v < f.vertex_count(); ++v) n += f.vertex(v).kind == k ? 1 : 0;
  return n;
}
std::vector<int> path_of(const Fabric& f, int a, int b, std::uint64_t key = 7) {
  std::vector<int> p;
  f.route(a, b, key, p);
  return p;
}
void check_connected(const Fabric& f, const std::vector<int>& path, int a, int b) {
  REQUIRE(!path.empty());
  CHECK(f.link(path.front()).from == f.endpoint_vertex(a));
  CHECK(f.link(path.back()).to == f.endpoint_vertex(b));
  for (std::size_t i = 1; i < path.size(); ++i) CHECK(f.link(path[i - 1]).to == f.link(path[i]).from);
}
}  // namespace

TEST_CASE("NVSwitch node: star through one switch, all-to-all at the NVLink rate") {
  const auto f = build_fabric(h100_cluster(1));
  CHECK(f->accelerators() == 8);
  CHECK(count_kind(*f, VertexKind::scale_up_switch) == 1);
  CHECK(f->links().size() == 16);
  CHECK(!f->has_scale_out());
  const auto p = path_of(*f, 0, 5);
  CHECK(p.size() == 2);
  check_connected(*f, p, 0, 5);
  CHECK(f->link(p[0]).line_rate == rel(450e9));
  CHECK(f->link(p[0]).capacity == rel(450e9 * f->profile().scale_up_efficiency));
  CHECK(f->shortest_hops(f->endpoint_vertex(0), f->endpoint_vertex(5)) == 2);
}

TEST_CASE("PCIe node: GPUs and NICs share the PCIe switch") {
  auto c = h100_cluster(2);
  c.node.scale_up.kind = ScaleUpKind::pcie;
  c.node.scale_up.in_network_reduction = false;
  const auto f = build_fabric(c);
  CHECK(count_kind(*f, VertexKind::pcie_switch) == 2);
  const auto p = path_of(*f, 1, 2);
  CHECK(p.size() == 2);
  CHECK(f->link(p[0]).kind == LinkKind::pcie);
  CHECK(f->link(p[0]).line_rate == rel(63e9));
  const auto q = path_of(*f, 1, 9);  // other node: gpu-pcie-nic-leaf-nic-pcie-gpu
  check_connected(*f, q, 1, 9);
  CHECK(q.size() == 6);
}

TEST_CASE("NVL72-style rack: one scale-up domain of 72 across the rack") {
  ClusterSpec c = h100_cluster(1);
  c.node.accelerators = 72;
  c.node.scale_up.domain_size = 72;
  c.node.scale_up.bandwidth_per_accelerator = 900e9;
  c.accelerators = 72;
  const auto f = build_fabric(c);
  CHECK(f->domain_size() == 72);
  CHECK(count_kind(*f, VertexKind::scale_up_switch) == 1);
  CHECK(path_of(*f, 3, 70).size() == 2);
  CHECK(f->scale_up_line_rate() == rel(900e9));
}

TEST_CASE("torus: wrap-around links, minimal routes, dimensions from the spec") {
  ClusterSpec c = h100_cluster(1);
  c.node.accelerators = 4;
  c.node.scale_up.kind = ScaleUpKind::torus;
  c.node.scale_up.domain_size = 64;
  c.node.scale_up.torus_dims = {4, 4, 4};
  c.node.scale_up.bandwidth_per_accelerator = 6 * 50e9;
  c.nodes = 16;
  c.accelerators = 64;
  c.fabric.topology = FabricTopology::tpu_pod;
  const auto f = build_fabric(c);
  CHECK(f->torus_dims() == std::vector<int>{4, 4, 4});
  int ici = 0;
  for (const auto& l : f->links()) ici += l.kind == LinkKind::ici ? 1 : 0;
  CHECK(ici == 64 * 3 * 2);  // 3 dims, one duplex per chip and dim
  // (0,0,0) -> (3,0,0) is one hop over the wrap link
  CHECK(path_of(*f, 0, 3).size() == 1);
  for (int dst : {5, 21, 42, 63}) {
    for (std::uint64_t key : {1u, 2u, 3u}) {
      const auto p = path_of(*f, 0, dst, key);
      check_connected(*f, p, 0, dst);
      CHECK(static_cast<int>(p.size()) == f->shortest_hops(f->endpoint_vertex(0), f->endpoint_vertex(dst)));
    }
  }
  // 2D torus derived when dims do not match: 16 chips -> 4x4
  ClusterSpec d = c;
  d.node.scale_up.domain_size = 16;
  d.node.scale_up.torus_dims = {4, 4};
  d.accelerators = 16;
  d.nodes = 4;
  CHECK(build_fabric(d)->torus_dims() == std::vector<int>{4, 4});
}

TEST_CASE("two-tier fat tree: leaves, spines, shortest up/down paths, deterministic ECMP") {
  const auto f = build_fabric(h100_cluster(64));
  // radix 64, non-blocking: 32 down ports -> 4 nodes per leaf, 16 leaves, 32 spines
  CHECK(f->leaf_count() == 16);
  CHECK(f->spine_count() == 32);
  CHECK(f->core_count() == 0);
  CHECK(f->leaf_uplink_capacity(0) == rel(32 * 50e9 * f->profile().nic_efficiency));
  const int a = 0, b = 8 * 40 + 3;  // node 0 (leaf 0) to node 40 (leaf 10)
  const auto p = path_of(*f, a, b, 11);
  check_connected(*f, p, a, b);
  CHECK(static_cast<int>(p.size()) == f->shortest_hops(f->endpoint_vertex(a), f->endpoint_vertex(b)));
  CHECK(path_of(*f, a, b, 11) == p);  // same flow, same path
  std::set<int> spines;
  for (std::uint64_t key = 0; key < 200; ++key) spines.insert(f->link(path_of(*f, a, b, key)[2]).to);
  CHECK(spines.size() > 20);  // hashing spreads flows over the 32 spines
  // same node stays on NVLink
  CHECK(path_of(*f, 8, 13).size() == 2);
}

TEST_CASE("three-tier fat tree: pods and cores; paths across pods are shortest") {
  auto c = h100_cluster(256);
  c.fabric.tiers = 3;
  const auto f = build_fabric(c);
  CHECK(f->leaf_count() == 64);
  CHECK(f->spine_count() == 2 * 32);  // 2 pods of 32 leaves
  CHECK(f->core_count() > 0);
  const int a = 0, b = 8 * 200 + 1;
  const auto p = path_of(*f, a, b);
  check_connected(*f, p, a, b);
  CHECK(p.size() == 8);
  CHECK(static_cast<int>(p.size()) == f->shortest_hops(f->endpoint_vertex(a), f->endpoint_vertex(b)));
}

TEST_CASE("oversubscription: leaf uplinks carry downlink / ratio") {
  auto c = h100_cluster(64);
  c.fabric.oversubscription = 8.0;
  const auto f = build_fabric(c);
  CHECK(f->leaf_uplink_ratio() == rel(1.0 / 8));
  double down = 0;
  for (const auto& l : f->links()) {
    if (l.kind == LinkKind::access && f->vertex(l.to).kind == VertexKind::leaf && f->vertex(l.to).index == 0) down += l.capacity;
  }
  CHECK(f->leaf_uplink_capacity(0) == rel(down / 8));
  c.fabric.oversubscription = 0.5;
  CHECK_THROWS_AS(build_fabric(c), cs::InputError);
}

TEST_CASE("rail-optimised: NIC i on rail i, cross-rail traffic goes over NVLink first (PXN)") {
  const auto f = build_fabric(h100_cluster(64, FabricTopology::rail_optimized));
  // 32 nodes per rail leaf -> 2 groups x 8 rails
  CHECK(f->leaf_count() == 16);
  CHECK(f->leaf_of_nic(f->nic_of(8 * 5 + 3)) == 3);
  CHECK(f->leaf_of_nic(f->nic_of(8 * 40 + 3)) == 8 + 3);
  const int a = 0, b = 8 * 5 + 3;  // gpu 0 of node 0 -> gpu 3 of node 5, same rail group
  const auto p = path_of(*f, a, b);
  check_connected(*f, p, a, b);
  CHECK(f->link(p[0]).kind == LinkKind::scale_up);  // to the NVSwitch
  CHECK(f->link(p[1]).kind == LinkKind::scale_up);  // to gpu 3
  CHECK(f->vertex(f->link(p[3]).to).kind == VertexKind::leaf);
  CHECK(f->vertex(f->link(p[3]).to).index == 3);  // rail 3 leaf, no spine needed
  CHECK(p.size() == 6);
}

TEST_CASE("storage servers are endpoints on their own leaves") {
  auto c = h100_cluster(8);
  StorageAttachment st;
  st.tier.name = "fs";
  st.tier.network_ports = 2;
  st.tier.port_rate = 50e9;
  st.servers = 4;
  c.storage = st;
  const auto f = build_fabric(c);
  CHECK(f->storage_servers() == 4);
  CHECK(f->endpoints() == 64 + 4);
  const auto p = path_of(*f, 64, 9);
  check_connected(*f, p, 64, 9);
  CHECK(f->link(p[0]).line_rate == rel(100e9));
}

TEST_CASE("bad clusters are input errors") {
  auto c = h100_cluster(4);
  c.node.nics = 0;
  CHECK_THROWS_AS(build_fabric(c), cs::InputError);
  auto d = h100_cluster(1);
  d.node.scale_up.bandwidth_per_accelerator = 0;
  d.accelerator.scale_up.bandwidth_per_direction = 0;
  CHECK_THROWS_AS(build_fabric(d), cs::InputError);
}
