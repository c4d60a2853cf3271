#include "gui/result_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "loaders/json_reader.hpp"
#include "sim/core/error.hpp"
#include "gui/axis.hpp"
#include "planner/plan_spec.hpp"

namespace cs::gui {

using nlohmann::json;

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

std::string last_segment(const std::string& key) {
  const auto slash = key.rfind('/');
  return slash == std::string::npos ? key : key.substr(slash + 1);
}

std::string join_key(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "/" + key;
}

bool is_plain_number(const json& v) { return v.is_number() && std::isfinite(v.get<double>()); }

// {"value": 1.2, "unit": "ms"} style quantities.
std::optional<std::pair<double, std::string>> value_with_unit(const json& v) {
  if (v.is_object() && v.contains("value") && is_plain_number(v["value"])) {
    std::string unit = v.contains("unit") && v["unit"].is_string() ? v["unit"].get<std::string>() : "";
    return std::make_pair(v["value"].get<double>(), unit);
  }
  return std::nullopt;
}

constexpr const char* kPercentileKeys[] = {"p50", "p90", "p95", "p99", "p999", "mean", "max", "min"};

bool is_percentile_object(const json& v) {
  if (!v.is_object()) return false;
  int hits = 0;
  for (const char* k : kPercentileKeys) {
    if (v.contains(k) && is_plain_number(v[k])) ++hits;
  }
  return hits >= 2 && (v.contains("p50") || v.contains("p99"));
}

// Keys of a breakdown object that are not parts of the stack.
bool is_bar_meta_key(const std::string& k) {
  return k == "unit" || k == "total" || k == "capacity" || k == "limit" || contains(k, "stage") ||
         contains(k, "index");
}

bool is_number_map(const json& v) {
  if (!v.is_object() || v.empty()) return false;
  for (const auto& [k, x] : v.items()) {
    if (k == "unit") continue;
    if (!is_plain_number(x) && !value_with_unit(x)) return false;
  }
  return true;
}

bool is_breakdown_key(const std::string& key) {
  const std::string last = last_segment(key);
  return contains(last, "breakdown") || last.rfind("memory", 0) == 0;
}

const char* time_key_of(const json& obj) {
  for (const char* k : {"t", "t_s", "time_s", "times_s", "time"}) {
    if (obj.contains(k)) return k;
  }
  return nullptr;
}

BarSet make_barset(const std::string& key, const json& obj) {
  BarSet b;
  b.key = key;
  b.title = label_for_key(key);
  b.unit = obj.contains("unit") && obj["unit"].is_string() ? obj["unit"].get<std::string>()
                                                           : unit_for_key(last_segment(key));
  for (const char* k : {"capacity", "limit"}) {
    if (obj.contains(k) && is_plain_number(obj[k])) b.capacity = obj[k].get<double>();
  }
  for (const auto& [k, x] : obj.items()) {
    if (is_bar_meta_key(k)) continue;
    double v = 0.0;
    if (auto q = value_with_unit(x)) {
      v = q->first;
      if (b.unit.empty()) b.unit = q->second;
    } else {
      v = x.get<double>();
      if (b.unit.empty()) b.unit = unit_for_key(k);
    }
    b.parts.push_back({label_for_key(k), v});
  }
  return b;
}

// The unit named by the innermost path segment that names one ("latency_s/ttft" -> "s").
std::string unit_along(const std::string& key) {
  std::string rest = key;
  while (!rest.empty()) {
    const std::string u = unit_for_key(last_segment(rest));
    if (!u.empty()) return u;
    const auto slash = rest.rfind('/');
    if (slash == std::string::npos) break;
    rest.resize(slash);
  }
  return {};
}

Percentiles make_percentiles(const std::string& key, const json& obj) {
  Percentiles p;
  p.key = key;
  p.title = label_for_key(last_segment(key));
  p.unit = obj.contains("unit") && obj["unit"].is_string() ? obj["unit"].get<std::string>() : unit_along(key);
  for (const char* k : kPercentileKeys) {
    if (obj.contains(k) && is_plain_number(obj[k])) p.values.push_back({k, obj[k].get<double>()});
  }
  return p;
}

// Series from {"t": [...], "a": [...], "b": [...]} or [{"t": 0, "a": 1}, ...].
void collect_series(const std::string& key, const json& v, std::vector<Series>& out) {
  if (v.is_object()) {
    const char* tk = time_key_of(v);
    if (!tk || !v[tk].is_array()) return;
    const json& t = v[tk];
    for (const auto& [k, arr] : v.items()) {
      if (k == tk || !arr.is_array() || arr.size() != t.size() || arr.empty()) continue;
      Series s;
      s.key = join_key(key, k);
      s.title = label_for_key(k);
      s.unit = unit_for_key(k);
      bool ok = true;
      for (std::size_t i = 0; i < arr.size() && ok; ++i) {
        ok = is_plain_number(arr[i]) && is_plain_number(t[i]);
        if (ok) {
          s.t.push_back(t[i].get<double>());
          s.v.push_back(arr[i].get<double>());
        }
      }
      if (ok) out.push_back(std::move(s));
    }
  } else if (v.is_array() && !v.empty() && v[0].is_object()) {
    const char* tk = time_key_of(v[0]);
    if (!tk) return;
    std::map<std::string, Series> by_key;
    std::vector<std::string> order;
    for (const auto& row : v) {
      if (!row.is_object() || !row.contains(tk) || !is_plain_number(row[tk])) return;
      for (const auto& [k, x] : row.items()) {
        if (k == tk || !is_plain_number(x)) continue;
        auto [it, inserted] = by_key.try_emplace(k);
        if (inserted) {
          order.push_back(k);
          it->second.key = join_key(key, k);
          it->second.title = label_for_key(k);
          it->second.unit = unit_for_key(k);
        }
        it->second.t.push_back(row[tk].get<double>());
        it->second.v.push_back(x.get<double>());
      }
    }
    for (const auto& k : order) out.push_back(std::move(by_key[k]));
  }
}

// A metric the planner names ("usd_per_hour", "ttft_p99"): its unit and direction come
// from the planner library's own table.
std::optional<Metric> planner_metric(const std::string& key, const std::string& k, double value) {
  const auto m = planner::parse_metric(k);
  if (!m) return std::nullopt;
  std::string unit(planner::metric_unit(*m));
  if (unit.rfind("USD", 0) == 0) unit = "$" + unit.substr(3);
  return Metric{key, label_for_key(key), value, unit, planner::lower_is_better(*m) ? Better::lower : Better::higher};
}

void collect_metrics(const std::string& prefix, const json& obj, std::vector<Metric>& out, int depth) {
  if (!obj.is_object() || depth > 3) return;
  for (const auto& [k, v] : obj.items()) {
    const std::string key = join_key(prefix, k);
    if (is_plain_number(v) && !v.is_boolean()) {
      if (auto pm = planner_metric(key, k, v.get<double>())) {
        out.push_back(*pm);
        continue;
      }
      out.push_back({key, label_for_key(key), v.get<double>(), unit_for_key(k), better_for_key(k)});
    } else if (auto q = value_with_unit(v)) {
      out.push_back({key, label_for_key(key), q->first, q->second, better_for_key(k)});
    } else if (v.is_object() && !is_breakdown_key(key) && !is_percentile_object(v) && !time_key_of(v)) {
      collect_metrics(key, v, out, depth + 1);
    }
  }
}

// A "cost" object with several "<part>_per_hour" numbers (the planner's cost breakdown):
// those parts, "total_per_hour" left out, as a $/h bar.
std::optional<BarSet> cost_parts(const std::string& key, const json& obj) {
  if (last_segment(key) != "cost" || !obj.is_object()) return std::nullopt;
  BarSet b;
  b.key = key;
  b.title = "cost per hour";
  b.unit = "$/h";
  for (const auto& [k, x] : obj.items()) {
    if (ends_with(k, "_per_hour") && k.rfind("total", 0) != 0 && is_plain_number(x) && k.find("kwh") == std::string::npos &&
        x.get<double>() != 0.0) {
      b.parts.push_back({label_for_key(k.substr(0, k.size() - 9)), x.get<double>()});
    }
  }
  if (b.parts.size() < 2) return std::nullopt;
  return b;
}

// Walks the whole document for breakdowns, percentiles and series.
void walk(const std::string& key, const json& v, ResultModel& r, int depth) {
  if (depth > 6) return;
  if (auto cost = cost_parts(key, v)) r.breakdowns.push_back(std::move(*cost));
  if (v.is_object()) {
    if (!key.empty() && is_breakdown_key(key) && is_number_map(v)) {
      r.breakdowns.push_back(make_barset(key, v));
      return;
    }
    if (!key.empty() && is_percentile_object(v)) {
      r.percentiles.push_back(make_percentiles(key, v));
      return;
    }
    if (time_key_of(v) && v[time_key_of(v)].is_array()) {
      collect_series(key, v, r.series);
      return;
    }
    for (const auto& [k, x] : v.items()) {
      if (depth == 0 && (k == "frontier" || k == "candidates")) continue;
      walk(join_key(key, k), x, r, depth + 1);
    }
  } else if (v.is_array() && !v.empty() && v[0].is_object() && time_key_of(v[0])) {
    collect_series(key, v, r.series);
  } else if (v.is_array() && last_segment(key).rfind("memory", 0) == 0) {
    // Memory per pool: [{"pool": "decode", "weights_gib": 65, "kv_cache_gib": 9, "device_gib": 80}, ...]
    for (std::size_t i = 0; i < v.size(); ++i) {
      const json& item = v[i];
      if (!item.is_object()) continue;
      BarSet b;
      b.key = key + "/" + std::to_string(i);
      std::string name;
      for (const auto& [k, x] : item.items()) {
        if (x.is_string() && name.empty()) name = x.get<std::string>();
      }
      b.title = "memory per device" + (name.empty() ? "" : " (" + name + ")");
      b.unit = "GiB";
      for (const auto& [k, x] : item.items()) {
        if (!is_plain_number(x) || !ends_with(k, "_gib")) continue;
        const std::string part = k.substr(0, k.size() - 4);
        if (part == "device" || part == "capacity") b.capacity = x.get<double>();
        else if (part != "usable" && part != "total" && part != "free") b.parts.push_back({label_for_key(part), x.get<double>()});
      }
      if (!b.parts.empty()) r.breakdowns.push_back(std::move(b));
    }
  }
}

std::string candidate_label(const json& c, std::size_t index) {
  for (const char* k : {"label", "description", "name", "config", "summary", "id"}) {
    if (c.contains(k) && c[k].is_string()) return c[k].get<std::string>();
  }
  // A short description from the string fields (accelerator, fabric, layout, ...).
  std::string s;
  for (const auto& [k, v] : c.items()) {
    if (v.is_string() && s.size() < 60) s += (s.empty() ? "" : " ") + v.get<std::string>();
  }
  return s.empty() ? "#" + std::to_string(index) : s;
}

std::string binding_of(const json& c) {
  for (const char* k : {"binding_constraint", "binding", "bound_by"}) {
    if (c.contains(k)) {
      if (c[k].is_string()) return c[k].get<std::string>();
      if (c[k].is_object()) {
        for (const char* n : {"name", "constraint"}) {
          if (c[k].contains(n) && c[k][n].is_string()) return c[k][n].get<std::string>();
        }
      }
    }
  }
  return {};
}

Candidate make_candidate(const json& c, std::size_t index, bool frontier) {
  Candidate out;
  out.raw = c;
  const char* id_key = c.contains("id") ? "id" : c.contains("index") ? "index" : nullptr;
  out.id = id_key ? (c[id_key].is_string() ? c[id_key].get<std::string>() : c[id_key].dump()) : std::to_string(index);
  out.label = candidate_label(c, index);
  out.on_frontier = frontier;
  if (c.contains("on_frontier") && c["on_frontier"].is_boolean()) out.on_frontier = c["on_frontier"].get<bool>();
  for (const char* k : {"feasible", "meets_constraints", "fits"}) {
    if (c.contains(k) && c[k].is_boolean()) out.feasible = out.feasible && c[k].get<bool>();
  }
  out.binding = binding_of(c);
  collect_metrics("", c, out.metrics, 0);
  // The planner's own metrics first: they are what the axes and the table are about.
  std::stable_partition(out.metrics.begin(), out.metrics.end(),
                        [](const Metric& m) { return m.key.rfind("metrics/", 0) == 0; });
  ResultModel tmp;
  walk("", c, tmp, 0);
  out.breakdowns = std::move(tmp.breakdowns);
  return out;
}

void collect_candidates(const json& holder, ResultModel& r) {
  std::set<std::string> seen;
  auto add = [&](const json& arr, bool frontier) {
    if (!arr.is_array()) return;
    for (std::size_t i = 0; i < arr.size(); ++i) {
      if (!arr[i].is_object()) continue;
      Candidate c = make_candidate(arr[i], r.candidates.size(), frontier);
      const std::string ident = c.id + "|" + c.label;
      if (seen.count(ident)) {
        if (frontier) {
          for (auto& existing : r.candidates) {
            if (existing.id + "|" + existing.label == ident) existing.on_frontier = true;
          }
        }
        continue;
      }
      seen.insert(ident);
      r.candidates.push_back(std::move(c));
    }
  };
  if (holder.contains("frontier")) add(holder["frontier"], true);
  if (holder.contains("candidates")) add(holder["candidates"], false);
  // The planner's best configuration per objective, and the nearest miss when none is feasible.
  if (holder.contains("best") && holder["best"].is_array()) {
    json picks = json::array();
    for (const auto& b : holder["best"]) {
      if (b.is_object() && b.contains("candidate") && b["candidate"].is_object()) picks.push_back(b["candidate"]);
    }
    add(picks, false);
  }
  if (holder.contains("nearest") && holder["nearest"].is_object()) add(json::array({holder["nearest"]}), false);
  if (holder.contains("frontier_axes") && holder["frontier_axes"].is_object()) {
    const json& ax = holder["frontier_axes"];
    if (ax.contains("x") && ax["x"].is_string()) r.frontier_x = ax["x"].get<std::string>();
    if (ax.contains("y") && ax["y"].is_string()) r.frontier_y = ax["y"].get<std::string>();
  }
}

}  // namespace

double BarSet::total() const {
  double t = 0.0;
  for (const auto& p : parts) t += p.value;
  return t;
}
bool BarSet::is_cost() const {
  return contains(key, "cost") || contains(key, "usd") || contains(key, "price") || unit.rfind("$", 0) == 0;
}
bool BarSet::is_memory() const { return contains(key, "memory"); }

const Metric* Candidate::metric(const std::string& key) const {
  for (const auto& m : metrics) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

bool ResultModel::empty() const {
  return headline.empty() && breakdowns.empty() && percentiles.empty() && series.empty() &&
         candidates.empty() && timeline.empty();
}

std::vector<std::string> ResultModel::candidate_metric_keys() const {
  std::vector<std::string> keys;
  std::map<std::string, std::size_t> count;
  for (const auto& c : candidates) {
    for (const auto& m : c.metrics) {
      if (count[m.key]++ == 0) keys.push_back(m.key);
    }
  }
  // Keep keys most candidates have, so an axis choice plots most points.
  std::vector<std::string> out;
  for (const auto& k : keys) {
    if (count[k] * 2 >= candidates.size()) out.push_back(k);
  }
  return out;
}

std::string unit_for_key(const std::string& key_in) {
  const std::string key = last_segment(key_in);
  struct Rule { const char* suffix; const char* unit; };
  static const Rule rules[] = {
      {"_usd_per_hour", "$/h"}, {"_usd_per_h", "$/h"}, {"_usd_per_mtok", "$/Mtok"},
      {"_usd_per_million_tokens", "$/Mtok"}, {"_usd_per_year", "$/y"}, {"_usd", "$"},
      {"_tokens_per_s", "tok/s"}, {"_tok_per_s", "tok/s"}, {"_requests_per_s", "req/s"},
      {"_req_per_s", "req/s"}, {"_per_s", "/s"}, {"_tflops", "TFLOP/s"},
      {"_pct", "%"}, {"_percent", "%"}, {"_ms", "ms"}, {"_us", "us"}, {"_ns", "ns"},
      {"_s", "s"}, {"_hours", "h"}, {"_h", "h"}, {"_days", "d"}, {"_bytes", "B"}, {"_gib", "GiB"},
      {"_gb", "GB"}, {"_kwh", "kWh"}, {"_mwh", "MWh"}, {"_kw", "kW"}, {"_w", "W"}, {"_j", "J"},
  };
  for (const auto& r : rules) {
    if (ends_with(key, r.suffix)) return r.unit;
  }
  if (key == "mfu" || key == "hfu" || key == "goodput" || ends_with(key, "_fraction") ||
      ends_with(key, "utilization") || ends_with(key, "occupancy"))
    return "ratio";
  return "";
}

Better better_for_key(const std::string& key_in) {
  const std::string key = last_segment(key_in);
  for (const char* k : {"per_s", "throughput", "mfu", "hfu", "goodput", "tflops", "util", "efficiency",
                        "slo_met", "attainment"}) {
    if (contains(key, k)) return Better::higher;
  }
  for (const char* k : {"cost", "usd", "price", "time", "latency", "ttft", "tpot", "itl", "e2e", "bubble",
                        "exposed", "power", "energy", "queue", "wait", "preempt", "dropped", "violat"}) {
    if (contains(key, k)) return Better::lower;
  }
  if (ends_with(key, "_s") || ends_with(key, "_ms") || ends_with(key, "_us")) return Better::lower;
  return Better::neither;
}

std::string label_for_key(const std::string& key) {
  // Drop the unit suffix and turn separators into spaces: "cost/usd_per_hour" -> "cost usd per hour".
  // Only plain unit suffixes go ("step_time_s" -> "step time"); "tokens_per_s" stays.
  // A "metrics/" group prefix says nothing: "metrics/ttft_p99" -> "ttft p99".
  std::string k = key.rfind("metrics/", 0) == 0 ? key.substr(8) : key;
  const std::string unit = unit_for_key(key);
  if (unit == "s" || unit == "ms" || unit == "us" || unit == "ns" || unit == "B" || unit == "%") {
    for (const char* suffix : {"_s", "_ms", "_us", "_ns", "_bytes", "_pct", "_percent"}) {
      if (ends_with(k, suffix) && k.size() > std::string(suffix).size()) {
        k.resize(k.size() - std::string(suffix).size());
        break;
      }
    }
  }
  for (auto& ch : k) {
    if (ch == '_') ch = ' ';
    if (ch == '/') ch = ' ';
  }
  // "... usd" at the end reads better without it (the unit says "$").
  if (ends_with(k, " usd")) k.resize(k.size() - 4);
  return k;
}

std::string format_value(double v, const std::string& unit) {
  char buf[96];
  if (!std::isfinite(v)) return format_number(v);
  if (unit == "s") {
    const double a = std::fabs(v);
    if (a == 0.0) return "0 s";
    if (a < 1e-6) { std::snprintf(buf, sizeof buf, "%.3g ns", v * 1e9); return buf; }
    if (a < 1e-3) { std::snprintf(buf, sizeof buf, "%.3g us", v * 1e6); return buf; }
    if (a < 1.0) { std::snprintf(buf, sizeof buf, "%.3g ms", v * 1e3); return buf; }
    if (a < 120.0) { std::snprintf(buf, sizeof buf, "%.3g s", v); return buf; }
    if (a < 7200.0) { std::snprintf(buf, sizeof buf, "%.3g min", v / 60); return buf; }
    if (a < 3 * 86400.0) { std::snprintf(buf, sizeof buf, "%.3g h", v / 3600); return buf; }
    std::snprintf(buf, sizeof buf, "%.3g d", v / 86400);
    return buf;
  }
  if (unit == "B") {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int i = 0;
    double x = v;
    while (std::fabs(x) >= 1024.0 && i < 5) { x /= 1024.0; ++i; }
    std::snprintf(buf, sizeof buf, "%.3g %s", x, units[i]);
    return buf;
  }
  if (unit.rfind("$", 0) == 0) {
    return "$" + format_number(v, 4) + unit.substr(1);
  }
  if (unit == "ratio") {
    std::snprintf(buf, sizeof buf, "%.1f%%", v * 100.0);
    return buf;
  }
  if (unit == "%") {
    std::snprintf(buf, sizeof buf, "%.2f%%", v);
    return buf;
  }
  const std::string n = format_number(v, 4);
  return unit.empty() ? n : n + " " + unit;
}

ResultModel read_result(const json& doc) {
  ResultModel r;
  r.raw = doc;
  if (!doc.is_object()) return r;
  for (const char* k : {"kind", "type", "mode"}) {
    if (doc.contains(k) && doc[k].is_string()) {
      r.kind = doc[k].get<std::string>();
      break;
    }
  }
  for (const char* k : {"name", "scenario"}) {
    if (doc.contains(k) && doc[k].is_string()) {
      r.name = doc[k].get<std::string>();
      break;
    }
    if (doc.contains(k) && doc[k].is_object() && doc[k].contains("name") && doc[k]["name"].is_string()) {
      r.name = doc[k]["name"].get<std::string>();
      break;
    }
  }
  // Headline: named summary objects first, then top-level numbers.
  for (const char* k : {"summary", "metrics", "headline", "result"}) {
    if (doc.contains(k) && doc[k].is_object()) collect_metrics("", doc[k], r.headline, 0);
  }
  for (const auto& [k, v] : doc.items()) {
    if (k == "schema_version" || k == "seed") continue;
    if (is_plain_number(v)) r.headline.push_back({k, label_for_key(k), v.get<double>(), unit_for_key(k), better_for_key(k)});
  }
  // Then the numbers of top-level groups ("throughput", "slo", "utilization"), skipping
  // what other rules draw (breakdowns, percentiles, series) and bookkeeping groups.
  for (const auto& [k, v] : doc.items()) {
    if (!v.is_object() || k == "summary" || k == "metrics" || k == "headline" || k == "result") continue;
    if (is_breakdown_key(k) || time_key_of(v) || k == "simulator" || k == "simulation" || k == "analytical") continue;
    bool percentiles_inside = false;
    for (const auto& [kk, vv] : v.items()) percentiles_inside = percentiles_inside || is_percentile_object(vv);
    if (percentiles_inside) continue;
    collect_metrics(k, v, r.headline, 1);
  }
  walk("", doc, r, 0);
  // Plan results: the frontier may sit at the top or under "plan".
  collect_candidates(doc, r);
  if (doc.contains("plan") && doc["plan"].is_object()) collect_candidates(doc["plan"], r);
  for (const char* k : {"binding_constraints"}) {
    if (!doc.contains(k)) continue;
    const json& bc = doc[k];
    if (bc.is_array()) {
      for (const auto& x : bc) {
        if (x.is_string()) r.binding_constraints.push_back(x.get<std::string>());
        else if (x.is_object() && x.contains("name") && x["name"].is_string()) {
          std::string s = x["name"].get<std::string>();
          if (x.contains("binding") && x["binding"].is_boolean() && !x["binding"].get<bool>()) continue;
          r.binding_constraints.push_back(s);
        }
      }
    }
  }
  if (const std::string b = binding_of(doc); !b.empty()) r.binding_constraints.push_back(b);
  for (const char* k : {"notes", "warnings"}) {
    if (doc.contains(k) && doc[k].is_array()) {
      for (const auto& x : doc[k]) {
        if (x.is_string()) r.notes.push_back(x.get<std::string>());
      }
    }
  }
  for (const auto& [k, v] : doc.items()) {
    if (v.is_string() && (ends_with(k, "_note") || ends_with(k, "_message"))) r.notes.push_back(v.get<std::string>());
  }
  if (r.kind.empty()) {
    if (!r.candidates.empty()) r.kind = "plan";
    else if (doc.contains("training")) r.kind = "training";
    else if (doc.contains("inference")) r.kind = "inference";
  }
  return r;
}

namespace {

// Collects trace events one at a time (so a large file is never held as a JSON tree).
class TraceBuilder {
 public:
  explicit TraceBuilder(std::size_t max_spans) : max_spans_(max_spans) {}

  void add(const json& e) {
    if (!e.is_object() || !e.contains("ph") || !e["ph"].is_string()) return;
    const std::string& ph = e["ph"].get_ref<const std::string&>();
    if (ph == "M") {
      const std::string what = e.value("name", "");
      if (!e.contains("args") || !e["args"].is_object() || !e["args"].contains("name")) return;
      const std::string n = e["args"]["name"].is_string() ? e["args"]["name"].get<std::string>() : "";
      if (what == "process_name") process_names_[num(e, "pid")] = n;
      if (what == "thread_name") thread_names_[{num(e, "pid"), num(e, "tid")}] = n;
    } else if (ph == "X") {
      if (!e.contains("ts") || !e["ts"].is_number()) return;
      if (raw_.size() >= max_spans_) {
        truncated_ = true;
        return;
      }
      const double dur = e.contains("dur") && e["dur"].is_number() ? e["dur"].get<double>() : 0.0;
      raw_.push_back({{num(e, "pid"), num(e, "tid")}, e["ts"].get<double>() * 1e-6, dur * 1e-6,
                      e.value("name", ""), e.value("cat", "")});
    }
  }

  Timeline finish() {
    Timeline tl;
    tl.truncated = truncated_;
    std::map<std::pair<std::int64_t, std::int64_t>, int> row_of;
    for (const auto& r : raw_) row_of.emplace(r.key, 0);
    int row = 0;
    for (auto& [key, index] : row_of) {
      index = row++;
      auto pn = process_names_.find(key.first);
      std::string label = pn != process_names_.end() ? pn->second : "pid " + std::to_string(key.first);
      auto tn = thread_names_.find(key);
      label += " / " + (tn != thread_names_.end() ? tn->second : "tid " + std::to_string(key.second));
      tl.rows.push_back(label);
    }
    std::map<std::string, int> cat_index, kind_index;
    bool first = true;
    for (auto& r : raw_) {
      if (!cat_index.count(r.cat)) {
        cat_index[r.cat] = static_cast<int>(tl.categories.size());
        tl.categories.push_back(r.cat);
      }
      const std::string kind = r.name.substr(0, r.name.find_first_of(" ([:"));
      auto [it, added] = kind_index.try_emplace(kind, static_cast<int>(tl.kinds.size()));
      if (added) tl.kinds.push_back(kind);
      tl.spans.push_back({row_of[r.key], r.start, r.dur, std::move(r.name), std::move(r.cat), it->second});
      tl.t0 = first ? r.start : std::min(tl.t0, r.start);
      tl.t1 = first ? r.start + r.dur : std::max(tl.t1, r.start + r.dur);
      first = false;
    }
    std::sort(tl.spans.begin(), tl.spans.end(), [](const TimelineSpan& a, const TimelineSpan& b) {
      return a.row != b.row ? a.row < b.row : a.start_s < b.start_s;
    });
    return tl;
  }

 private:
  struct Raw {
    std::pair<std::int64_t, std::int64_t> key;
    double start, dur;
    std::string name, cat;
  };
  static std::int64_t num(const json& e, const char* k) {
    return e.contains(k) && e[k].is_number() ? e[k].get<std::int64_t>() : 0;
  }
  std::size_t max_spans_;
  bool truncated_ = false;
  std::vector<Raw> raw_;
  std::map<std::int64_t, std::string> process_names_;
  std::map<std::pair<std::int64_t, std::int64_t>, std::string> thread_names_;
};

}  // namespace

Timeline read_chrome_trace(const json& doc, std::size_t max_spans) {
  const json* events = nullptr;
  if (doc.is_array()) events = &doc;
  else if (doc.is_object() && doc.contains("traceEvents") && doc["traceEvents"].is_array()) events = &doc["traceEvents"];
  TraceBuilder b(max_spans);
  if (events) {
    for (const auto& e : *events) b.add(e);
  }
  return b.finish();
}

ResultModel load_result_file(const std::filesystem::path& path) {
  const load::Document d = load::read_json_file(path);
  return read_result(d.root);
}

Timeline load_trace_file(const std::filesystem::path& path, std::size_t max_spans) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "", "cannot read the trace file");
  std::stringstream ss;
  ss << in.rdbuf();
  // Each event goes to the builder as soon as it is parsed and is then dropped from the tree.
  TraceBuilder b(max_spans);
  auto keep = [&b](int /*depth*/, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_end && parsed.is_object() && parsed.contains("ph") &&
        parsed["ph"].is_string()) {
      b.add(parsed);
      return false;
    }
    return true;
  };
  try {
    const json rest = json::parse(ss.str(), keep);  // what remains: the envelope
    (void)rest;
  } catch (const json::parse_error& e) {
    throw InputError(path.string(), "", std::string("not a valid trace: ") + e.what());
  }
  return b.finish();
}

namespace {
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}
std::string csv_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}
}  // namespace

std::string result_to_csv(const ResultModel& r) {
  std::ostringstream out;
  if (!r.candidates.empty()) {
    std::vector<std::string> keys;
    std::set<std::string> seen;
    for (const auto& c : r.candidates) {
      for (const auto& m : c.metrics) {
        if (seen.insert(m.key).second) keys.push_back(m.key);
      }
    }
    out << "id,label,on_frontier,feasible,binding";
    for (const auto& k : keys) out << "," << csv_field(k);
    out << "\n";
    for (const auto& c : r.candidates) {
      out << csv_field(c.id) << "," << csv_field(c.label) << "," << (c.on_frontier ? 1 : 0) << ","
          << (c.feasible ? 1 : 0) << "," << csv_field(c.binding);
      for (const auto& k : keys) {
        out << ",";
        if (const Metric* m = c.metric(k)) out << csv_number(m->value);
      }
      out << "\n";
    }
    return out.str();
  }
  out << "key,label,value,unit\n";
  for (const auto& m : r.headline) {
    out << csv_field(m.key) << "," << csv_field(m.label) << "," << csv_number(m.value) << "," << csv_field(m.unit) << "\n";
  }
  for (const auto& b : r.breakdowns) {
    for (const auto& p : b.parts) {
      out << csv_field(b.key + "/" + p.label) << "," << csv_field(b.title + ": " + p.label) << ","
          << csv_number(p.value) << "," << csv_field(b.unit) << "\n";
    }
  }
  for (const auto& p : r.percentiles) {
    for (const auto& v : p.values) {
      out << csv_field(p.key + "/" + v.label) << "," << csv_field(p.title + " " + v.label) << ","
          << csv_number(v.value) << "," << csv_field(p.unit) << "\n";
    }
  }
  return out.str();
}

}  // namespace cs::gui
