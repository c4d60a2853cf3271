#include "planner/plan_spec.hpp"

namespace cs::planner {

namespace {
struct MetricInfo {
  Metric metric;
  std::string_view name;
  std::string_view unit;
  bool lower_better;
};
constexpr std::array<MetricInfo, kMetricCount> kMetrics{{
    {Metric::usd_per_hour, "usd_per_hour", "USD/h", true},
    {Metric::total_cost, "total_cost", "USD", true},
    {Metric::capex, "capex", "USD", true},
    {Metric::usd_per_run, "usd_per_run", "USD", true},
    {Metric::usd_per_mtok, "usd_per_mtok", "USD/Mtok", true},
    {Metric::ttft_p99, "ttft_p99", "s", true},
    {Metric::tpot_p99, "tpot_p99", "s", true},
    {Metric::e2e_p99, "e2e_p99", "s", true},
    {Metric::time_to_train, "time_to_train", "s", true},
    {Metric::serving_capacity, "serving_capacity", "req/s", false},
    {Metric::power, "power", "W", true},
    {Metric::energy_mwh_per_year, "energy_mwh_per_year", "MWh/y", true},
    {Metric::accelerators, "accelerators", "", true},
}};
}  // namespace

std::string_view metric_name(Metric m) { return kMetrics[static_cast<std::size_t>(m)].name; }
std::string_view metric_unit(Metric m) { return kMetrics[static_cast<std::size_t>(m)].unit; }
bool lower_is_better(Metric m) { return kMetrics[static_cast<std::size_t>(m)].lower_better; }

std::optional<Metric> parse_metric(std::string_view name) {
  for (const auto& i : kMetrics) {
    if (i.name == name) return i.metric;
  }
  return std::nullopt;
}

}  // namespace cs::planner
