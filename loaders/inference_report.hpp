#pragma once
// Output formats of a serving simulation (docs/results.md, "inference"): the result JSON,
// the per-request CSV and the text summary.
#include <iosfwd>
#include <nlohmann/json.hpp>

#include "models/serving/serving_result.hpp"
#include "models/serving/serving_spec.hpp"

namespace cs::load {

nlohmann::json serving_result_json(const models::serving::ServingResult& r, const models::serving::ServingSpec& spec);
// Header: id,arrival_s,prompt_tokens,output_tokens,replica,decode_replica,queue_s,ttft_s,
// tpot_s,e2e_s,preemptions,meets_slo (-1 = not reached / not applicable).
void write_requests_csv(const models::serving::ServingResult& r, std::ostream& out);
void print_serving_summary(const models::serving::ServingResult& r, const models::serving::ServingSpec& spec,
                           std::ostream& out);

}  // namespace cs::load
