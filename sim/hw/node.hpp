#pragma once
// NodeSpec: a server (or a rack-scale system such as GB200 NVL72, or a TPU host) as sold:
// its accelerators, the scale-up fabric that joins them, NICs, host memory, local storage,
// power and price.
#include <string>
#include <vector>

#include "sim/hw/provenance.hpp"

namespace cs::hw {

enum class ScaleUpKind {
  nvswitch,  // every accelerator reaches every other at the full link rate (NVSwitch, NVL72)
  direct,    // point-to-point links between all pairs (AMD Infinity Fabric mesh)
  torus,     // TPU ICI: links to neighbours in a 2D/3D torus spanning hosts
  pcie,      // through PCIe switches and the host (L40S, H100 PCIe)
  none,
};
std::string_view to_string(ScaleUpKind k);

struct ScaleUpFabric {
  ScaleUpKind kind = ScaleUpKind::none;
  int domain_size = 0;                   // accelerators in one scale-up domain (8, 72, a torus slice)
  double bandwidth_per_accelerator = 0;  // bytes/s, one direction, all links of one accelerator
  double latency_s = 0;                  // one hop, including the switch
  std::vector<int> torus_dims;           // torus only: chips per dimension in the host block
  bool in_network_reduction = false;     // NVLS (NVSwitch SHARP)
};

struct NodeSpec {
  std::string name;          // catalog key, e.g. "dgx-h100"
  std::string display_name;
  std::string vendor;
  std::string accelerator;   // catalog name of the accelerator
  int accelerators = 0;      // per node
  ScaleUpFabric scale_up;

  std::string nic;           // catalog name of the compute NIC
  int nics = 0;              // compute NICs per node (scale-out)
  double nic_rate = 0;       // bytes/s per NIC, one direction (from the NIC unless overridden)

  double host_memory_bytes = 0;
  int cpu_cores = 0;
  double local_nvme_bytes = 0;
  double local_nvme_bandwidth = 0;  // bytes/s read, aggregate

  double max_power_watts = 0;   // whole node at full load, accelerators included
  double base_power_watts = 0;  // node without its accelerators (CPUs, memory, fans, NICs)
  int rack_units = 0;

  Price purchase;      // USD per node (accelerators included)
  Price cloud_hourly;  // USD per node-hour

  std::vector<Source> sources;
  Confidence confidence = Confidence::medium;
  std::string notes;
  std::string profile_file;
};

}  // namespace cs::hw
