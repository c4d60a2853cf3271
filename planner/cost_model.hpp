#pragma once
// The cost model: what a cluster costs to own (or rent) and to run, per hour.
//
// Own ("buy"): capital cost of nodes (accelerators included), compute NICs, the switches and
// the links (cables / optics) of the scale-out fabric sized for the topology, and storage
// servers; amortised linearly over `amortisation_years` down to `residual_fraction` of the
// purchase price. Operating cost: IT power (accelerators at their utilisation, node base
// power, NICs, switches, link media) x PUE x energy price, plus hosting per provisioned kW
// and/or per rack. Rent: the cloud hourly rate of the nodes (network included, as clouds
// price it) plus storage per TB-month.
//
// All money in USD, power in W, energy in kWh, time in hours. docs/cost-model.md derives
// every formula; tests/planner/test_cost_model.cpp checks them by hand on a small cluster.
#include <string>
#include <vector>

#include "sim/hw/cluster.hpp"

namespace cs::planner {

inline constexpr double kHoursPerYear = 8766.0;  // a Julian year (365.25 days), as "4y" parses

enum class Acquisition { buy, rent };
std::string_view to_string(Acquisition a);

struct CostAssumptions {
  Acquisition acquisition = Acquisition::buy;
  double amortisation_years = 4.0;
  double residual_fraction = 0.0;        // of the purchase price, recovered at the end
  double pue = 1.3;                      // facility power / IT power
  double energy_price_per_kwh = 0.10;    // USD per kWh
  double hosting_per_kw_month = 0.0;     // USD per provisioned IT kW per month (colocation)
  double hosting_per_rack_month = 0.0;   // USD per rack per month
  int rack_units_per_rack = 42;
  double rack_power_limit_watts = 0.0;   // 0 = racks limited by space only
  // When a node profile has no purchase price: accelerators x their price + this chassis.
  double server_chassis_price = 0.0;
  bool node_price_includes_nics = false;  // HGX/DGX list prices often include the NICs
  double storage_capacity_bytes = 0.0;   // rent: billed capacity for storage per TB-month
};

// Switch and link counts of the scale-out fabric. Two tiers (leaf-spine) when every leaf
// can reach every spine with one port each, else three (leaf-spine-core, pods of leaves).
// Oversubscription o applies at the leaf: of its radix k ports, d = floor(k o / (1 + o))
// face the NICs and k - d face the spines. Rail-optimised fabrics use the same counts (the
// rails partition the same leaves).
struct FabricBill {
  int endpoints = 0;  // NIC ports + storage ports
  int tiers = 0;      // 0 = no scale-out fabric
  int leaves = 0;
  int spines = 0;
  int cores = 0;
  int switches() const { return leaves + spines + cores; }
  int endpoint_links = 0;  // NIC/storage to leaf
  int switch_links = 0;    // leaf to spine (+ spine to core)
};

FabricBill size_fabric(const hw::ClusterSpec& cluster);

struct CostLine {
  std::string item;        // "nodes hgx-h100", "NICs cx7-ndr-400", "switches", ...
  double quantity = 0;
  double unit_price = 0;   // USD
  double capex = 0;        // quantity x unit_price
  double watts = 0;        // IT power of these items at the stated utilisation
};

struct CostBreakdown {
  Acquisition acquisition = Acquisition::buy;
  std::vector<CostLine> lines;  // capital items (buy) or rented items (rent: unit_price = USD/h)
  FabricBill fabric;
  double capex = 0;             // USD, buy only
  double residual_value = 0;    // USD recovered at the end of the period
  double it_power_watts = 0;    // at the stated utilisation
  double provisioned_watts = 0; // at full load: what hosting is billed on
  int racks = 0;
  // USD per hour:
  double amortisation_per_hour = 0;
  double energy_per_hour = 0;
  double hosting_per_hour = 0;
  double rent_per_hour = 0;
  double total_per_hour = 0;
  double energy_kwh_per_hour = 0;  // facility energy (IT x PUE)
  double period_years = 0;
  std::vector<std::string> unpriced;  // items counted at $0 because no price is known
  double total_over_period() const { return total_per_hour * period_years * kHoursPerYear; }
};

// Cost of owning or renting `cluster` with its accelerators busy `utilisation` of the time
// (0..1; power between idle and TDP scales linearly with it). Throws InputError when a
// price the chosen acquisition needs is unknown (naming the part and how to override it).
CostBreakdown cost_cluster(const hw::ClusterSpec& cluster, const CostAssumptions& a, double utilisation);

}  // namespace cs::planner
