#include "loaders/profile_loader.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "loaders/calibration_profile.hpp"

namespace cs::load {
namespace {

hw::Price read_price_object(const Node& node, Dimension dim) {
  hw::Price p;
  if (!node.is_object()) {
    p.value = node.as_quantity(dim);
    return p;
  }
  ObjectReader r(node);
  p.value = r.required("value", "the price").as_quantity(dim);
  p.estimate = r.bool_or("estimate", true);
  p.source = r.required("source", "where the figure comes from").as_nonempty_string();
  p.date = r.required("date", "when it was published, e.g. \"2024-06\"").as_nonempty_string();
  r.finish();
  return p;
}

struct Common {
  std::string name;
  std::string display_name;
  std::vector<hw::Source> sources;
  hw::Confidence confidence = hw::Confidence::medium;
  std::string notes;
};

Common read_common(ObjectReader& r) {
  Common c;
  c.name = r.required("name", "the catalog name, e.g. \"h100-sxm\"").as_nonempty_string();
  c.display_name = r.string_or("display_name", c.name);
  c.sources = read_sources(r.required("sources", "a list of {title, url, date}"));
  c.confidence = read_confidence(r.required("confidence", "\"high\", \"medium\" or \"low\""));
  c.notes = r.string_or("notes", "");
  return c;
}

template <class Spec>
void assign_common(Spec& spec, const Common& c, const std::string& file) {
  spec.name = c.name;
  spec.display_name = c.display_name;
  spec.sources = c.sources;
  spec.confidence = c.confidence;
  spec.notes = c.notes;
  spec.profile_file = file;
}

void read_prices(ObjectReader& r, hw::Price* purchase, hw::Price* hourly, hw::Price* monthly_per_tb = nullptr) {
  auto prices = r.optional("prices");
  if (!prices) return;
  ObjectReader p(*prices);
  if (purchase) {
    if (auto n = p.optional("purchase")) *purchase = read_price_object(*n, Dimension::money);
  }
  if (hourly) {
    if (auto n = p.optional("cloud_hourly")) *hourly = read_price_object(*n, Dimension::money_rate);
  }
  if (monthly_per_tb) {
    if (auto n = p.optional("monthly_per_tb")) *monthly_per_tb = read_price_object(*n, Dimension::money);
  }
  p.finish();
}

hw::AcceleratorSpec read_accelerator(ObjectReader& r, const std::string& file) {
  hw::AcceleratorSpec a;
  assign_common(a, read_common(r), file);
  a.vendor = r.required("vendor").as_nonempty_string();
  a.architecture = r.required("architecture").as_nonempty_string();
  a.kind = r.required("type", "\"gpu\" or \"tpu\"").as_enum({"gpu", "tpu"});
  a.compute_units = static_cast<int>(r.required("compute_units", "SMs, CUs or TensorCores").as_int(1, 100000));
  {
    ObjectReader peaks(r.required("peak_dense", "dense peak throughput per dtype"));
    for (hw::DType d : hw::kAllDTypes) {
      if (auto n = peaks.optional(hw::name(d))) a.peak_dense[hw::index(d)] = n->as_positive_quantity(Dimension::flop_rate);
    }
    peaks.finish();
    if (!a.supports(hw::DType::bf16) && !a.supports(hw::DType::fp16)) {
      peaks.node().fail("needs at least a \"bf16\" or \"fp16\" peak");
    }
  }
  a.supports_sparsity = r.bool_or("sparsity_2to4", false);
  {
    ObjectReader m(r.required("memory", "{capacity, bandwidth, type}"));
    a.memory_bytes = m.required("capacity").as_positive_quantity(Dimension::bytes);
    a.memory_bandwidth = m.required("bandwidth").as_positive_quantity(Dimension::bandwidth);
    a.memory_type = m.required("type", "e.g. \"HBM3\"").as_nonempty_string();
    m.finish();
  }
  a.l2_bytes = r.required("l2_cache", "last-level on-chip cache or SRAM").as_quantity(Dimension::bytes);
  {
    ObjectReader p(r.required("power", "{tdp, idle}"));
    a.tdp_watts = p.required("tdp").as_positive_quantity(Dimension::power);
    a.idle_watts = p.required("idle").as_quantity(Dimension::power, 0.0, a.tdp_watts);
    p.finish();
  }
  {
    ObjectReader s(r.required("scale_up", "{technology, links, bandwidth_per_direction}"));
    a.scale_up.technology = s.required("technology").as_enum(
        {"nvlink3", "nvlink4", "nvlink5", "ici", "infinity-fabric", "pcie", "none"});
    a.scale_up.links = static_cast<int>(s.required("links").as_int(0, 1024));
    a.scale_up.bandwidth_per_direction = s.required("bandwidth_per_direction").as_quantity(Dimension::bandwidth);
    s.finish();
  }
  {
    ObjectReader h(r.required("host_link", "{pcie_gen, lanes, bandwidth_per_direction}"));
    if (auto t = h.optional("technology")) a.host_link.technology = t->as_enum({"pcie", "nvlink-c2c"});
    a.host_link.pcie_gen = static_cast<int>(h.required("pcie_gen").as_int(1, 7));
    a.host_link.lanes = static_cast<int>(h.int_or("lanes", 16, 1, 32));
    a.host_link.bandwidth_per_direction = h.required("bandwidth_per_direction").as_positive_quantity(Dimension::bandwidth);
    h.finish();
  }
  a.kernel_launch_overhead_s = r.required("kernel_launch_overhead").as_quantity(Dimension::duration, 0.0, 1e-3);
  if (auto eff = r.optional("efficiency")) {
    ObjectReader e(*eff);
    hw::DefaultCurves& dc = a.efficiency.defaults();
    if (auto gm = e.optional("gemm_max")) {
      ObjectReader g(*gm);
      for (hw::DType d : hw::kAllDTypes) {
        if (auto n = g.optional(hw::name(d))) dc.gemm_max_by_dtype[hw::index(d)] = n->as_number(0.01, 1.0);
      }
      g.finish();
    }
    dc.gemm_max = e.number_or("gemm_max_default", dc.gemm_max, 0.01, 1.0);
    dc.tile_overhead_s = e.quantity_or("tile_overhead", Dimension::duration, dc.tile_overhead_s, 0.0, 1e-3);
    dc.k_half = e.number_or("k_half", dc.k_half, 0.0, 1e6);
    dc.mem_max = e.number_or("memory_max", dc.mem_max, 0.01, 1.0);
    dc.mem_half_bytes = e.quantity_or("memory_half_size", Dimension::bytes, dc.mem_half_bytes);
    dc.attention_factor = e.number_or("attention_factor", dc.attention_factor, 0.01, 1.0);
    dc.basis = e.string_or("basis", "");  // free text: which published figures set these numbers
    e.finish();
  }
  read_prices(r, &a.purchase, &a.cloud_hourly);
  return a;
}

hw::NodeSpec read_node(ObjectReader& r, const std::string& file) {
  hw::NodeSpec n;
  assign_common(n, read_common(r), file);
  n.vendor = r.required("vendor").as_nonempty_string();
  n.accelerator = r.required("accelerator", "catalog name of the accelerator").as_nonempty_string();
  n.accelerators = static_cast<int>(r.required("accelerators", "accelerators per node").as_int(1, 1024));
  {
    ObjectReader s(r.required("scale_up", "{kind, domain_size, bandwidth_per_accelerator, latency}"));
    const std::string kind = s.required("kind").as_enum({"nvswitch", "direct", "torus", "pcie", "none"});
    n.scale_up.kind = kind == "nvswitch" ? hw::ScaleUpKind::nvswitch
                      : kind == "direct" ? hw::ScaleUpKind::direct
                      : kind == "torus"  ? hw::ScaleUpKind::torus
                      : kind == "pcie"   ? hw::ScaleUpKind::pcie
                                         : hw::ScaleUpKind::none;
    n.scale_up.domain_size = static_cast<int>(s.int_or("domain_size", n.accelerators, 1, 1 << 20));
    n.scale_up.bandwidth_per_accelerator = s.required("bandwidth_per_accelerator").as_quantity(Dimension::bandwidth);
    n.scale_up.latency_s = s.required("latency").as_quantity(Dimension::duration, 0.0, 1e-3);
    if (auto dims = s.optional("torus_dims")) {
      for (const Node& d : dims->nonempty_items()) n.scale_up.torus_dims.push_back(static_cast<int>(d.as_int(1, 4096)));
    }
    if (n.scale_up.kind == hw::ScaleUpKind::torus && n.scale_up.torus_dims.empty()) {
      s.node().fail("a torus scale-up needs \"torus_dims\" (chips per dimension in one host)");
    }
    n.scale_up.in_network_reduction = s.bool_or("in_network_reduction", false);
    s.finish();
  }
  {
    ObjectReader nic(r.required("nics", "{model, count}"));
    n.nic = nic.required("model", "catalog name of the NIC").as_nonempty_string();
    n.nics = static_cast<int>(nic.required("count").as_int(0, 1024));
    n.nic_rate = nic.quantity_or("rate", Dimension::bandwidth, 0.0);
    nic.finish();
  }
  n.host_memory_bytes = r.required("host_memory").as_quantity(Dimension::bytes);
  n.cpu_cores = static_cast<int>(r.int_or("cpu_cores", 0, 0, 100000));
  if (auto nv = r.optional("local_nvme")) {
    ObjectReader l(*nv);
    n.local_nvme_bytes = l.required("capacity").as_quantity(Dimension::bytes);
    n.local_nvme_bandwidth = l.required("read_bandwidth").as_quantity(Dimension::bandwidth);
    l.finish();
  }
  {
    ObjectReader p(r.required("power", "{max, base}"));
    n.max_power_watts = p.required("max", "node power at full load").as_positive_quantity(Dimension::power);
    n.base_power_watts = p.required("base", "node power without accelerators").as_quantity(Dimension::power, 0.0, n.max_power_watts);
    p.finish();
  }
  n.rack_units = static_cast<int>(r.int_or("rack_units", 0, 0, 64));
  read_prices(r, &n.purchase, &n.cloud_hourly);
  return n;
}

hw::NicSpec read_nic(ObjectReader& r, const std::string& file) {
  hw::NicSpec n;
  assign_common(n, read_common(r), file);
  n.technology = r.required("technology").as_enum({"infiniband", "roce", "ethernet", "dcn"});
  n.generation = r.required("generation").as_nonempty_string();
  n.ports = static_cast<int>(r.int_or("ports", 1, 1, 8));
  n.port_rate = r.required("port_rate").as_positive_quantity(Dimension::bandwidth);
  n.latency_s = r.required("latency").as_quantity(Dimension::duration, 0.0, 1e-3);
  n.power_watts = r.required("power").as_quantity(Dimension::power);
  read_prices(r, &n.purchase, nullptr);
  return n;
}

hw::SwitchSpec read_switch(ObjectReader& r, const std::string& file) {
  hw::SwitchSpec s;
  assign_common(s, read_common(r), file);
  s.technology = r.required("technology").as_enum({"infiniband", "roce", "ethernet", "nvlink", "dcn"});
  s.radix = static_cast<int>(r.required("radix", "ports at port_rate").as_int(2, 4096));
  s.port_rate = r.required("port_rate").as_positive_quantity(Dimension::bandwidth);
  s.latency_s = r.required("latency").as_quantity(Dimension::duration, 0.0, 1e-3);
  s.power_watts = r.required("power").as_quantity(Dimension::power);
  s.in_network_reduction = r.bool_or("in_network_reduction", false);
  s.rack_units = static_cast<int>(r.int_or("rack_units", 1, 0, 64));
  read_prices(r, &s.purchase, nullptr);
  return s;
}

hw::LinkMediumSpec read_link_medium(ObjectReader& r, const std::string& file) {
  hw::LinkMediumSpec l;
  assign_common(l, read_common(r), file);
  l.kind = r.required("medium").as_enum({"dac", "aoc", "optics"});
  l.rate = r.required("rate").as_positive_quantity(Dimension::bandwidth);
  l.reach_m = r.required("reach_m").as_number(0.0, 1e5);
  l.power_watts = r.required("power").as_quantity(Dimension::power);
  read_prices(r, &l.purchase, nullptr);
  return l;
}

hw::StorageSpec read_storage(ObjectReader& r, const std::string& file) {
  hw::StorageSpec s;
  assign_common(s, read_common(r), file);
  const std::string tier = r.required("tier").as_enum({"local_nvme", "parallel_fs", "object_store"});
  s.kind = tier == "local_nvme" ? hw::StorageKind::local_nvme
           : tier == "object_store" ? hw::StorageKind::object_store
                                    : hw::StorageKind::parallel_fs;
  s.read_bandwidth = r.required("read_bandwidth").as_positive_quantity(Dimension::bandwidth);
  s.write_bandwidth = r.required("write_bandwidth").as_positive_quantity(Dimension::bandwidth);
  s.latency_s = r.required("latency").as_quantity(Dimension::duration, 0.0, 10.0);
  s.capacity_bytes = r.required("capacity").as_quantity(Dimension::bytes);
  s.power_watts = r.required("power").as_quantity(Dimension::power);
  if (auto net = r.optional("network")) {
    ObjectReader n(*net);
    s.network_ports = static_cast<int>(n.required("ports").as_int(0, 256));
    s.port_rate = n.required("port_rate").as_quantity(Dimension::bandwidth);
    n.finish();
  }
  read_prices(r, &s.purchase, nullptr, &s.monthly_per_tb);
  return s;
}

template <class Map, class Spec>
void insert_unique(Map& map, Spec spec, const Node& name_node) {
  auto [it, inserted] = map.emplace(spec.name, std::move(spec));
  if (!inserted) {
    name_node.fail("duplicate profile name \"" + it->first + "\" (also defined in " + it->second.profile_file + ")");
  }
}

}  // namespace

hw::Price read_price(const Node& node, Dimension dim) { return read_price_object(node, dim); }

std::vector<hw::Source> read_sources(const Node& node) {
  std::vector<hw::Source> out;
  for (const Node& item : node.nonempty_items()) {
    ObjectReader r(item);
    hw::Source s;
    s.title = r.required("title").as_nonempty_string();
    s.url = r.string_or("url", "");
    s.date = r.required("date", "e.g. \"2023-05\"").as_nonempty_string();
    r.finish();
    out.push_back(std::move(s));
  }
  return out;
}

hw::Confidence read_confidence(const Node& node) {
  const std::string c = node.as_enum({"high", "medium", "low"});
  return c == "high" ? hw::Confidence::high : c == "low" ? hw::Confidence::low : hw::Confidence::medium;
}

void add_profile(hw::HardwareCatalog& catalog, const Document& doc) {
  ObjectReader r(Node::root(doc));
  const Node version = r.required("schema_version", "the integer 1");
  if (version.as_int(1, 1000) != kProfileSchemaVersion) {
    version.fail("unsupported schema_version; this clustersim reads version " + std::to_string(kProfileSchemaVersion));
  }
  const std::string kind =
      r.required("kind").as_enum({"accelerator", "node", "nic", "switch", "link_medium", "storage"});
  const Node name_node = r.required("name");
  if (kind == "accelerator") {
    insert_unique(catalog.accelerators, read_accelerator(r, doc.file), name_node);
  } else if (kind == "node") {
    insert_unique(catalog.nodes, read_node(r, doc.file), name_node);
  } else if (kind == "nic") {
    insert_unique(catalog.nics, read_nic(r, doc.file), name_node);
  } else if (kind == "switch") {
    insert_unique(catalog.switches, read_switch(r, doc.file), name_node);
  } else if (kind == "link_medium") {
    insert_unique(catalog.link_media, read_link_medium(r, doc.file), name_node);
  } else {
    insert_unique(catalog.storage, read_storage(r, doc.file), name_node);
  }
  r.finish();
}

hw::HardwareCatalog load_catalog(const std::filesystem::path& dir, MeasuredProfiles measured) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) throw InputError(dir.string(), "", "hardware profile folder not found");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    const auto rel = std::filesystem::relative(entry.path(), dir);
    if (!rel.empty() && *rel.begin() == "measured") continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // deterministic order, deterministic errors
  hw::HardwareCatalog catalog;
  for (const auto& f : files) add_profile(catalog, read_json_file(f));
  // Cross references: nodes name an accelerator and a NIC that must exist.
  for (const auto& [name, node] : catalog.nodes) {
    if (!catalog.accelerators.count(node.accelerator)) {
      throw InputError(node.profile_file, "/accelerator",
                       "node \"" + name + "\" names unknown accelerator \"" + node.accelerator + "\"");
    }
    if (node.nics > 0 && !catalog.nics.count(node.nic)) {
      throw InputError(node.profile_file, "/nics/model", "node \"" + name + "\" names unknown NIC \"" + node.nic + "\"");
    }
  }
  for (auto& [name, node] : catalog.nodes) {
    if (node.nic_rate == 0.0 && node.nics > 0) node.nic_rate = catalog.nics.at(node.nic).port_rate;
  }
  if (measured == MeasuredProfiles::apply) apply_calibration(catalog, dir / "measured");
  return catalog;
}

}  // namespace cs::load

// ---------------------------------------------------------------------------------------
// Writing profiles back as JSON (the inverse of the readers above).
namespace cs::load {
namespace {

OrderedJson price_json(const hw::Price& p) {
  if (p.source.empty() && p.date.empty()) return p.value;
  return OrderedJson{{"value", p.value}, {"estimate", p.estimate}, {"source", p.source}, {"date", p.date}};
}

void put_prices(OrderedJson& j, const hw::Price* purchase, const hw::Price* hourly, const hw::Price* monthly = nullptr) {
  OrderedJson prices = OrderedJson::object();
  if (purchase && purchase->known()) prices["purchase"] = price_json(*purchase);
  if (hourly && hourly->known()) prices["cloud_hourly"] = price_json(*hourly);
  if (monthly && monthly->known()) prices["monthly_per_tb"] = price_json(*monthly);
  if (!prices.empty()) j["prices"] = std::move(prices);
}

template <class Spec>
OrderedJson common_head(const Spec& s, const char* kind) {
  OrderedJson j = OrderedJson::object();
  j["schema_version"] = kProfileSchemaVersion;
  j["kind"] = kind;
  j["name"] = s.name;
  j["display_name"] = s.display_name;
  return j;
}

template <class Spec>
void common_tail(OrderedJson& j, const Spec& s) {
  OrderedJson sources = OrderedJson::array();
  for (const auto& src : s.sources) {
    OrderedJson one{{"title", src.title}};
    if (!src.url.empty()) one["url"] = src.url;
    one["date"] = src.date;
    sources.push_back(std::move(one));
  }
  j["sources"] = std::move(sources);
  j["confidence"] = std::string(hw::to_string(s.confidence));
  if (!s.notes.empty()) j["notes"] = s.notes;
  if (!s.profile_file.empty()) j["_profile_file"] = s.profile_file;
}

}  // namespace

OrderedJson to_profile_json(const hw::AcceleratorSpec& a) {
  OrderedJson j = common_head(a, "accelerator");
  j["vendor"] = a.vendor;
  j["architecture"] = a.architecture;
  j["type"] = a.kind;
  j["compute_units"] = a.compute_units;
  OrderedJson peaks = OrderedJson::object();
  for (hw::DType d : hw::kAllDTypes) {
    if (a.supports(d)) peaks[std::string(hw::name(d))] = a.peak_dense[hw::index(d)];
  }
  j["peak_dense"] = std::move(peaks);
  j["sparsity_2to4"] = a.supports_sparsity;
  j["memory"] = {{"capacity", a.memory_bytes}, {"bandwidth", a.memory_bandwidth}, {"type", a.memory_type}};
  j["l2_cache"] = a.l2_bytes;
  j["power"] = {{"tdp", a.tdp_watts}, {"idle", a.idle_watts}};
  j["scale_up"] = {{"technology", a.scale_up.technology},
                   {"links", a.scale_up.links},
                   {"bandwidth_per_direction", a.scale_up.bandwidth_per_direction}};
  j["host_link"] = {{"technology", a.host_link.technology},
                    {"pcie_gen", a.host_link.pcie_gen},
                    {"lanes", a.host_link.lanes},
                    {"bandwidth_per_direction", a.host_link.bandwidth_per_direction}};
  j["kernel_launch_overhead"] = a.kernel_launch_overhead_s;
  const hw::DefaultCurves& dc = a.efficiency.defaults();
  OrderedJson eff = OrderedJson::object();
  OrderedJson gm = OrderedJson::object();
  for (hw::DType d : hw::kAllDTypes) {
    if (dc.gemm_max_by_dtype[hw::index(d)] > 0) gm[std::string(hw::name(d))] = dc.gemm_max_by_dtype[hw::index(d)];
  }
  if (!gm.empty()) eff["gemm_max"] = std::move(gm);
  eff["gemm_max_default"] = dc.gemm_max;
  eff["tile_overhead"] = dc.tile_overhead_s;
  if (dc.k_half > 0) eff["k_half"] = dc.k_half;
  eff["memory_max"] = dc.mem_max;
  eff["memory_half_size"] = dc.mem_half_bytes;
  eff["attention_factor"] = dc.attention_factor;
  if (!dc.basis.empty()) eff["basis"] = dc.basis;
  j["efficiency"] = std::move(eff);
  put_prices(j, &a.purchase, &a.cloud_hourly);
  common_tail(j, a);
  j["_compute_times"] = a.efficiency.describe();
  return j;
}

OrderedJson to_profile_json(const hw::NodeSpec& n) {
  OrderedJson j = common_head(n, "node");
  j["vendor"] = n.vendor;
  j["accelerator"] = n.accelerator;
  j["accelerators"] = n.accelerators;
  OrderedJson su{{"kind", std::string(hw::to_string(n.scale_up.kind))},
          {"domain_size", n.scale_up.domain_size},
          {"bandwidth_per_accelerator", n.scale_up.bandwidth_per_accelerator},
          {"latency", n.scale_up.latency_s}};
  if (!n.scale_up.torus_dims.empty()) su["torus_dims"] = n.scale_up.torus_dims;
  su["in_network_reduction"] = n.scale_up.in_network_reduction;
  j["scale_up"] = std::move(su);
  j["nics"] = {{"model", n.nic}, {"count", n.nics}, {"rate", n.nic_rate}};
  j["host_memory"] = n.host_memory_bytes;
  j["cpu_cores"] = n.cpu_cores;
  if (n.local_nvme_bytes > 0 || n.local_nvme_bandwidth > 0) {
    j["local_nvme"] = {{"capacity", n.local_nvme_bytes}, {"read_bandwidth", n.local_nvme_bandwidth}};
  }
  j["power"] = {{"max", n.max_power_watts}, {"base", n.base_power_watts}};
  j["rack_units"] = n.rack_units;
  put_prices(j, &n.purchase, &n.cloud_hourly);
  common_tail(j, n);
  return j;
}

OrderedJson to_profile_json(const hw::NicSpec& n) {
  OrderedJson j = common_head(n, "nic");
  j["technology"] = n.technology;
  j["generation"] = n.generation;
  j["ports"] = n.ports;
  j["port_rate"] = n.port_rate;
  j["latency"] = n.latency_s;
  j["power"] = n.power_watts;
  put_prices(j, &n.purchase, nullptr);
  common_tail(j, n);
  return j;
}

OrderedJson to_profile_json(const hw::SwitchSpec& s) {
  OrderedJson j = common_head(s, "switch");
  j["technology"] = s.technology;
  j["radix"] = s.radix;
  j["port_rate"] = s.port_rate;
  j["latency"] = s.latency_s;
  j["power"] = s.power_watts;
  j["in_network_reduction"] = s.in_network_reduction;
  j["rack_units"] = s.rack_units;
  put_prices(j, &s.purchase, nullptr);
  common_tail(j, s);
  return j;
}

OrderedJson to_profile_json(const hw::LinkMediumSpec& l) {
  OrderedJson j = common_head(l, "link_medium");
  j["medium"] = l.kind;
  j["rate"] = l.rate;
  j["reach_m"] = l.reach_m;
  j["power"] = l.power_watts;
  put_prices(j, &l.purchase, nullptr);
  common_tail(j, l);
  return j;
}

OrderedJson to_profile_json(const hw::StorageSpec& s) {
  OrderedJson j = common_head(s, "storage");
  j["tier"] = std::string(hw::to_string(s.kind));
  j["read_bandwidth"] = s.read_bandwidth;
  j["write_bandwidth"] = s.write_bandwidth;
  j["latency"] = s.latency_s;
  j["capacity"] = s.capacity_bytes;
  j["power"] = s.power_watts;
  if (s.network_ports > 0 || s.port_rate > 0) j["network"] = {{"ports", s.network_ports}, {"port_rate", s.port_rate}};
  put_prices(j, &s.purchase, nullptr, &s.monthly_per_tb);
  common_tail(j, s);
  return j;
}

}  // namespace cs::load
