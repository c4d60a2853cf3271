#pragma once
// `clustersim validate FILE --kind network`: predicted NCCL bus bandwidth against the
// published collective benchmarks (records of kind "microbench" that measure collectives:
// nccl-tests all_reduce_perf curves, torch all_reduce benchmarks, maintainer figures).
//
// Each record maps to a cluster from the catalog (8 x A100 -> dgx-a100-80gb, 8 x H100 ->
// dgx-h100, 8 x H200 -> hgx-h200; NDR per-NIC figures -> two dgx-h100 on a fat tree) and one
// row per published message size compares estimate_collective()'s busbw (the alpha-beta
// twin of the flow simulation) with the figure. Sizes below kMinValidatedBytes are reported
// as skipped rows (latency-bound: the published curves of the same system disagree there by
// up to 2x). Rows from the records the default protocol parameters were fitted to say so
// (docs/network.md, "Validation").
#include <vector>

#include "loaders/validation.hpp"

namespace cs::load {

inline constexpr double kMinValidatedBytes = 16.0 * 1024 * 1024;

std::vector<ValidationRow> validate_network(const std::vector<Node>& records, const ValidationContext& ctx);

}  // namespace cs::load
