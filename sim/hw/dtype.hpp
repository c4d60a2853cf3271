#pragma once
// Numeric formats an accelerator computes in, with their storage size.
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace cs::hw {

enum class DType { fp64, fp32, tf32, bf16, fp16, fp8, int8, fp4 };
inline constexpr std::size_t kDTypeCount = 8;
inline constexpr std::array<DType, kDTypeCount> kAllDTypes{DType::fp64, DType::fp32, DType::tf32, DType::bf16,
                                                          DType::fp16, DType::fp8,  DType::int8, DType::fp4};

constexpr std::size_t index(DType d) { return static_cast<std::size_t>(d); }

constexpr std::string_view name(DType d) {
  constexpr std::array<std::string_view, kDTypeCount> names{"fp64", "fp32", "tf32", "bf16", "fp16", "fp8", "int8", "fp4"};
  return names[index(d)];
}

// Bytes per element as stored in memory (tf32 is stored as fp32).
constexpr double bytes_per_element(DType d) {
  constexpr std::array<double, kDTypeCount> bytes{8.0, 4.0, 4.0, 2.0, 2.0, 1.0, 1.0, 0.5};
  return bytes[index(d)];
}

std::optional<DType> parse_dtype(std::string_view text);

}  // namespace cs::hw
