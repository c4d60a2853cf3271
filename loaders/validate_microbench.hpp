#pragma once
// `clustersim validate FILE --kind microbench`: the compute model against published GEMM
// throughput and HBM bandwidth micro-benchmarks (tests/validation/published.json).
//
// One row per case: a GEMM shape of a cuBLASLt/hipBLASLt table (TFLOP/s) or a STREAM-like
// kernel (TB/s), predicted by hw::ComputeModel on the catalog's profile of that device.
// Everything else among the microbench records is a skipped row with its reason: collective
// benchmarks (--kind network validates them), devices not in the catalog, figures whose
// shape is not published, and the figures that shaped the default curves, which cannot also
// count as their test (docs/compute-model.md).
#include <optional>
#include <string>
#include <vector>

#include "loaders/validation.hpp"

namespace cs::load {

std::vector<ValidationRow> validate_microbench(const std::vector<Node>& records, const ValidationContext& ctx);

// The catalog name of a device as published records spell it ("H100 80GB HBM3 (ND H100 v5)",
// "NVIDIA A100 SXM", "AMD MI300X"), or nullopt when the catalog has no such accelerator.
std::optional<std::string> catalog_device(const std::string& published_device);

// "4096^3" -> 4096 x 4096 x 4096; "802816x192x768" -> M x N x K. nullopt when malformed.
struct GemmShape {
  double m = 0, n = 0, k = 0;
};
std::optional<GemmShape> parse_gemm_shape(const std::string& text);

}  // namespace cs::load
