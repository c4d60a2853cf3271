#pragma once
// Network parts a fabric is bought from: NICs, switches and the links (cables or optics)
// between them. Rates are bytes/s per direction per port.
#include <string>
#include <vector>

#include "sim/hw/provenance.hpp"

namespace cs::hw {

struct NicSpec {
  std::string name;          // "cx7-ndr-400"
  std::string display_name;
  std::string technology;    // "infiniband", "roce", "ethernet"
  std::string generation;    // "hdr", "ndr", "xdr", "100g", "400g", "800g"
  int ports = 1;
  double port_rate = 0;      // bytes/s per port, one direction
  double latency_s = 0;      // NIC traversal (send + receive side), per message
  double power_watts = 0;
  Price purchase;
  std::vector<Source> sources;
  Confidence confidence = Confidence::medium;
  std::string notes;
  std::string profile_file;
};

struct SwitchSpec {
  std::string name;          // "quantum2-ndr"
  std::string display_name;
  std::string technology;
  int radix = 0;             // ports at port_rate
  double port_rate = 0;      // bytes/s per port, one direction
  double latency_s = 0;      // port to port
  double power_watts = 0;
  bool in_network_reduction = false;  // SHARP
  int rack_units = 0;
  Price purchase;
  std::vector<Source> sources;
  Confidence confidence = Confidence::medium;
  std::string notes;
  std::string profile_file;
};

// One link's physical medium (both ends), priced per link.
struct LinkMediumSpec {
  std::string name;          // "osfp-400g-sr4-pair", "dac-400g"
  std::string display_name;
  std::string kind;          // "dac", "aoc", "optics"
  double rate = 0;           // bytes/s per direction
  double reach_m = 0;
  double power_watts = 0;    // both ends
  Price purchase;            // per link (cable plus transceivers)
  std::vector<Source> sources;
  Confidence confidence = Confidence::low;
  std::string notes;
  std::string profile_file;
};

}  // namespace cs::hw
