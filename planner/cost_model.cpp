#include "planner/cost_model.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/error.hpp"

namespace cs::planner {

std::string_view to_string(Acquisition a) { return a == Acquisition::buy ? "buy" : "rent"; }

namespace {

int ceil_div(long long a, long long b) { return static_cast<int>((a + b - 1) / b); }

double node_base_watts(const hw::NodeSpec& n, const hw::AcceleratorSpec& acc) {
  if (n.base_power_watts > 0) return n.base_power_watts;
  if (n.max_power_watts > 0) return std::max(0.0, n.max_power_watts - n.accelerators * acc.tdp_watts);
  return 0.0;
}

}  // namespace

FabricBill size_fabric(const hw::ClusterSpec& c) {
  FabricBill f;
  if (c.fabric.topology == hw::FabricTopology::single_node) return f;
  const int nic_ports = c.nics_per_node() * std::max(1, c.nic.ports);
  f.endpoints = c.nodes * nic_ports;
  if (c.storage) f.endpoints += c.storage->servers * c.storage->tier.network_ports;
  if (f.endpoints == 0) return f;
  f.endpoint_links = f.endpoints;
  if (!c.fabric_switch) return f;  // cost_cluster reports the missing switch

  const int k = c.fabric_switch->radix;
  const double o = std::max(1.0, c.fabric.oversubscription);
  const int down = std::clamp(static_cast<int>(std::floor(k * o / (1.0 + o) + 1e-9)), 1, k - 1);
  const int up = k - down;
  f.leaves = ceil_div(f.endpoints, down);
  if (f.leaves == 1) {
    f.tiers = 1;
    return f;
  }
  if (f.leaves <= k && c.fabric.tiers <= 2) {
    f.tiers = 2;
    f.spines = ceil_div(static_cast<long long>(f.leaves) * up, k);
    f.switch_links = f.leaves * up;
  } else {
    // Leaf-spine pods under a core layer: spines split their radix half down, half up.
    f.tiers = 3;
    const int half = std::max(1, k / 2);
    f.spines = ceil_div(static_cast<long long>(f.leaves) * up, half);
    f.cores = ceil_div(static_cast<long long>(f.spines) * half, k);
    f.switch_links = f.leaves * up + f.spines * half;
  }
  return f;
}

CostBreakdown cost_cluster(const hw::ClusterSpec& c, const CostAssumptions& a, double utilisation) {
  if (a.amortisation_years <= 0) throw InputError("cost model: amortisation period must be positive");
  utilisation = std::clamp(utilisation, 0.0, 1.0);
  CostBreakdown b;
  b.acquisition = a.acquisition;
  b.period_years = a.amortisation_years;
  b.fabric = size_fabric(c);

  const hw::AcceleratorSpec& acc = c.accelerator;
  const hw::NodeSpec& node = c.node;
  const int installed = c.nodes * node.accelerators;
  const double acc_watts = acc.idle_watts + utilisation * (acc.tdp_watts - acc.idle_watts);
  const double base_watts = node_base_watts(node, acc);
  const int nics = c.nodes * c.nics_per_node();
  const bool fabric = b.fabric.tiers > 0;

  // Power, item by item, at the stated utilisation and at full load.
  const double w_acc = installed * acc_watts;
  const double w_base = c.nodes * base_watts;
  const double w_nic = nics * c.nic.power_watts;
  const double w_sw = fabric ? b.fabric.switches() * c.fabric_switch->power_watts : 0.0;
  const int links = b.fabric.endpoint_links + b.fabric.switch_links;
  const double w_links = (fabric && c.link_medium) ? links * c.link_medium->power_watts : 0.0;
  const double w_storage = c.storage ? c.storage->servers * c.storage->tier.power_watts : 0.0;
  b.it_power_watts = w_acc + w_base + w_nic + w_sw + w_links + w_storage;
  b.provisioned_watts = installed * acc.tdp_watts + w_base + w_nic + w_sw + w_links + w_storage;
  b.energy_kwh_per_hour = b.it_power_watts / 1000.0 * a.pue;

  if (fabric && !c.fabric_switch) {
    throw InputError("cost model: the " + std::string(hw::to_string(c.fabric.topology)) +
                     " fabric needs a switch model (set cluster.fabric.switch or plan.fabrics[].switch)");
  }

  if (a.acquisition == Acquisition::rent) {
    double rate = 0;
    std::string what;
    if (node.cloud_hourly.known()) {
      rate = node.cloud_hourly.value;
      what = "node-hours " + node.name;
    } else if (acc.cloud_hourly.known()) {
      rate = acc.cloud_hourly.value * node.accelerators;
      what = "node-hours " + node.name + " (" + std::to_string(node.accelerators) + " x " + acc.name + " hourly)";
    } else {
      throw InputError("cost model: no cloud hourly price for node " + node.name + " or accelerator " + acc.name +
                       "; set plan.costs.prices[\"" + node.name + "\"].cloud_hourly");
    }
    b.lines.push_back({what, static_cast<double>(c.nodes), rate, 0.0, w_acc + w_base + w_nic});
    b.rent_per_hour = c.nodes * rate;
    if (c.storage && c.storage->tier.monthly_per_tb.known()) {
      const double tb = a.storage_capacity_bytes / 1e12;
      const double per_hour = c.storage->tier.monthly_per_tb.value * tb * 12.0 / kHoursPerYear;
      b.lines.push_back({"storage TB-months " + c.storage->tier.name, tb, per_hour / std::max(tb, 1e-12), 0.0, 0.0});
      b.rent_per_hour += per_hour;
    }
    b.total_per_hour = b.rent_per_hour;
    return b;
  }

  // Capital items.
  auto add = [&](std::string item, double qty, const hw::Price& price, double watts) {
    if (qty <= 0) return;
    if (!price.known()) b.unpriced.push_back(item);
    b.lines.push_back({std::move(item), qty, price.value, qty * price.value, watts});
  };
  if (node.purchase.known()) {
    add("nodes " + node.name, c.nodes, node.purchase, w_acc + w_base);
  } else if (acc.purchase.known()) {
    hw::Price p = acc.purchase;
    p.value = acc.purchase.value * node.accelerators + a.server_chassis_price;
    add("nodes " + node.name + " (" + std::to_string(node.accelerators) + " x " + acc.name + " + chassis)", c.nodes,
        p, w_acc + w_base);
  } else {
    throw InputError("cost model: no purchase price for node " + node.name + " or accelerator " + acc.name +
                     "; set plan.costs.prices[\"" + node.name + "\"].purchase");
  }
  if (!a.node_price_includes_nics) add("NICs " + c.nic.name, nics, c.nic.purchase, w_nic);
  if (fabric) {
    const auto& sw = *c.fabric_switch;
    add("switches " + sw.name + " (leaf)", b.fabric.leaves, sw.purchase, b.fabric.leaves * sw.power_watts);
    add("switches " + sw.name + " (spine)", b.fabric.spines, sw.purchase, b.fabric.spines * sw.power_watts);
    add("switches " + sw.name + " (core)", b.fabric.cores, sw.purchase, b.fabric.cores * sw.power_watts);
    if (c.link_medium) add("links " + c.link_medium->name, links, c.link_medium->purchase, w_links);
  }
  if (c.storage) add("storage " + c.storage->tier.name, c.storage->servers, c.storage->tier.purchase, w_storage);
  for (const auto& l : b.lines) b.capex += l.capex;

  b.residual_value = b.capex * a.residual_fraction;
  b.amortisation_per_hour = (b.capex - b.residual_value) / (a.amortisation_years * kHoursPerYear);
  b.energy_per_hour = b.energy_kwh_per_hour * a.energy_price_per_kwh;

  int rack_units = c.nodes * node.rack_units;
  if (fabric) rack_units += b.fabric.switches() * c.fabric_switch->rack_units;
  b.racks = rack_units > 0 ? ceil_div(rack_units, std::max(1, a.rack_units_per_rack)) : 0;
  if (a.rack_power_limit_watts > 0) {
    b.racks = std::max(b.racks, static_cast<int>(std::ceil(b.provisioned_watts / a.rack_power_limit_watts - 1e-9)));
  }
  const double hosting_month = a.hosting_per_kw_month * b.provisioned_watts / 1000.0 + a.hosting_per_rack_month * b.racks;
  b.hosting_per_hour = hosting_month * 12.0 / kHoursPerYear;
  b.total_per_hour = b.amortisation_per_hour + b.energy_per_hour + b.hosting_per_hour;
  return b;
}

}  // namespace cs::planner
