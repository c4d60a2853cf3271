#pragma once
// Where a number comes from. Every profile carries its sources and a confidence label;
// every price says whether it is an estimate, from whom and when.
#include <string>
#include <vector>

namespace cs::hw {

struct Source {
  std::string title;  // "NVIDIA H100 Tensor Core GPU datasheet"
  std::string url;    // may be empty for print sources
  std::string date;   // "2023-05" (publication or access date)
};

enum class Confidence { high, medium, low };
std::string_view to_string(Confidence c);

// A price point: purchase (USD) or rate (USD/hour), with provenance. A scenario may
// override any price; `overridden` then records that the scenario's value is in use.
struct Price {
  double value = 0.0;  // USD, or USD/hour for rates; 0 with !known() = no public figure
  bool estimate = true;
  std::string source;
  std::string date;
  bool overridden = false;
  bool known() const { return value > 0.0; }
};

}  // namespace cs::hw
