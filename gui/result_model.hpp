#pragma once
// ResultModel: what the views draw, read from the files the engine writes (the result JSON
// of `clustersim simulate --out` / `clustersim plan --out`, see docs/results.md, and the
// Chrome trace of `--trace`). The GUI holds no modelling logic: it presents the numbers the
// library reported, found by the shape rules below (docs/gui.md, "How results are read").
//
//   headline     numeric leaves of "summary" / "metrics" / "headline" objects (and top-level
//                numbers); the unit comes from the key suffix (_s, _ms, _usd, _per_s, ...)
//   breakdowns   objects whose key contains "breakdown" or starts with "memory", and whose
//                values are numbers: drawn as stacked bars ("total" is left out, "capacity" /
//                "limit" becomes the bar's scale, keys naming an index ("stage") are skipped)
//   percentiles  objects with p50 / p90 / p99 (mean, max) keys: latency tables
//   series       objects holding a time array ("t", "t_s", "time_s") and equal-length number
//                arrays, or arrays of objects with a time key: time series plots
//   candidates   arrays "frontier" and "candidates" of objects, "best[].candidate" and
//                "nearest": planner points, each with its flattened metrics (units and
//                directions of planner metric names from the planner library), breakdowns
//                (a "cost" object's "*_per_hour" parts) and binding constraint
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cs::gui {

// Which way a metric is better, for highlighting deltas.
enum class Better { lower, higher, neither };

struct Metric {
  std::string key;    // JSON path below the object it came from, "step_time_s", "cost/usd_per_hour"
  std::string label;  // readable: "step time"
  double value = 0.0;
  std::string unit;   // display unit: "s", "ms", "$", "$/h", "/s", "B", "%"
  Better better = Better::neither;
};

struct BarPart {
  std::string label;
  double value = 0.0;
};
struct BarSet {
  std::string key;    // path of the object, "time_breakdown"
  std::string title;  // "time breakdown"
  std::string unit;
  std::vector<BarPart> parts;
  double capacity = 0.0;  // from a "capacity" / "limit" key (memory); 0 when none
  double total() const;
  bool is_cost() const;    // key mentions cost / usd / price
  bool is_memory() const;  // key starts with or contains memory
};

struct Percentiles {
  std::string key;  // "ttft_s"
  std::string title;
  std::string unit;
  std::vector<BarPart> values;  // in order p50, p90, p95, p99, p999, mean, max
};

struct Series {
  std::string key;  // "series/queue_length"
  std::string title;
  std::string unit;
  std::vector<double> t;  // seconds
  std::vector<double> v;
};

struct Candidate {
  std::string id;
  std::string label;
  bool on_frontier = false;
  bool feasible = true;
  std::string binding;  // binding constraint, if the result names one
  std::vector<Metric> metrics;
  std::vector<BarSet> breakdowns;
  nlohmann::json raw;

  const Metric* metric(const std::string& key) const;
};

struct TimelineSpan {
  int row = 0;
  double start_s = 0.0;
  double dur_s = 0.0;
  std::string name;
  std::string category;
  int kind = 0;  // index into Timeline::kinds: the span name's first word ("forward", "dp_reduce")
};

struct Timeline {
  std::vector<std::string> rows;  // one per (pid, tid), "node 0 / rank 3"
  std::vector<TimelineSpan> spans;  // sorted by row then start
  std::vector<std::string> categories;  // distinct, first-seen order
  std::vector<std::string> kinds;       // distinct first words of span names: the colour key
  double t0 = 0.0;
  double t1 = 0.0;
  bool truncated = false;  // more spans than the view keeps
  bool empty() const { return spans.empty(); }
};

struct ResultModel {
  std::string kind;  // "training", "inference", "plan", or "" when the file does not say
  std::string name;
  std::vector<Metric> headline;
  std::vector<BarSet> breakdowns;
  std::vector<Percentiles> percentiles;
  std::vector<Series> series;
  std::vector<Candidate> candidates;
  std::vector<std::string> binding_constraints;
  std::vector<std::string> notes;  // strings under "notes" / "warnings"
  std::string frontier_x, frontier_y;  // the plan's frontier axes (metric names), if it says
  Timeline timeline;
  nlohmann::json raw;

  bool empty() const;
  // Metric keys shared by candidates, numeric, for the planner's axis choices.
  std::vector<std::string> candidate_metric_keys() const;
};

// Display helpers shared by the views and the comparison.
std::string unit_for_key(const std::string& key);
Better better_for_key(const std::string& key);
std::string label_for_key(const std::string& key);
// "1.25 ms", "$2.10k/h", "80 GiB": value with its unit, in a readable magnitude.
std::string format_value(double value, const std::string& unit);

// Builds the model from a parsed result document. Never throws on unexpected shapes:
// what it does not recognise it leaves out (the raw JSON stays available).
ResultModel read_result(const nlohmann::json& doc);
// Reads a Chrome trace event document ({"traceEvents": [...]} or a bare array); keeps at
// most `max_spans` complete ("X") spans.
Timeline read_chrome_trace(const nlohmann::json& doc, std::size_t max_spans = 400000);

// File versions: throw cs::InputError naming the file on unreadable or invalid JSON.
ResultModel load_result_file(const std::filesystem::path& path);
Timeline load_trace_file(const std::filesystem::path& path, std::size_t max_spans = 400000);

// CSV of the headline metrics (key,label,value,unit) or, for a plan, one row per candidate.
std::string result_to_csv(const ResultModel& r);

}  // namespace cs::gui
