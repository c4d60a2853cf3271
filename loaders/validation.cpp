#include "loaders/validation.hpp"

#include <algorithm>
#include <cmath>

namespace cs::load {

ValidationSummary summarize(const std::vector<ValidationRow>& rows) {
  ValidationSummary s;
  std::vector<double> errors;
  for (const auto& r : rows) {
    if (r.skipped) {
      ++s.skipped;
    } else {
      errors.push_back(std::fabs(r.error_pct()));
    }
  }
  s.n = static_cast<int>(errors.size());
  if (errors.empty()) return s;
  std::sort(errors.begin(), errors.end());
  const std::size_t mid = errors.size() / 2;
  s.median_abs_error_pct = errors.size() % 2 ? errors[mid] : 0.5 * (errors[mid - 1] + errors[mid]);
  s.max_abs_error_pct = errors.back();
  return s;
}

}  // namespace cs::load
