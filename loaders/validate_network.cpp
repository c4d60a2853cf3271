// Network validation against published collective benchmarks (validate_network.hpp).
#include "loaders/validate_network.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

#include "sim/hw/network.hpp"
#include "sim/hw/topology.hpp"

namespace cs::load {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Records whose figures set default parameters (counted, but flagged in their rows).
bool calibration_record(const std::string& id) {
  return id == "micro.azure.H100.nccl_allreduce_busbw" || id == "micro.nccl_tests.a100_8gpu_node";
}

// nccl-tests sweeps powers of two; its size labels are rounded ("65K", "132K", "33M", "1G").
// A plain integer is bytes; "1MiB" is exact.
double parse_size(const std::string& label) {
  std::size_t pos = 0;
  const double v = std::stod(label, &pos);
  std::string unit = label.substr(pos);
  if (unit.empty()) return v;
  const bool binary = unit.size() >= 3 && unit.substr(1) == "iB";
  const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(unit[0])));
  const double mult = u == 'K' ? 1e3 : u == 'M' ? 1e6 : u == 'G' ? 1e9 : u == 'T' ? 1e12 : 0.0;
  if (mult == 0) throw InputError("size label \"" + label + "\": unknown unit");
  if (binary) return v * (u == 'K' ? 1024.0 : u == 'M' ? 1048576.0 : u == 'G' ? 1073741824.0 : 1099511627776.0);
  return std::exp2(std::round(std::log2(v * mult)));
}

std::string node_for(const std::string& device) {
  const std::string d = lower(device);
  if (d.find("a100") != std::string::npos) return "dgx-a100-80gb";
  if (d.find("h100") != std::string::npos) return "dgx-h100";
  if (d.find("h200") != std::string::npos) return "hgx-h200";
  if (d.find("mi300x") != std::string::npos) return "mi300x-platform";
  return "";
}

hw::ClusterSpec cluster_of(const hw::HardwareCatalog& cat, const std::string& node_name, int nodes) {
  hw::ClusterSpec c;
  c.node = cat.node(node_name);
  c.accelerator = cat.accelerator(c.node.accelerator);
  if (!c.node.nic.empty() && cat.nics.count(c.node.nic)) c.nic = cat.nic(c.node.nic);
  c.nodes = nodes;
  c.accelerators = nodes * c.node.accelerators;
  c.fabric.topology = nodes > 1 ? hw::FabricTopology::fat_tree : hw::FabricTopology::single_node;
  c.fabric.in_network_reduction = true;  // NCCL enables NVLS wherever the hardware has it
  return c;
}

double busbw_gbps(const hw::Fabric& f, hw::CollectiveKind kind, double bytes, hw::CollectiveAlgorithm a, int ranks) {
  hw::CollectiveSpec s;
  s.kind = kind;
  s.algorithm = a;
  s.bytes = bytes;
  for (int r = 0; r < ranks; ++r) s.ranks.push_back(r);
  return hw::estimate_collective(f, s).busbw / 1e9;
}

double leading_number(const Json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return NAN;
  const std::string s = v.get<std::string>();
  std::size_t i = 0;
  while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == s.size()) return NAN;
  std::size_t used = 0;
  const double a = std::stod(s.substr(i), &used);
  const std::size_t j = i + used;
  if (j < s.size() && s[j] == '-') {  // a range "46-48": its middle
    const double b = std::stod(s.substr(j + 1));
    return (a + b) / 2;
  }
  return a;
}

ValidationRow skipped(std::string id, std::string why) {
  ValidationRow r;
  r.id = std::move(id);
  r.skipped = true;
  r.reason = std::move(why);
  return r;
}

// A busbw-by-size curve of all_reduce on one node.
void curve_rows(const std::string& id, const Json& curve, const hw::Fabric& f, int ranks, std::vector<ValidationRow>& out) {
  std::vector<std::pair<double, std::pair<std::string, double>>> points;
  for (const auto& [label, v] : curve.items()) points.push_back({parse_size(label), {label, v.get<double>()}});
  std::sort(points.begin(), points.end());
  for (const auto& [bytes, lv] : points) {
    const std::string row_id = id + "#" + lv.first;
    if (bytes < kMinValidatedBytes) {
      out.push_back(skipped(row_id, "latency-bound size below 16 MiB"));
      continue;
    }
    ValidationRow r;
    r.id = row_id;
    r.metric = "busbw_GBps";
    r.measured = lv.second;
    r.predicted = busbw_gbps(f, hw::CollectiveKind::all_reduce, bytes, hw::CollectiveAlgorithm::automatic, ranks);
    if (calibration_record(id)) r.reason = "calibration record";
    out.push_back(r);
  }
}

void validate_record(const Node& rec, const ValidationContext& ctx, std::vector<ValidationRow>& out) {
  const Json& j = rec.json();
  const std::string id = j.value("id", std::string("?"));
  const Json cfg = j.value("config", Json::object());
  const Json meas = j.value("measured", Json::object());
  const std::string device = cfg.value("device", std::string());
  const std::string node_name = node_for(device);
  if (node_name.empty()) {
    out.push_back(skipped(id, "no catalog node for device \"" + device + "\""));
    return;
  }
  if (!ctx.catalog->nodes.count(node_name)) {
    out.push_back(skipped(id, "node " + node_name + " is not in the catalog"));
    return;
  }
  if (node_name == "mi300x-platform") {
    out.push_back(skipped(id, "RCCL on the MI300X Infinity Fabric mesh is not modelled (rings over a direct mesh use "
                              "only some of its links; RCCL's mesh algorithms are not reproduced)"));
    return;
  }
  const auto one = hw::build_fabric(cluster_of(*ctx.catalog, node_name, 1));
  const int ranks = one->accelerators();
  for (const char* key : {"busbw_GBps_by_size", "busbw_GBps_by_bytes", "busbw_GBps_by_payload"}) {
    if (meas.contains(key)) curve_rows(id, meas[key], *one, ranks, out);
  }
  // One all-reduce busbw row on the record's own node, at a fixed size and algorithm.
  const auto add_allreduce = [&](const char* suffix, double measured, double bytes,
                                 hw::CollectiveAlgorithm algorithm, const char* reason) {
    ValidationRow r;
    r.id = id + suffix;
    r.metric = "busbw_GBps";
    r.measured = measured;
    r.predicted = busbw_gbps(*one, hw::CollectiveKind::all_reduce, bytes, algorithm, ranks);
    r.reason = reason;
    out.push_back(r);
  };
  if (meas.contains("busbw_16GiB_ring_NCCL_NVLS_ENABLE_0")) {
    add_allreduce("#16GiB-ring",
                  meas["busbw_16GiB_ring_NCCL_NVLS_ENABLE_0"].get<double>(), 16.0 * 1073741824,
                  hw::CollectiveAlgorithm::ring, "");
  }
  if (meas.contains("h100_8gpu_allreduce_nvls_peak_busbw_GBps")) {
    add_allreduce("#h100-nvls-peak",
                  leading_number(meas["h100_8gpu_allreduce_nvls_peak_busbw_GBps"]), 8.0 * 1073741824,
                  hw::CollectiveAlgorithm::in_network, "8 GiB taken as the peak");
  }
  if (meas.contains("h100_nvlink_effective_busbw_ring_GBps")) {
    add_allreduce("#h100-ring",
                  leading_number(meas["h100_nvlink_effective_busbw_ring_GBps"]), 8.0 * 1073741824,
                  hw::CollectiveAlgorithm::ring, "8 GiB");
  }
  if (meas.contains("ndr_400G_per_nic_expected_GBps")) {
    // Two DGX H100 on an NDR fat tree, NVLS off so the ring crosses the NICs: busbw per NIC.
    auto c = cluster_of(*ctx.catalog, "dgx-h100", 2);
    c.fabric.in_network_reduction = false;
    const auto two = hw::build_fabric(c);
    ValidationRow r;
    r.id = id + "#ndr-per-nic";
    r.metric = "busbw_GBps_per_nic";
    r.measured = leading_number(meas["ndr_400G_per_nic_expected_GBps"]);
    r.predicted = busbw_gbps(*two, hw::CollectiveKind::all_reduce, 8.0 * 1073741824, hw::CollectiveAlgorithm::ring,
                             two->accelerators()) / two->nics_per_node();
    r.reason = "calibration: nic_efficiency default";
    out.push_back(r);
  }
}

// Records that measure collectives: nccl-tests / all-reduce bus bandwidth.
bool measures_collectives(const Json& j) {
  if (j.value("kind", std::string()) != "microbench") return false;
  const std::string id = lower(j.value("id", std::string()));
  if (id.find("nccl") != std::string::npos || id.find("allreduce") != std::string::npos) return true;
  const Json meas = j.value("measured", Json::object());
  for (const auto& [k, v] : meas.items()) {
    if (lower(k).find("busbw") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::vector<ValidationRow> validate_network(const std::vector<Node>& records, const ValidationContext& ctx) {
  std::vector<ValidationRow> rows;
  if (!ctx.catalog) throw InputError("network validation needs the hardware catalog");
  for (const Node& rec : records) {
    if (!rec.is_object() || !measures_collectives(rec.json())) continue;
    const std::string id = rec.json().value("id", std::string("?"));
    try {
      validate_record(rec, ctx, rows);
    } catch (const InputError& e) {
      rows.push_back(skipped(id, e.what()));
    }
  }
  return rows;
}

}  // namespace cs::load
