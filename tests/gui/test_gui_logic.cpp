// The logic behind the GUI's views, tested without a window: axis ticks, frontier
// hit-testing, comparison deltas, result reading, the scenario form, the run worker, PNG.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

#include <stb_image.h>

#include "gui/axis.hpp"
#include "gui/compare.hpp"
#include "gui/frontier.hpp"
#include "gui/png.hpp"
#include "gui/result_model.hpp"
#include "gui/run_worker.hpp"
#include "gui/scenario_form.hpp"
#include "loaders/data_paths.hpp"
#include "sim/core/error.hpp"
#include "tests/e2e/cli_harness.hpp"

using namespace cs::gui;
using nlohmann::json;

namespace {
std::vector<double> values(const std::vector<Tick>& ticks) {
  std::vector<double> v;
  for (const auto& t : ticks) v.push_back(t.value);
  return v;
}
std::vector<std::string> labels(const std::vector<Tick>& ticks) {
  std::vector<std::string> v;
  for (const auto& t : ticks) v.push_back(t.label);
  return v;
}
Candidate cand(const std::string& label, double cost, double latency, bool frontier = false) {
  Candidate c;
  c.id = label;
  c.label = label;
  c.on_frontier = frontier;
  c.metrics.push_back({"cost_usd_per_hour", "cost", cost, "$/h", Better::lower});
  c.metrics.push_back({"ttft_p99_s", "ttft p99", latency, "s", Better::lower});
  return c;
}
}  // namespace

TEST_CASE("nice numbers are 1, 2, 5 or 10 times a power of ten") {
  CHECK(nice_number(0.13, true) == doctest::Approx(0.1));
  CHECK(nice_number(0.17, true) == doctest::Approx(0.2));
  CHECK(nice_number(37, true) == doctest::Approx(50));
  CHECK(nice_number(80, true) == doctest::Approx(100));
  CHECK(nice_number(37, false) == doctest::Approx(50));
  CHECK(nice_number(101, false) == doctest::Approx(200));
  CHECK(nice_number(1000, false) == doctest::Approx(1000));
}

TEST_CASE("linear ticks: nice steps inside the range, labels that tell neighbours apart") {
  CHECK(values(linear_ticks(0, 100, 6)) == std::vector<double>{0, 20, 40, 60, 80, 100});
  const auto small = linear_ticks(0, 1, 6);
  REQUIRE(small.size() == 6);
  CHECK(small[1].label == "0.2");
  CHECK(small[0].label == "0.0");
  const auto odd = linear_ticks(3.7, 18.2, 5);
  for (const auto& t : odd) {
    CHECK(t.value >= 3.7);
    CHECK(t.value <= 18.2);
    CHECK(std::fmod(t.value, 5.0) == doctest::Approx(0.0));
  }
  // Negative to positive: zero is exactly zero, never "-0".
  const auto mixed = linear_ticks(-1.0, 1.0, 5);
  bool has_zero = false;
  for (const auto& t : mixed) has_zero = has_zero || (t.value == 0.0 && t.label == "0.0");
  CHECK(has_zero);
  CHECK(linear_ticks(5, 5).size() == 1);
  CHECK(linear_ticks(10, 0, 6).front().value == 0);  // reversed range
  CHECK(labels(linear_ticks(0, 40000, 5)).back() == "40k");
}

TEST_CASE("log ticks sit on powers of ten, with 2 and 5 minors over few decades") {
  const auto wide = log_ticks(1, 1e6);
  CHECK(values(wide) == std::vector<double>{1, 10, 100, 1000, 1e4, 1e5, 1e6});
  for (const auto& t : wide) CHECK(t.major);
  CHECK(wide[6].label == "1M");
  const auto narrow = log_ticks(0.5, 50);
  CHECK(values(narrow) == std::vector<double>{0.5, 1, 2, 5, 10, 20, 50});
  CHECK_FALSE(narrow[0].major);
  CHECK(narrow[1].major);
  CHECK(log_ticks(-1, 10).empty());
  // Many decades: at most about 8 labelled ones.
  CHECK(log_ticks(1e-6, 1e12).size() <= 10);
}

TEST_CASE("scales map data to [0, 1] and fit data to nice bounds") {
  const Scale lin(0, 200, false);
  CHECK(lin.to_unit(50) == doctest::Approx(0.25));
  CHECK(lin.from_unit(0.75) == doctest::Approx(150));
  const Scale lg(1, 1000, true);
  CHECK(lg.to_unit(10) == doctest::Approx(1.0 / 3));
  CHECK(lg.from_unit(2.0 / 3) == doctest::Approx(100));
  CHECK(lg.to_unit(0) < 0);  // not plottable on a log axis
  const Scale fit = Scale::fit(3.2, 97.0, false);
  CHECK(fit.lo() <= 3.2);
  CHECK(fit.hi() >= 97.0);
  CHECK(fit.lo() >= 0.0);  // non-negative data stays on a non-negative axis
  const Scale lfit = Scale::fit(0.004, 2.5, true);
  CHECK(lfit.lo() <= 0.004);
  CHECK(lfit.hi() >= 2.5);
  CHECK(lfit.lo() > 0.0);
  const Scale flat = Scale::fit(5, 5, false);
  CHECK(flat.lo() < 5);
  CHECK(flat.hi() > 5);
}

TEST_CASE("frontier hit-testing finds the nearest point within the radius") {
  const std::vector<Candidate> cands = {cand("a", 10, 1.0), cand("b", 20, 0.5), cand("c", 40, 0.25)};
  const Scale xs(0, 1, false), ys(0, 40, false);
  const PlotRect rect{100, 50, 500, 450};  // 400 x 400 pixels
  const auto pts = project_points(cands, "ttft_p99_s", "cost_usd_per_hour", xs, ys, rect);
  REQUIRE(pts.size() == 3);
  // a: x = 100 + 1.0*400 = 500, y = 450 - 10/40*400 = 350.
  CHECK(pts[0].x == doctest::Approx(500));
  CHECK(pts[0].y == doctest::Approx(350));
  CHECK(hit_test(pts, 497, 352, 6) == std::optional<std::size_t>(0));
  CHECK(hit_test(pts, 300, 250, 6) == std::optional<std::size_t>(1));  // b at (300, 250)
  CHECK_FALSE(hit_test(pts, 400, 400, 6).has_value());
  CHECK_FALSE(hit_test(pts, 507, 350, 6).has_value());  // 7 px away
  // Candidates missing a metric or non-positive on a log axis are not plotted.
  std::vector<Candidate> more = cands;
  more.push_back(cand("d", 0, 0.1));
  more.back().metrics.pop_back();
  CHECK(project_points(more, "ttft_p99_s", "cost_usd_per_hour", xs, ys, rect).size() == 3);
  more.push_back(cand("e", 0.0, 0.2));
  CHECK(project_points(more, "ttft_p99_s", "cost_usd_per_hour", xs, Scale(1, 100, true), rect).size() == 3);
}

TEST_CASE("the Pareto set minimises both metrics, and the table sorts with missing values last") {
  const std::vector<double> x{1, 2, 3, 4, 2.5};
  const std::vector<double> y{10, 5, 6, 1, 4};
  CHECK(pareto_minimise(x, y) == std::vector<std::size_t>{0, 1, 4, 3});
  std::vector<Candidate> cands = {cand("b", 20, 0.5), cand("a", 10, 1.0), cand("c", 40, 0.25)};
  Candidate m;
  m.label = "m";
  cands.push_back(m);
  CHECK(sort_candidates(cands, "cost_usd_per_hour", true) == std::vector<std::size_t>{1, 0, 2, 3});
  CHECK(sort_candidates(cands, "cost_usd_per_hour", false) == std::vector<std::size_t>{2, 0, 1, 3});
  CHECK(sort_candidates(cands, "label", true) == std::vector<std::size_t>{1, 0, 2, 3});
  const auto r = metric_range(cands, "ttft_p99_s", false);
  REQUIRE(r);
  CHECK(r->first == 0.25);
  CHECK(r->second == 1.0);
}

TEST_CASE("comparison deltas are judged by each metric's direction") {
  CompareColumn a, b, c;
  a.title = "h100";
  b.title = "h200";
  c.title = "mi300x";
  a.metrics = {{"cost_usd_per_hour", "cost", 100, "$/h", Better::lower},
               {"tokens_per_s", "tokens", 1000, "tok/s", Better::higher},
               {"replicas", "replicas", 4, "", Better::neither}};
  b.metrics = {{"cost_usd_per_hour", "cost", 80, "$/h", Better::lower},
               {"tokens_per_s", "tokens", 900, "tok/s", Better::higher},
               {"replicas", "replicas", 4, "", Better::neither}};
  c.metrics = {{"cost_usd_per_hour", "cost", 100.2, "$/h", Better::lower},
               {"replicas", "replicas", 6, "", Better::neither},
               {"power_w", "power", 5000, "W", Better::lower}};
  const auto rows = compare_metrics({a, b, c});
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].key == "cost_usd_per_hour");
  CHECK(rows[0].cells[0].verdict == Verdict::baseline);
  CHECK(rows[0].cells[1].verdict == Verdict::better);
  CHECK(*rows[0].cells[1].delta == doctest::Approx(-20));
  CHECK(*rows[0].cells[1].delta_pct == doctest::Approx(-20));
  CHECK(rows[0].cells[2].verdict == Verdict::same);  // +0.2% is within the 0.5% band
  CHECK(rows[1].cells[1].verdict == Verdict::worse);  // fewer tokens/s
  CHECK(rows[1].cells[2].verdict == Verdict::missing);
  CHECK(rows[2].cells[1].verdict == Verdict::same);
  CHECK(rows[2].cells[2].verdict == Verdict::missing);  // changed, no direction
  CHECK(*rows[2].cells[2].delta == 2);
  CHECK(rows[2].differs());
  CHECK(rows[3].cells[0].verdict == Verdict::missing);  // baseline lacks power
  CHECK_FALSE(rows[3].cells[2].delta.has_value());
  CHECK(compare_metrics({a, b}, 25.0)[0].cells[1].verdict == Verdict::same);  // wider band

  BarSet ca{"cost_breakdown", "cost breakdown", "$/h", {{"capex", 60}, {"power", 40}}};
  BarSet cb{"cost_breakdown", "cost breakdown", "$/h", {{"capex", 100}, {"power", 50}}};
  BarSet time{"time_breakdown", "time breakdown", "s", {{"compute", 9}}};
  a.breakdowns = {time, ca};
  b.breakdowns = {cb};
  const std::vector<CompareColumn> cols{a, b, c};
  const SharedBars bars = shared_cost_bars(cols);
  CHECK(bars.max_total == 150);
  CHECK(bars.bars[0] == &cols[0].breakdowns[1]);  // the cost one, not the time one
  CHECK(bars.bars[2] == nullptr);
}

TEST_CASE("results are read by shape: headline, breakdowns, percentiles, series, candidates") {
  const json doc = json::parse(R"({
    "schema_version": 1, "kind": "inference", "name": "llama",
    "summary": {"throughput_tokens_per_s": 5000, "goodput": 0.97, "cost": {"usd_per_million_tokens": 0.42}},
    "time_breakdown_s": {"compute": 0.8, "exposed_tp_comm": 0.1, "bubble": 0.1},
    "memory_per_device_bytes": {"weights": 8e10, "kv_cache": 2e10, "total": 1e11, "capacity": 1.5e11, "worst_stage": 3},
    "latency": {"ttft_s": {"p50": 0.1, "p90": 0.2, "p99": 0.5, "mean": 0.12}},
    "series": {"t_s": [0, 1, 2], "queue_length": [0, 3, 1], "kv_occupancy": [0.1, 0.5, 0.4]},
    "warnings": ["default efficiencies"]
  })");
  const ResultModel r = read_result(doc);
  CHECK(r.kind == "inference");
  CHECK(r.name == "llama");
  REQUIRE(r.headline.size() == 3);  // nlohmann::json keeps keys sorted
  CHECK(r.headline[2].key == "throughput_tokens_per_s");
  CHECK(r.headline[2].unit == "tok/s");
  CHECK(r.headline[2].better == Better::higher);
  CHECK(r.headline[0].key == "cost/usd_per_million_tokens");
  CHECK(r.headline[0].better == Better::lower);
  CHECK(r.headline[1].unit == "ratio");
  REQUIRE(r.breakdowns.size() == 2);
  CHECK(r.breakdowns[0].unit == "B");  // memory_per_device_bytes (keys sorted)
  CHECK(r.breakdowns[0].is_memory());
  CHECK(r.breakdowns[0].parts.size() == 2);  // total, capacity and the stage index are not parts
  CHECK(r.breakdowns[0].capacity == 1.5e11);
  CHECK(r.breakdowns[0].title == "memory per device");
  CHECK(r.breakdowns[1].total() == doctest::Approx(1.0));
  CHECK(r.breakdowns[1].unit == "s");
  REQUIRE(r.percentiles.size() == 1);
  CHECK(r.percentiles[0].unit == "s");
  CHECK(r.percentiles[0].values.size() == 4);
  REQUIRE(r.series.size() == 2);
  CHECK(r.series[1].key == "series/queue_length");
  CHECK(r.series[1].v == std::vector<double>{0, 3, 1});
  CHECK(r.notes == std::vector<std::string>{"default efficiencies"});
  CHECK(result_to_csv(r).find("throughput_tokens_per_s,throughput tokens per s,5000,tok/s") != std::string::npos);

  const json plan = json::parse(R"({
    "frontier": [{"id": "c1", "label": "8x h100", "cost_usd_per_hour": 98, "ttft_p99_s": 0.4,
                  "cost_breakdown_usd_per_hour": {"capex": 70, "power": 28}, "binding_constraint": "ttft_p99"}],
    "candidates": [{"id": "c1", "label": "8x h100", "cost_usd_per_hour": 98, "ttft_p99_s": 0.4},
                   {"id": "c2", "label": "4x h200", "cost_usd_per_hour": 60, "ttft_p99_s": 1.4, "feasible": false}],
    "binding_constraints": [{"name": "ttft_p99", "binding": true}, {"name": "budget", "binding": false}]
  })");
  const ResultModel p = read_result(plan);
  CHECK(p.kind == "plan");
  REQUIRE(p.candidates.size() == 2);  // c1 is listed once
  CHECK(p.candidates[0].on_frontier);
  CHECK(p.candidates[0].binding == "ttft_p99");
  CHECK(p.candidates[0].breakdowns.size() == 1);
  CHECK(p.candidates[0].breakdowns[0].is_cost());
  CHECK_FALSE(p.candidates[1].on_frontier);
  CHECK_FALSE(p.candidates[1].feasible);
  CHECK(p.binding_constraints == std::vector<std::string>{"ttft_p99"});
  const auto keys = p.candidate_metric_keys();
  CHECK(std::find(keys.begin(), keys.end(), "cost_usd_per_hour") != keys.end());
  const std::string csv = result_to_csv(p);
  CHECK(csv.rfind("id,label,on_frontier,feasible,binding,", 0) == 0);
  CHECK(csv.find("c2,4x h200,0,0,,60,1.4") != std::string::npos);
}

TEST_CASE("values are formatted with readable units") {
  CHECK(format_value(0.0125, "s") == "12.5 ms");
  CHECK(format_value(5400, "s") == "90 min");
  CHECK(format_value(80.0 * 1024 * 1024 * 1024, "B") == "80 GiB");
  CHECK(format_value(2500, "$/h") == "$2500/h");
  CHECK(format_value(25000, "$") == "$25k");
  CHECK(format_value(0.5, "ratio") == "50.0%");
  CHECK(unit_for_key("step_time_s") == "s");
  CHECK(unit_for_key("cost_usd_per_hour") == "$/h");
  CHECK(better_for_key("tokens_per_s") == Better::higher);
  CHECK(better_for_key("step_time_s") == Better::lower);
  CHECK(label_for_key("step_time_s") == "step time");
}

TEST_CASE("Chrome traces become Gantt rows per (pid, tid) with named tracks") {
  const json trace = json::parse(R"({"traceEvents": [
    {"ph": "M", "name": "process_name", "pid": 0, "args": {"name": "node 0"}},
    {"ph": "M", "name": "thread_name", "pid": 0, "tid": 1, "args": {"name": "rank 1"}},
    {"ph": "X", "name": "fwd", "cat": "compute", "pid": 0, "tid": 1, "ts": 100, "dur": 50},
    {"ph": "X", "name": "allreduce", "cat": "comm", "pid": 0, "tid": 0, "ts": 120, "dur": 30},
    {"ph": "X", "name": "bwd", "cat": "compute", "pid": 0, "tid": 1, "ts": 10, "dur": 80},
    {"ph": "C", "name": "kv", "pid": 0, "ts": 5, "args": {"v": 1}}
  ]})");
  const Timeline tl = read_chrome_trace(trace);
  REQUIRE(tl.rows.size() == 2);
  CHECK(tl.rows[0] == "node 0 / tid 0");
  CHECK(tl.rows[1] == "node 0 / rank 1");
  REQUIRE(tl.spans.size() == 3);
  CHECK(tl.spans[0].name == "allreduce");
  CHECK(tl.spans[1].name == "bwd");  // sorted by start within the row
  CHECK(tl.spans[1].start_s == doctest::Approx(10e-6));
  CHECK(tl.t0 == doctest::Approx(10e-6));
  CHECK(tl.t1 == doctest::Approx(150e-6));
  CHECK(tl.categories == std::vector<std::string>{"compute", "comm"});
  CHECK(tl.kinds == std::vector<std::string>{"fwd", "allreduce", "bwd"});  // colour key: first word
  CHECK(tl.spans[0].kind == 1);
  CHECK(read_chrome_trace(trace, 2).truncated);
}

TEST_CASE("scenario form: typed fields, local checks, loader errors next to the field, save as new") {
  cs::test::TempDir dir;
  const std::string path = dir.write("s.json", R"({
    "schema_version": 1, "name": "t", "seed": 3,
    "cluster": {"nodes": 2, "fabric": {"oversubscription": 1.5, "nic_rate": "400Gbps"}, "memory": "80GiB",
                "prices": {"node_cloud_hourly": "$98/h"}, "in_network_reduction": false, "names": ["a", "b"]}
  })");
  ScenarioForm f = ScenarioForm::open(path);
  REQUIRE(f.loaded());
  CHECK_FALSE(f.issue().has_value());
  auto find = [&](const std::string& ptr) -> std::size_t {
    for (std::size_t i = 0; i < f.fields().size(); ++i) {
      if (f.fields()[i].pointer == ptr) return i;
    }
    FAIL("no field " << ptr);
    return 0;
  };
  const auto nodes = find("/cluster/nodes");
  CHECK(f.fields()[nodes].kind == FieldKind::integer);
  CHECK(f.fields()[nodes].section == "cluster");
  CHECK(f.fields()[nodes].label == "nodes");
  const auto rate = find("/cluster/fabric/nic_rate");
  CHECK(f.fields()[rate].kind == FieldKind::quantity);
  CHECK(f.fields()[rate].dimension == cs::load::Dimension::bandwidth);
  CHECK(f.fields()[find("/cluster/memory")].dimension == cs::load::Dimension::bytes);
  CHECK(f.fields()[find("/cluster/prices/node_cloud_hourly")].dimension == cs::load::Dimension::money_rate);
  CHECK(f.fields()[find("/cluster/in_network_reduction")].kind == FieldKind::boolean);
  CHECK(f.fields()[find("/cluster/names")].kind == FieldKind::list);
  CHECK(f.fields()[find("/name")].kind == FieldKind::text);
  CHECK(f.sections() == std::vector<std::string>{"", "cluster"});

  // Local checks as typed.
  CHECK_FALSE(f.set_text(nodes, "2.5"));
  CHECK_FALSE(f.fields()[nodes].error.empty());
  CHECK(f.has_local_errors());
  CHECK_FALSE(f.set_text(rate, "80GiB"));  // bytes where a bandwidth was
  CHECK(f.set_text(rate, "200Gbps"));
  CHECK(f.set_text(nodes, "4"));
  CHECK_FALSE(f.has_local_errors());
  CHECK(f.set_text(find("/cluster/names"), "x, 3"));
  const auto doc = f.to_json();
  CHECK(doc["cluster"]["nodes"] == 4);
  CHECK(doc["cluster"]["fabric"]["nic_rate"] == "200Gbps");
  CHECK(doc["cluster"]["names"] == nlohmann::ordered_json::parse(R"(["x", 3])"));

  // The library's loader checks the whole document; its error lands on the field.
  const auto data = cs::load::DataPaths::locate(std::filesystem::path(CLUSTERSIM_SOURCE_DIR));
  const auto seed = find("/seed");
  CHECK(f.set_text(seed, "-1"));
  const auto issue = f.validate(data);
  REQUIRE(issue.has_value());
  CHECK(issue->file == path);
  CHECK(!issue->message.empty());
  // Whatever the loader complains about first, its pointer names a field in the form.
  bool attached = false;
  for (const auto& field : f.fields()) attached = attached || field.error == issue->message;
  CHECK(attached);

  // Save as a new file; an existing name is refused.
  const auto out = dir.path() / "copy.json";
  f.save_as(out, "copy");
  const auto saved = nlohmann::ordered_json::parse(std::ifstream(out));
  CHECK(saved["name"] == "copy");
  CHECK(saved["cluster"]["nodes"] == 4);
  CHECK(saved.begin().key() == "schema_version");  // key order kept
  CHECK_THROWS_AS(f.save_as(out, "again"), cs::InputError);
  CHECK_THROWS_AS(f.save_as(dir.path() / "x.txt"), cs::InputError);
}

TEST_CASE("a malformed scenario file gives an issue with file and line, not a crash") {
  cs::test::TempDir dir;
  const std::string path = dir.write("bad.json", "{\"schema_version\": 1,\n \"name\": }");
  const ScenarioForm f = ScenarioForm::open(path);
  CHECK_FALSE(f.loaded());
  REQUIRE(f.issue().has_value());
  CHECK(f.issue()->message.find("bad.json") != std::string::npos);
  CHECK(f.issue()->message.find("line 2") != std::string::npos);
  const ScenarioForm missing = ScenarioForm::open(dir.path() / "nope.json");
  CHECK(missing.issue().has_value());
}

TEST_CASE("the scenario browser lists JSON files with their names, skipping traces") {
  cs::test::TempDir dir;
  dir.write("b.json", R"({"schema_version": 1, "name": "bee", "cluster": {}})");
  dir.write("a.json", R"({"schema_version": 1, "name": "ay", "description": "first"})");
  dir.write("broken.json", "{");
  std::filesystem::create_directories(dir.path() / "traces");
  dir.write("traces/t.json", "{}");
  const auto list = list_scenarios(dir.path());
  REQUIRE(list.size() == 3);
  CHECK(list[0].name == "ay");
  CHECK(list[0].description == "first");
  CHECK(list[1].name == "bee");
  CHECK(list[1].sections == std::vector<std::string>{"cluster"});
  CHECK_FALSE(list[2].readable);
  CHECK(list[2].name == "broken");
}

TEST_CASE("the run worker keeps the caller free, reports output, and cancels at once") {
  std::atomic<bool> release{false};
  RunWorker w([&](const RunRequest& r, const LineSink& sink) {
    sink("started " + r.scenario.string());
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    RunOutcome o;
    o.exit_code = 0;
    o.out = "done\n";
    return o;
  });
  RunRequest req;
  req.scenario = "x.json";
  REQUIRE(w.start(req));
  CHECK(w.running());
  CHECK_FALSE(w.start(req));  // one at a time
  CHECK_FALSE(w.take_result().has_value());
  for (int i = 0; i < 1000 && w.log_tail(5).empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(w.progress_text() == "started x.json");
  release = true;
  for (int i = 0; i < 2000 && w.running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const auto o = w.take_result();
  REQUIRE(o.has_value());
  CHECK(o->out == "done\n");
  CHECK_FALSE(w.take_result().has_value());  // once

  // Cancel returns immediately although the work is still going.
  release = false;
  REQUIRE(w.start(req));
  const auto t0 = std::chrono::steady_clock::now();
  w.cancel();
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(100));
  CHECK_FALSE(w.running());
  CHECK(w.abandoned_running());
  CHECK_FALSE(w.take_result().has_value());
  release = true;
  for (int i = 0; i < 2000 && w.abandoned_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK_FALSE(w.abandoned_running());
}

TEST_CASE("runs go through the CLI in-process with the arguments a user would type") {
  RunRequest r;
  r.kind = RunKind::simulate;
  r.scenario = "s.json";
  r.out_dir = "/tmp/out";
  r.data_dir = "/data";
  CHECK(run_arguments(r) == std::vector<std::string>{"--data-dir", "/data", "simulate", "s.json", "--out",
                                                     "/tmp/out/result.json", "--trace", "/tmp/out/trace.json"});
  r.kind = RunKind::plan;
  r.data_dir.reset();
  CHECK(run_arguments(r) == std::vector<std::string>{"plan", "s.json", "--out", "/tmp/out/result.json"});

  cs::test::TempDir dir;
  const std::string good = dir.write("good.json", R"({"schema_version": 1, "name": "ok"})");
  const std::string bad = dir.write("bad.json", R"({"schema_version": 1, "name": ""})");
  RunRequest check;
  check.kind = RunKind::check;
  check.out_dir = dir.path() / "run";
  check.data_dir = CLUSTERSIM_SOURCE_DIR;
  check.scenario = good;
  std::vector<std::string> lines;
  const RunOutcome ok = run_with_cli(check, [&](const std::string& l) { lines.push_back(l); });
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("\"valid\": true") != std::string::npos);
  CHECK_FALSE(lines.empty());
  check.scenario = bad;
  const RunOutcome no = run_with_cli(check, [](const std::string&) {});
  CHECK(no.exit_code == 2);
  CHECK(no.err.find("/name") != std::string::npos);
}

TEST_CASE("PNG output round-trips through a decoder") {
  cs::test::TempDir dir;
  Image img;
  img.width = 3;
  img.height = 2;
  img.rgba = {255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 255};
  Image flipped = img;
  flip_rows(flipped);
  CHECK(flipped.rgba[0] == 1);
  CHECK(flipped.rgba[12] == 255);
  const auto path = dir.path() / "x.png";
  write_png(path, img);
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load(path.c_str(), &w, &h, &n, 4);
  REQUIRE(px != nullptr);
  CHECK(w == 3);
  CHECK(h == 2);
  CHECK(std::vector<unsigned char>(px, px + 24) == img.rgba);
  stbi_image_free(px);
  img.rgba.pop_back();
  CHECK_THROWS(write_png(path, img));
}
