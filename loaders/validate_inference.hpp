#pragma once
// `clustersim validate FILE --kind inference`: MLPerf Inference Llama-2-70B records
// (offline throughput; server p99 TTFT and TPOT at the stated rate) against the serving
// simulation. The mapping from a record to a simulated deployment is in docs/inference.md.
#include <vector>

#include "loaders/validation.hpp"

namespace cs::load {

std::vector<ValidationRow> validate_inference(const std::vector<Node>& records, const ValidationContext& ctx);

}  // namespace cs::load
