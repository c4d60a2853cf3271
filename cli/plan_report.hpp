#pragma once
// Rendering a plan's answer: the human report (stdout), the JSON result (--out) and the
// gate check shared by `plan` and `sweep`.
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "planner/planner.hpp"

namespace cs::cli {

// A metric value with a readable unit ("$1.24M", "850 ms", "12.5 h", "inf").
std::string format_metric(planner::Metric m, double v);

void print_plan_report(std::ostream& out, const planner::Planner& p, const planner::PlanResult& r,
                       const std::vector<std::string>& evaluators, int threads);
nlohmann::json plan_json(const planner::Planner& p, const planner::PlanResult& r,
                         const std::vector<std::string>& evaluators);

// Why nothing met the constraints: the nearest candidate and its binding constraint.
std::string nearest_message(const planner::Planner& p, const planner::PlanResult& r);

// Checks the plan's gates against the best candidate by the first objective; writes one
// line per failed gate to `err`. True when every gate is met (or there are none).
bool check_gates(std::ostream& err, const planner::Planner& p, const planner::PlanResult& r);

}  // namespace cs::cli
