// Cost model arithmetic, checked by hand on a small cluster (docs/cost-model.md).
#include <doctest/doctest.h>

#include "planner/cost_model.hpp"
#include "sim/core/error.hpp"

using namespace cs;
using namespace cs::planner;

namespace {

hw::Price price(double v) {
  hw::Price p;
  p.value = v;
  return p;
}

// 2 nodes x 8 accelerators (100 W idle, 700 W TDP), node $300k with 2 kW base power and
// 8 U; 8 NICs per node at $2k and 20 W; radix-8 switches at $30k, 500 W, 1 U; optics at
// $1k and 10 W per link.
hw::ClusterSpec small_cluster(int nodes = 2, double oversubscription = 1.0) {
  hw::ClusterSpec c;
  c.accelerator.name = "acc";
  c.accelerator.idle_watts = 100;
  c.accelerator.tdp_watts = 700;
  c.accelerator.purchase = price(25000);
  c.node.name = "node";
  c.node.accelerators = 8;
  c.node.nics = 8;
  c.node.base_power_watts = 2000;
  c.node.rack_units = 8;
  c.node.purchase = price(300000);
  c.node.cloud_hourly = price(40);
  c.nic.name = "nic";
  c.nic.power_watts = 20;
  c.nic.purchase = price(2000);
  hw::SwitchSpec sw;
  sw.name = "sw";
  sw.radix = 8;
  sw.power_watts = 500;
  sw.rack_units = 1;
  sw.purchase = price(30000);
  c.fabric_switch = sw;
  hw::LinkMediumSpec lm;
  lm.name = "optics";
  lm.power_watts = 10;
  lm.purchase = price(1000);
  c.link_medium = lm;
  c.nodes = nodes;
  c.accelerators = nodes * 8;
  c.fabric.topology = hw::FabricTopology::fat_tree;
  c.fabric.oversubscription = oversubscription;
  return c;
}

CostAssumptions assumptions() {
  CostAssumptions a;
  a.amortisation_years = 4;
  a.residual_fraction = 0.10;
  a.pue = 1.5;
  a.energy_price_per_kwh = 0.10;
  a.hosting_per_kw_month = 100;
  return a;
}

}  // namespace

TEST_CASE("fabric sizing: leaf-spine by hand") {
  // 16 NIC ports; radix 8 at 1:1 -> 4 down, 4 up per leaf; 4 leaves; 16 uplinks over
  // 8-port spines -> 2 spines; 16 endpoint links + 16 leaf-spine links.
  const FabricBill f = size_fabric(small_cluster());
  CHECK(f.endpoints == 16);
  CHECK(f.tiers == 2);
  CHECK(f.leaves == 4);
  CHECK(f.spines == 2);
  CHECK(f.cores == 0);
  CHECK(f.endpoint_links == 16);
  CHECK(f.switch_links == 16);
}

TEST_CASE("fabric sizing: oversubscription and three tiers") {
  // 3:1 -> 6 down, 2 up: 16 ports need 3 leaves, 6 uplinks -> 1 spine.
  const FabricBill o = size_fabric(small_cluster(2, 3.0));
  CHECK(o.leaves == 3);
  CHECK(o.spines == 1);
  CHECK(o.switch_links == 6);
  // 8 nodes: 64 ports -> 16 leaves > radix 8, so three tiers: 64 uplinks over spines with
  // 4 down ports -> 16 spines; their 64 up ports over 8-port cores -> 8 cores.
  const FabricBill t = size_fabric(small_cluster(8));
  CHECK(t.tiers == 3);
  CHECK(t.leaves == 16);
  CHECK(t.spines == 16);
  CHECK(t.cores == 8);
  CHECK(t.switch_links == 128);
  // One node without storage on a single_node fabric: nothing to buy.
  hw::ClusterSpec one = small_cluster(1);
  one.fabric.topology = hw::FabricTopology::single_node;
  CHECK(size_fabric(one).switches() == 0);
}

TEST_CASE("owning: capex, amortisation, energy and hosting by hand") {
  const CostBreakdown b = cost_cluster(small_cluster(), assumptions(), 0.5);
  // Capex: nodes 2 x 300k + NICs 16 x 2k + switches 6 x 30k + links 32 x 1k = 844k.
  CHECK(b.capex == doctest::Approx(844000.0));
  CHECK(b.residual_value == doctest::Approx(84400.0));
  // (844k - 84.4k) / (4 years x 8766 h)
  CHECK(b.amortisation_per_hour == doctest::Approx(759600.0 / 35064.0));
  // IT power at 50%: 16 x (100 + 0.5 x 600) + 2 x 2000 + 16 x 20 + 6 x 500 + 32 x 10 = 14040 W.
  CHECK(b.it_power_watts == doctest::Approx(14040.0));
  // x PUE 1.5 = 21.06 kWh per hour, at $0.10 -> $2.106/h.
  CHECK(b.energy_kwh_per_hour == doctest::Approx(21.06));
  CHECK(b.energy_per_hour == doctest::Approx(2.106));
  // Hosting on provisioned power: 16 x 700 + 4000 + 320 + 3000 + 320 = 18840 W = 18.84 kW
  // x $100 per kW-month = $1884/month = 1884 x 12 / 8766 per hour.
  CHECK(b.provisioned_watts == doctest::Approx(18840.0));
  CHECK(b.hosting_per_hour == doctest::Approx(1884.0 * 12.0 / 8766.0));
  CHECK(b.racks == 1);  // 2 x 8 U + 6 x 1 U = 22 U
  CHECK(b.total_per_hour == doctest::Approx(759600.0 / 35064.0 + 2.106 + 1884.0 * 12.0 / 8766.0));
  CHECK(b.total_over_period() == doctest::Approx(b.total_per_hour * 4 * 8766.0));
  CHECK(b.unpriced.empty());
}

TEST_CASE("owning: utilisation moves only the energy; NICs inside the node price are not bought twice") {
  CostAssumptions a = assumptions();
  const CostBreakdown idle = cost_cluster(small_cluster(), a, 0.0);
  const CostBreakdown busy = cost_cluster(small_cluster(), a, 1.0);
  CHECK(busy.it_power_watts - idle.it_power_watts == doctest::Approx(16 * 600.0));
  CHECK(busy.amortisation_per_hour == doctest::Approx(idle.amortisation_per_hour));
  CHECK(busy.energy_per_hour > idle.energy_per_hour);
  a.node_price_includes_nics = true;
  CHECK(cost_cluster(small_cluster(), a, 0.5).capex == doctest::Approx(844000.0 - 32000.0));
}

TEST_CASE("owning: node without a price falls back to accelerators plus chassis, rack power limit") {
  hw::ClusterSpec c = small_cluster();
  c.node.purchase = hw::Price{};
  CostAssumptions a = assumptions();
  a.server_chassis_price = 50000;
  a.rack_power_limit_watts = 10000;  // 18.84 kW provisioned -> 2 racks by power
  const CostBreakdown b = cost_cluster(c, a, 0.5);
  CHECK(b.capex == doctest::Approx(2 * (8 * 25000.0 + 50000.0) + 32000 + 180000 + 32000));
  CHECK(b.racks == 2);
  c.accelerator.purchase = hw::Price{};
  CHECK_THROWS_AS(cost_cluster(c, a, 0.5), InputError);
}

TEST_CASE("renting: node-hours at the cloud rate, no capex") {
  CostAssumptions a = assumptions();
  a.acquisition = Acquisition::rent;
  const CostBreakdown b = cost_cluster(small_cluster(), a, 0.5);
  CHECK(b.capex == 0.0);
  CHECK(b.rent_per_hour == doctest::Approx(80.0));
  CHECK(b.total_per_hour == doctest::Approx(80.0));
  hw::ClusterSpec c = small_cluster();
  c.node.cloud_hourly = hw::Price{};
  c.accelerator.cloud_hourly = price(4.5);
  CHECK(cost_cluster(c, a, 0.5).total_per_hour == doctest::Approx(2 * 8 * 4.5));
}

TEST_CASE("a missing price is reported, not silently zero") {
  hw::ClusterSpec c = small_cluster();
  c.link_medium->purchase = hw::Price{};
  const CostBreakdown b = cost_cluster(c, assumptions(), 0.5);
  REQUIRE(b.unpriced.size() == 1);
  CHECK(b.unpriced[0].find("optics") != std::string::npos);
}
