#pragma once
// Storage tiers: local NVMe, parallel file systems, object stores.
#include <string>
#include <vector>

#include "sim/hw/provenance.hpp"

namespace cs::hw {

enum class StorageKind { local_nvme, parallel_fs, object_store };
std::string_view to_string(StorageKind k);

struct StorageSpec {
  std::string name;           // "lustre-ddn-ai400x2"
  std::string display_name;
  StorageKind kind = StorageKind::parallel_fs;
  // Per server (appliance) for file systems and object stores; per drive for local NVMe.
  double read_bandwidth = 0;   // bytes/s
  double write_bandwidth = 0;  // bytes/s
  double latency_s = 0;        // first byte
  double capacity_bytes = 0;
  double power_watts = 0;
  int network_ports = 0;       // fabric ports per server
  double port_rate = 0;        // bytes/s per port
  Price purchase;              // per server / drive
  Price monthly_per_tb;        // USD per TB-month (cloud/object tiers)
  std::vector<Source> sources;
  Confidence confidence = Confidence::medium;
  std::string notes;
  std::string profile_file;
};

}  // namespace cs::hw
