#include "sim/hw/dtype.hpp"

#include "sim/hw/provenance.hpp"

namespace cs::hw {

std::optional<DType> parse_dtype(std::string_view text) {
  for (DType d : kAllDTypes) {
    if (name(d) == text) return d;
  }
  return std::nullopt;
}

std::string_view to_string(Confidence c) {
  switch (c) {
    case Confidence::high: return "high";
    case Confidence::medium: return "medium";
    case Confidence::low: return "low";
  }
  return "unknown";
}

}  // namespace cs::hw
