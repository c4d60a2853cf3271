#include "sim/hw/fabric_spec.hpp"

namespace cs::hw {

std::string_view to_string(FabricTopology t) {
  switch (t) {
    case FabricTopology::single_node: return "single_node";
    case FabricTopology::fat_tree: return "fat_tree";
    case FabricTopology::rail_optimized: return "rail_optimized";
    case FabricTopology::tpu_pod: return "tpu_pod";
  }
  return "unknown";
}

}  // namespace cs::hw
