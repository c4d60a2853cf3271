#pragma once
// The comparison behind the Compare view: two to four results (scenario runs or planner
// candidates) side by side, each metric's delta against the first column (the baseline),
// judged better or worse by the metric's direction. No ImGui here.
#include <optional>
#include <string>
#include <vector>

#include "gui/result_model.hpp"

namespace cs::gui {

enum class Verdict { baseline, better, worse, same, missing };

struct CompareColumn {
  std::string title;
  std::vector<Metric> metrics;
  std::vector<BarSet> breakdowns;
  std::vector<std::string> binding;  // binding constraints
};

struct CompareCell {
  std::optional<double> value;
  std::optional<double> delta;      // value - baseline
  std::optional<double> delta_pct;  // 100 * delta / |baseline|, absent when the baseline is 0
  Verdict verdict = Verdict::missing;
};

struct CompareRow {
  std::string key;
  std::string label;
  std::string unit;
  Better better = Better::neither;
  std::vector<CompareCell> cells;  // one per column
  bool differs() const;            // some column is better or worse
};

// Rows in first-seen metric order over all columns. A change within `same_pct` percent of
// the baseline (or exactly equal) is Verdict::same. Only metrics with a direction are
// judged better or worse; a metric without one that changed keeps Verdict::missing and its
// delta (differs() is still true).
std::vector<CompareRow> compare_metrics(const std::vector<CompareColumn>& columns, double same_pct = 0.5);

// Cost breakdowns of each column (the first BarSet that is_cost(), if any), and the largest
// total among them: the shared scale the view draws every column's bar against.
struct SharedBars {
  std::vector<const BarSet*> bars;  // nullptr where a column has none
  double max_total = 0.0;
};
SharedBars shared_cost_bars(const std::vector<CompareColumn>& columns);

CompareColumn column_from_result(const std::string& title, const ResultModel& r);
CompareColumn column_from_candidate(const Candidate& c);

}  // namespace cs::gui
