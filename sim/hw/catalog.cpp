#include "sim/hw/catalog.hpp"

#include <algorithm>

#include "sim/core/error.hpp"
#include "sim/core/text.hpp"

namespace cs::hw {
namespace {

template <class Map>
const typename Map::mapped_type& find_or_throw(const Map& map, const std::string& name, const char* what) {
  if (auto it = map.find(name); it != map.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& entry : map) names.push_back(entry.first);
  const std::string best = nearest_match(name, names);
  const std::string hint = best.empty() ? std::string() : " (did you mean \"" + best + "\"?)";
  const std::string list = join(names);
  throw InputError("unknown " + std::string(what) + " \"" + name + "\"" + hint + "; the catalog has: " +
                   (list.empty() ? std::string("none") : list));
}

}  // namespace

const AcceleratorSpec& HardwareCatalog::accelerator(const std::string& n) const {
  return find_or_throw(accelerators, n, "accelerator");
}
const NodeSpec& HardwareCatalog::node(const std::string& n) const { return find_or_throw(nodes, n, "node"); }
const NicSpec& HardwareCatalog::nic(const std::string& n) const { return find_or_throw(nics, n, "NIC"); }
const SwitchSpec& HardwareCatalog::network_switch(const std::string& n) const {
  return find_or_throw(switches, n, "switch");
}
const LinkMediumSpec& HardwareCatalog::link_medium(const std::string& n) const {
  return find_or_throw(link_media, n, "link medium");
}
const StorageSpec& HardwareCatalog::storage_tier(const std::string& n) const {
  return find_or_throw(storage, n, "storage tier");
}

std::vector<const NodeSpec*> HardwareCatalog::nodes_with(const std::string& accelerator) const {
  std::vector<const NodeSpec*> out;
  for (const auto& [name, node] : nodes) {
    if (node.accelerator == accelerator) out.push_back(&node);
  }
  return out;
}

std::string_view to_string(ScaleUpKind k) {
  switch (k) {
    case ScaleUpKind::nvswitch: return "nvswitch";
    case ScaleUpKind::direct: return "direct";
    case ScaleUpKind::torus: return "torus";
    case ScaleUpKind::pcie: return "pcie";
    case ScaleUpKind::none: return "none";
  }
  return "none";
}

std::string_view to_string(StorageKind k) {
  switch (k) {
    case StorageKind::local_nvme: return "local_nvme";
    case StorageKind::parallel_fs: return "parallel_fs";
    case StorageKind::object_store: return "object_store";
  }
  return "parallel_fs";
}

}  // namespace cs::hw
