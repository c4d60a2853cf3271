#pragma once
// HardwareCatalog: every profile under hardware-profiles/, by name. Built by the loaders,
// read by everyone else. Lookups of unknown names throw InputError listing what exists.
#include <map>
#include <string>
#include <vector>

#include "sim/hw/accelerator.hpp"
#include "sim/hw/network_parts.hpp"
#include "sim/hw/node.hpp"
#include "sim/hw/storage.hpp"

namespace cs::hw {

class HardwareCatalog {
 public:
  std::map<std::string, AcceleratorSpec> accelerators;
  std::map<std::string, NodeSpec> nodes;
  std::map<std::string, NicSpec> nics;
  std::map<std::string, SwitchSpec> switches;
  std::map<std::string, LinkMediumSpec> link_media;
  std::map<std::string, StorageSpec> storage;

  const AcceleratorSpec& accelerator(const std::string& name) const;
  const NodeSpec& node(const std::string& name) const;
  const NicSpec& nic(const std::string& name) const;
  const SwitchSpec& network_switch(const std::string& name) const;
  const LinkMediumSpec& link_medium(const std::string& name) const;
  const StorageSpec& storage_tier(const std::string& name) const;

  // Nodes whose accelerator is `accelerator`, in name order.
  std::vector<const NodeSpec*> nodes_with(const std::string& accelerator) const;
};

}  // namespace cs::hw
