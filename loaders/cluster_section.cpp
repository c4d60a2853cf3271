#include "loaders/cluster_section.hpp"

#include <fmt/format.h>

#include "loaders/catalog_lookup.hpp"
#include "loaders/network_options.hpp"
#include "sim/core/error.hpp"

namespace cs::load {
namespace {

void apply_price(ObjectReader& prices, std::string_view key, Dimension dim, hw::Price& price) {
  if (auto v = prices.optional(key)) {
    price.value = v->as_positive_quantity(dim);
    price.overridden = true;
    price.estimate = false;
    price.source = "scenario override";
    price.date.clear();
  }
}

hw::FabricSpec read_fabric(const Node& node, const hw::HardwareCatalog& catalog, hw::ClusterSpec& c) {
  ObjectReader r(node);
  hw::FabricSpec f;
  if (auto t = r.optional("topology")) f.topology = parse_fabric_topology(*t);
  f.tiers = static_cast<int>(r.int_or("tiers", 2, 2, 3));
  f.oversubscription = r.number_or("oversubscription", 1.0, 1.0, 64.0);
  if (auto n = r.optional("nic")) {
    f.nic_model = n->as_nonempty_string();
    if (!catalog.nics.count(f.nic_model)) fail_unknown(*n, "NIC", f.nic_model, catalog.nics);
    c.nic = catalog.nic(f.nic_model);
  }
  f.nics_per_node = static_cast<int>(r.int_or("nics_per_node", 0, 0, 64));
  if (auto s = r.optional("switch")) {
    f.switch_model = s->as_nonempty_string();
    if (!catalog.switches.count(f.switch_model)) fail_unknown(*s, "switch", f.switch_model, catalog.switches);
    c.fabric_switch = catalog.network_switch(f.switch_model);
  }
  if (auto m = r.optional("link_medium")) {
    f.link_medium = m->as_nonempty_string();
    if (!catalog.link_media.count(f.link_medium)) fail_unknown(*m, "link medium", f.link_medium, catalog.link_media);
    c.link_medium = catalog.link_medium(f.link_medium);
  }
  f.nic_efficiency = r.number_or("nic_efficiency", 0.0, 0.0, 1.0);
  f.in_network_reduction = r.bool_or("in_network_reduction", false);
  read_network_options(r, f);
  r.finish();
  return f;
}

}  // namespace

hw::FabricTopology parse_fabric_topology(const Node& node) {
  const std::string t = node.as_enum({"single_node", "fat_tree", "rail_optimized", "tpu_pod"});
  if (t == "fat_tree") return hw::FabricTopology::fat_tree;
  if (t == "rail_optimized") return hw::FabricTopology::rail_optimized;
  if (t == "tpu_pod") return hw::FabricTopology::tpu_pod;
  return hw::FabricTopology::single_node;
}

hw::ClusterSpec read_cluster_section(const Node& node, const hw::HardwareCatalog& catalog) {
  ObjectReader r(node);
  hw::ClusterSpec c;
  const std::string which = r.one_of({"node", "accelerator"});
  if (which.empty()) node.fail("expected \"node\" (a catalog node name) or \"accelerator\" (a catalog accelerator name)");
  if (which == "node") {
    const Node n = r.required("node");
    const std::string name = n.as_nonempty_string();
    if (!catalog.nodes.count(name)) fail_unknown(n, "node", name, catalog.nodes);
    c.node = catalog.node(name);
  } else {
    const Node a = r.required("accelerator");
    const std::string name = a.as_nonempty_string();
    if (!catalog.accelerators.count(name)) fail_unknown(a, "accelerator", name, catalog.accelerators);
    const auto nodes = catalog.nodes_with(name);
    if (nodes.empty()) a.fail("no node in the catalog carries accelerator \"" + name + "\"; name a node instead");
    c.node = *nodes.front();
  }
  if (!catalog.accelerators.count(c.node.accelerator)) {
    node.fail("node \"" + c.node.name + "\" names accelerator \"" + c.node.accelerator + "\", which is not in the catalog");
  }
  c.accelerator = catalog.accelerator(c.node.accelerator);
  if (!c.node.nic.empty() && catalog.nics.count(c.node.nic)) c.nic = catalog.nic(c.node.nic);

  c.nodes = static_cast<int>(r.int_or("nodes", 1, 1, 1'000'000));
  const int capacity = c.nodes * c.node.accelerators;
  c.accelerators = capacity;
  if (auto a = r.optional("accelerators")) {
    c.accelerators = static_cast<int>(a->as_int(1));
    if (c.accelerators > capacity) {
      a->fail(fmt::format("{} accelerators do not fit in {} x {} ({} per node)", c.accelerators, c.nodes,
                          c.node.name, c.node.accelerators));
    }
    if (c.accelerators <= capacity - c.node.accelerators) {
      a->fail(fmt::format("{} accelerators leave whole nodes idle: {} nodes of {} hold {}; lower \"nodes\"",
                          c.accelerators, c.nodes, c.node.accelerators, capacity));
    }
  }
  c.fabric.topology = c.nodes > 1 ? hw::FabricTopology::fat_tree : hw::FabricTopology::single_node;
  if (auto f = r.optional("fabric")) c.fabric = read_fabric(*f, catalog, c);
  if (c.nodes > 1 && c.fabric.topology == hw::FabricTopology::single_node && c.node.scale_up.domain_size < capacity) {
    r.node().fail(fmt::format("{} nodes need a scale-out fabric; set /fabric/topology", c.nodes));
  }
  if (auto s = r.optional("storage")) {
    ObjectReader sr(*s);
    const Node tier = sr.required("tier", "a catalog storage tier name");
    const std::string name = tier.as_nonempty_string();
    if (!catalog.storage.count(name)) fail_unknown(tier, "storage tier", name, catalog.storage);
    c.storage = hw::StorageAttachment{catalog.storage_tier(name), static_cast<int>(sr.int_or("servers", 1, 1, 100000))};
    sr.finish();
  }
  if (auto p = r.optional("prices")) {
    ObjectReader pr(*p);
    apply_price(pr, "node_purchase", Dimension::money, c.node.purchase);
    apply_price(pr, "node_cloud_hourly", Dimension::money_rate, c.node.cloud_hourly);
    apply_price(pr, "accelerator_purchase", Dimension::money, c.accelerator.purchase);
    apply_price(pr, "nic_purchase", Dimension::money, c.nic.purchase);
    if (c.fabric_switch) apply_price(pr, "switch_purchase", Dimension::money, c.fabric_switch->purchase);
    if (c.storage) apply_price(pr, "storage_purchase", Dimension::money, c.storage->tier.purchase);
    pr.finish();
  }
  r.finish();
  return c;
}

}  // namespace cs::load
