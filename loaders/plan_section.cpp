#include "loaders/plan_section.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <set>

#include "loaders/catalog_lookup.hpp"
#include "loaders/model_loader.hpp"
#include "loaders/cluster_section.hpp"
#include "sim/core/error.hpp"
#include "sim/core/text.hpp"

namespace cs::load {
namespace {

using planner::Metric;

Dimension metric_dimension(Metric m) {
  switch (m) {
    case Metric::usd_per_hour: return Dimension::money_rate;
    case Metric::total_cost:
    case Metric::capex:
    case Metric::usd_per_run:
    case Metric::usd_per_mtok: return Dimension::money;
    case Metric::ttft_p99:
    case Metric::tpot_p99:
    case Metric::e2e_p99:
    case Metric::time_to_train: return Dimension::duration;
    case Metric::serving_capacity: return Dimension::rate;
    case Metric::power: return Dimension::power;
    case Metric::energy_mwh_per_year:
    case Metric::accelerators: return Dimension::count;
  }
  return Dimension::count;
}

bool needs_serving(Metric m) {
  return m == Metric::ttft_p99 || m == Metric::tpot_p99 || m == Metric::e2e_p99 || m == Metric::serving_capacity ||
         m == Metric::usd_per_mtok;
}
bool needs_training(Metric m) { return m == Metric::time_to_train || m == Metric::usd_per_run; }

std::vector<std::string> metric_names() {
  std::vector<std::string> v;
  for (int i = 0; i < planner::kMetricCount; ++i) v.emplace_back(planner::metric_name(static_cast<Metric>(i)));
  return v;
}

Metric read_metric_name(const Node& n, const std::string& name) {
  const auto m = planner::parse_metric(name);
  if (!m) {
    const std::string near = nearest_match(name, metric_names());
    n.fail(fmt::format("unknown metric \"{}\"{}; metrics: {}", name, near.empty() ? "" : "; did you mean \"" + near + "\"?",
                       join(metric_names())));
  }
  return *m;
}

std::vector<int> int_list(const Node& n, std::int64_t min, std::int64_t max) {
  std::vector<int> v;
  if (n.is_number()) {
    v.push_back(static_cast<int>(n.as_int(min, max)));
    return v;
  }
  for (const Node& i : n.nonempty_items()) v.push_back(static_cast<int>(i.as_int(min, max)));
  return v;
}

std::vector<int> read_node_counts(const Node& n) {
  if (!n.is_object()) return int_list(n, 1, 1'000'000);
  ObjectReader r(n);
  const int from = static_cast<int>(r.required("from").as_int(1, 1'000'000));
  const int to = static_cast<int>(r.required("to").as_int(from, 1'000'000));
  const std::string how = r.one_of({"step", "factor"});
  std::vector<int> v;
  if (how == "factor") {
    const int f = static_cast<int>(r.required("factor").as_int(2, 1000));
    for (long long x = from; x <= to; x *= f) v.push_back(static_cast<int>(x));
  } else {
    const int s = static_cast<int>(r.int_or("step", 1, 1, 1'000'000));
    for (int x = from; x <= to; x += s) v.push_back(x);
  }
  r.finish();
  return v;
}

std::vector<planner::HardwareOption> read_hardware(const Node& list, const hw::HardwareCatalog& cat) {
  std::vector<planner::HardwareOption> out;
  std::set<std::string> seen;
  auto add = [&](const Node& where, const hw::NodeSpec& node) {
    if (!seen.insert(node.name).second) return;
    planner::HardwareOption h;
    h.node = node;
    if (!cat.accelerators.count(node.accelerator)) {
      where.fail("node \"" + node.name + "\" names accelerator \"" + node.accelerator + "\", which is not in the catalog");
    }
    h.accelerator = cat.accelerator(node.accelerator);
    if (!node.nic.empty() && cat.nics.count(node.nic)) h.nic = cat.nic(node.nic);
    out.push_back(std::move(h));
  };
  for (const Node& item : list.nonempty_items()) {
    if (item.is_string()) {
      add(item, lookup(item, "node", cat.nodes));
      continue;
    }
    ObjectReader r(item);
    const std::string which = r.one_of({"node", "accelerator"});
    if (which.empty()) item.fail("expected \"node\" (a catalog node) or \"accelerator\" (every node carrying it)");
    if (which == "node") {
      add(item, lookup(r.required("node"), "node", cat.nodes));
    } else {
      const Node a = r.required("accelerator");
      const std::string name = a.as_nonempty_string();
      if (!cat.accelerators.count(name)) fail_unknown(a, "accelerator", name, cat.accelerators);
      const auto nodes = cat.nodes_with(name);
      if (nodes.empty()) a.fail("no node in the catalog carries accelerator \"" + name + "\"");
      for (const auto* n : nodes) add(a, *n);
    }
    r.finish();
  }
  return out;
}

planner::FabricOption read_fabric_option(const Node& n, const hw::HardwareCatalog& cat) {
  ObjectReader r(n);
  planner::FabricOption f;
  f.fabric.topology = hw::FabricTopology::fat_tree;
  if (auto t = r.optional("topology")) f.fabric.topology = parse_fabric_topology(*t);
  f.fabric.tiers = static_cast<int>(r.int_or("tiers", 2, 2, 3));
  f.fabric.oversubscription = r.number_or("oversubscription", 1.0, 1.0, 64.0);
  if (auto x = r.optional("nic")) {
    f.nic = lookup(*x, "NIC", cat.nics);
    f.fabric.nic_model = f.nic->name;
  }
  f.fabric.nics_per_node = static_cast<int>(r.int_or("nics_per_node", 0, 0, 64));
  if (auto x = r.optional("switch")) {
    f.fabric_switch = lookup(*x, "switch", cat.switches);
    f.fabric.switch_model = f.fabric_switch->name;
  }
  if (auto x = r.optional("link_medium")) {
    f.link_medium = lookup(*x, "link medium", cat.link_media);
    f.fabric.link_medium = f.link_medium->name;
  }
  f.fabric.in_network_reduction = r.bool_or("in_network_reduction", false);
  if (f.fabric.topology != hw::FabricTopology::single_node && !f.fabric_switch) {
    n.fail("a " + std::string(hw::to_string(f.fabric.topology)) + " fabric needs \"switch\" (a catalog switch)");
  }
  std::string label = std::string(hw::to_string(f.fabric.topology));
  if (f.fabric.topology != hw::FabricTopology::single_node) {
    label += fmt::format(" {}:1 {}", f.fabric.oversubscription, f.fabric_switch->name);
    if (f.fabric.nics_per_node > 0) label += fmt::format(" x{}", f.fabric.nics_per_node);
  }
  f.label = r.string_or("label", label);
  r.finish();
  return f;
}

planner::TrafficSpec read_traffic(const Node& n, const DataPaths& data) {
  ObjectReader r(n);
  planner::TrafficSpec t;
  if (auto tr = r.optional("trace")) {
    const std::string name = tr->as_nonempty_string();
    std::filesystem::path p = name;
    if (!std::filesystem::exists(p)) p = data.traces() / name;
    if (!std::filesystem::exists(p)) tr->fail("trace file not found (looked in the current folder and " + data.traces().string() + ")");
    TraceSummary s;
    try {
      s = summarise_trace(p);
    } catch (const InputError& e) {
      tr->fail(e.what());
    }
    t.source = name;
    t.rate = s.duration_s > 0 ? static_cast<double>(s.requests) / s.duration_s : 1.0;
    t.prompt_mean = s.prompt_mean;
    t.prompt_p99 = s.prompt_p99;
    t.output_mean = s.output_mean;
    t.output_p99 = s.output_p99;
    t.native_rate = t.rate;
    t.arrival_s = std::move(s.arrival_s);
    t.prompt_tokens = std::move(s.prompt_tokens);
    t.output_tokens = std::move(s.output_tokens);
  } else {
    t.source = "synthetic";
    t.prompt_mean = r.required("prompt_mean", "mean prompt tokens").as_number(1, 1e7);
    t.prompt_p99 = r.number_or("prompt_p99", t.prompt_mean, t.prompt_mean, 1e7);
    t.output_mean = r.required("output_mean", "mean output tokens").as_number(1, 1e7);
    t.output_p99 = r.number_or("output_p99", t.output_mean, t.output_mean, 1e7);
  }
  if (auto rate = r.optional("rate")) t.rate = rate->as_positive_quantity(Dimension::rate);
  r.finish();
  return t;
}

std::vector<double> number_list(const Node& n, double min, double max) {
  std::vector<double> v;
  if (n.is_number()) return {n.as_number(min, max)};
  for (const Node& i : n.nonempty_items()) v.push_back(i.as_number(min, max));
  return v;
}

planner::ServingWorkload read_serving(const Node& n, const ModelCatalog& models, const DataPaths& data,
                                      const hw::HardwareCatalog&) {
  ObjectReader r(n);
  planner::ServingWorkload w;
  w.model = resolve_model(r.required("model", "a catalog model name or an inline model"), models);
  if (auto d = r.optional("dtype")) {
    const std::string s = d->as_enum({"bf16", "fp16", "fp8", "int8", "fp4"});
    w.dtype = *hw::parse_dtype(s);
  }
  w.traffic = read_traffic(r.required("traffic", "{trace or prompt/output lengths, rate}"), data);
  const std::vector<int> tps = r.has("tp") ? int_list(r.required("tp"), 1, 1024) : std::vector<int>{8};
  const std::vector<int> batches = r.has("max_batch") ? int_list(r.required("max_batch"), 1, 1 << 20) : std::vector<int>{256};
  const std::vector<double> splits =
      r.has("prefill_fraction") ? number_list(r.required("prefill_fraction"), 0.0, 0.95) : std::vector<double>{0.0};
  for (int tp : tps) {
    for (int b : batches) {
      for (double f : splits) w.settings.push_back({tp, b, f});
    }
  }
  w.hours_per_day = r.number_or("hours_per_day", 24.0, 0.0, 24.0);
  w.simulate_requests = static_cast<int>(r.int_or("simulate_requests", w.simulate_requests, 1, 10'000'000));
  r.finish();
  return w;
}

planner::LayoutChoices read_layouts(const Node& n) {
  ObjectReader r(n);
  planner::LayoutChoices c;
  if (auto x = r.optional("tp")) c.tp = int_list(*x, 1, 4096);
  if (auto x = r.optional("pp")) c.pp = int_list(*x, 1, 4096);
  if (auto x = r.optional("cp")) c.cp = int_list(*x, 1, 4096);
  if (auto x = r.optional("virtual_stages")) c.virtual_stages = int_list(*x, 1, 128);
  if (auto x = r.optional("micro_batch")) c.micro_batch = int_list(*x, 1, 65536);
  if (auto x = r.optional("zero_stage")) c.zero_stage = int_list(*x, 0, 3);
  if (auto x = r.optional("recompute")) {
    c.recompute.clear();
    for (const Node& i : x->nonempty_items()) {
      const std::string s = i.as_enum({"none", "selective", "full"});
      c.recompute.push_back(s == "none" ? planner::Recompute::none
                                        : s == "selective" ? planner::Recompute::selective : planner::Recompute::full);
    }
  }
  c.sequence_parallel = r.bool_or("sequence_parallel", true);
  if (auto x = r.optional("fixed")) {
    for (const Node& i : x->nonempty_items()) {
      ObjectReader f(i);
      planner::TrainingLayout l;
      l.tp = static_cast<int>(f.int_or("tp", 1, 1, 4096));
      l.pp = static_cast<int>(f.int_or("pp", 1, 1, 4096));
      l.dp = static_cast<int>(f.int_or("dp", 1, 1, 1 << 24));
      l.cp = static_cast<int>(f.int_or("cp", 1, 1, 4096));
      l.ep = static_cast<int>(f.int_or("ep", 1, 1, 4096));
      l.virtual_stages = static_cast<int>(f.int_or("virtual_stages", 1, 1, 128));
      l.micro_batch = static_cast<int>(f.int_or("micro_batch", 1, 1, 65536));
      l.zero_stage = static_cast<int>(f.int_or("zero_stage", 1, 0, 3));
      const std::string rc = f.string_or("recompute", "none");
      l.recompute = rc == "full" ? planner::Recompute::full
                                 : rc == "selective" ? planner::Recompute::selective : planner::Recompute::none;
      l.sequence_parallel = f.bool_or("sequence_parallel", l.tp > 1);
      f.finish();
      c.fixed.push_back(l);
    }
  }
  r.finish();
  return c;
}

planner::TrainingWorkload read_training(const Node& n, const ModelCatalog& models) {
  ObjectReader r(n);
  planner::TrainingWorkload t;
  t.model = resolve_model(r.required("model", "a catalog model name or an inline model"), models);
  if (auto d = r.optional("dtype")) t.dtype = *hw::parse_dtype(d->as_enum({"bf16", "fp16", "fp8"}));
  t.tokens = static_cast<double>(r.required("tokens", "tokens per run, e.g. \"2B\"").as_count(1));
  t.seq_len = static_cast<int>(r.int_or("seq_len", std::min(t.model.max_seq_len > 0 ? t.model.max_seq_len : 2048, 8192), 1, 1 << 24));
  t.global_batch = static_cast<int>(r.int_or("global_batch", 512, 1, 1 << 24));
  t.runs_per_year = r.number_or("runs_per_year", 1.0, 0.0, 1e6);
  if (auto l = r.optional("layouts")) t.layouts = read_layouts(*l);
  r.finish();
  return t;
}

// Applies plan.costs.prices overrides to every part of the plan with that catalog name.
void apply_prices(const Node& n, planner::PlanSpec& p) {
  ObjectReader r(n);
  std::set<std::string> names;
  for (const auto& h : p.hardware) {
    names.insert(h.node.name);
    names.insert(h.accelerator.name);
    names.insert(h.nic.name);
  }
  for (const auto& f : p.fabrics) {
    if (f.fabric_switch) names.insert(f.fabric_switch->name);
    if (f.nic) names.insert(f.nic->name);
    if (f.link_medium) names.insert(f.link_medium->name);
  }
  if (p.storage) names.insert(p.storage->tier.name);
  for (const auto& [key, value] : n.json().items()) {
    if (!key.empty() && key[0] == '_') continue;
    const Node item = r.required(key);
    if (!names.count(key)) {
      std::vector<std::string> v(names.begin(), names.end());
      const std::string near = nearest_match(key, v);
      item.fail(fmt::format("no part named \"{}\" in this plan{}; parts: {}", key,
                            near.empty() ? "" : "; did you mean \"" + near + "\"?", join(v)));
    }
    ObjectReader pr(item);
    auto take = [&](std::string_view k, Dimension dim) -> std::optional<hw::Price> {
      auto v = pr.optional(k);
      if (!v) return std::nullopt;
      hw::Price price;
      price.value = v->as_positive_quantity(dim);
      price.estimate = false;
      price.overridden = true;
      price.source = "scenario override";
      return price;
    };
    const auto purchase = take("purchase", Dimension::money);
    const auto hourly = take("cloud_hourly", Dimension::money_rate);
    const auto monthly = take("monthly_per_tb", Dimension::money);
    pr.finish();
    auto set = [&](hw::Price& dst, const std::optional<hw::Price>& src) {
      if (src) dst = *src;
    };
    for (auto& h : p.hardware) {
      if (h.node.name == key) set(h.node.purchase, purchase), set(h.node.cloud_hourly, hourly);
      if (h.accelerator.name == key) set(h.accelerator.purchase, purchase), set(h.accelerator.cloud_hourly, hourly);
      if (h.nic.name == key) set(h.nic.purchase, purchase);
    }
    for (auto& f : p.fabrics) {
      if (f.fabric_switch && f.fabric_switch->name == key) set(f.fabric_switch->purchase, purchase);
      if (f.nic && f.nic->name == key) set(f.nic->purchase, purchase);
      if (f.link_medium && f.link_medium->name == key) set(f.link_medium->purchase, purchase);
    }
    if (p.storage && p.storage->tier.name == key) {
      set(p.storage->tier.purchase, purchase);
      set(p.storage->tier.monthly_per_tb, monthly);
    }
  }
}

void read_costs(const Node& n, planner::PlanSpec& p) {
  ObjectReader r(n);
  auto& c = p.costs;
  if (auto a = r.optional("acquisition")) {
    c.acquisition = a->as_enum({"buy", "rent"}) == "buy" ? planner::Acquisition::buy : planner::Acquisition::rent;
  }
  if (auto y = r.optional("period")) c.amortisation_years = y->as_positive_quantity(Dimension::duration) / (planner::kHoursPerYear * 3600.0);
  c.residual_fraction = r.optional("residual") ? r.required("residual").as_quantity(Dimension::ratio, 0.0, 1.0) : 0.0;
  c.pue = r.number_or("pue", c.pue, 1.0, 5.0);
  if (auto e = r.optional("energy_price")) c.energy_price_per_kwh = e->as_quantity(Dimension::energy_price);
  // Monthly rates are written as "$150/month"; money_rate parses them into USD/hour.
  const double month_hours = planner::kHoursPerYear / 12.0;
  if (auto h = r.optional("hosting_per_kw")) c.hosting_per_kw_month = h->as_quantity(Dimension::money_rate) * month_hours;
  if (auto h = r.optional("hosting_per_rack")) c.hosting_per_rack_month = h->as_quantity(Dimension::money_rate) * month_hours;
  c.rack_units_per_rack = static_cast<int>(r.int_or("rack_units_per_rack", c.rack_units_per_rack, 1, 100));
  c.rack_power_limit_watts = r.quantity_or("rack_power_limit", Dimension::power, 0.0);
  c.server_chassis_price = r.quantity_or("server_chassis_price", Dimension::money, 0.0);
  c.node_price_includes_nics = r.bool_or("node_price_includes_nics", false);
  c.storage_capacity_bytes = r.quantity_or("storage_capacity", Dimension::bytes, 0.0);
  if (auto pr = r.optional("prices")) apply_prices(*pr, p);
  r.finish();
}

}  // namespace

TraceSummary summarise_trace(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path.string() + ": cannot read the trace");
  std::string line;
  std::vector<double> prompts, outputs, arrivals;
  double first = 0, last = 0;
  std::size_t line_no = 0;
  bool header_seen = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (!header_seen) {
      header_seen = true;
      if (line.find("ContextTokens") != std::string::npos) continue;
    }
    const auto c1 = line.find(',');
    const auto c2 = c1 == std::string::npos ? c1 : line.find(',', c1 + 1);
    if (c2 == std::string::npos) {
      throw InputError(fmt::format("{}:{}: expected TIMESTAMP,ContextTokens,GeneratedTokens", path.string(), line_no));
    }
    double ts = 0;
    // Timestamps are "2023-11-16 18:15:46.6805900" or seconds; keep seconds of the day.
    const std::string t = line.substr(0, c1);
    const auto colon = t.rfind(':');
    try {
      if (colon != std::string::npos && colon >= 5) {
        const auto sp = t.find(' ');
        const std::string clock = sp == std::string::npos ? t : t.substr(sp + 1);
        const int hh = std::stoi(clock.substr(0, 2));
        const int mm = std::stoi(clock.substr(3, 2));
        ts = hh * 3600.0 + mm * 60.0 + std::stod(clock.substr(6));
        const std::string date = sp == std::string::npos ? "" : t.substr(0, sp);
        if (date.size() >= 10) ts += std::stoi(date.substr(8, 2)) * 86400.0;
      } else {
        ts = std::stod(t);
      }
      prompts.push_back(std::stod(line.substr(c1 + 1, c2 - c1 - 1)));
      outputs.push_back(std::stod(line.substr(c2 + 1)));
    } catch (const std::exception&) {
      throw InputError(fmt::format("{}:{}: expected TIMESTAMP,ContextTokens,GeneratedTokens", path.string(), line_no));
    }
    if (prompts.size() == 1) first = ts;
    last = ts;
    arrivals.push_back(ts - first);
  }
  if (prompts.empty()) throw InputError(path.string() + ": the trace has no requests");
  TraceSummary s;
  s.requests = prompts.size();
  s.duration_s = last - first;
  auto mean = [](const std::vector<double>& v) {
    double a = 0;
    for (double x : v) a += x;
    return a / static_cast<double>(v.size());
  };
  auto p99 = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(v.size()))) - 1)];
  };
  s.prompt_mean = mean(prompts);
  s.output_mean = mean(outputs);
  s.prompt_p99 = p99(prompts);
  s.output_p99 = p99(outputs);
  s.arrival_s = std::move(arrivals);
  for (double x : prompts) s.prompt_tokens.push_back(static_cast<int>(x));
  for (double x : outputs) s.output_tokens.push_back(static_cast<int>(x));
  return s;
}

planner::Constraint parse_constraint(const Node& n) {
  const std::string text = n.as_nonempty_string();
  const auto le = text.find("<=");
  const auto ge = text.find(">=");
  if ((le == std::string::npos) == (ge == std::string::npos)) {
    n.fail("expected \"<metric> <= <value>\" or \"<metric> >= <value>\", e.g. \"ttft_p99 <= 1s\"");
  }
  const auto op = le != std::string::npos ? le : ge;
  auto trim = [](std::string s) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
    return s;
  };
  planner::Constraint c;
  c.text = text;
  c.is_max = le != std::string::npos;
  c.metric = read_metric_name(n, trim(text.substr(0, op)));
  const std::string value = trim(text.substr(op + 2));
  try {
    c.limit = parse_quantity(value, metric_dimension(c.metric));
  } catch (const std::invalid_argument& e) {
    n.fail(fmt::format("limit \"{}\" of {}: {}", value, planner::metric_name(c.metric), e.what()));
  }
  return c;
}

planner::PlanSpec read_plan_section(const Node& node, const hw::HardwareCatalog& cat, const DataPaths& data,
                                    const std::string& scenario_name) {
  ObjectReader r(node);
  planner::PlanSpec p;
  p.name = scenario_name;
  p.hardware = read_hardware(r.required("hardware", "a list of catalog nodes or {\"accelerator\": ...}"), cat);
  p.nodes = read_node_counts(r.required("nodes", "node counts: a list, or {from, to, step|factor}"));
  if (auto f = r.optional("fabrics")) {
    std::set<std::string> labels;
    for (const Node& i : f->nonempty_items()) {
      p.fabrics.push_back(read_fabric_option(i, cat));
      if (!labels.insert(p.fabrics.back().label).second) i.fail("duplicate fabric label \"" + p.fabrics.back().label + "\"; set \"label\"");
    }
  } else {
    planner::FabricOption single;
    single.label = "single_node";
    single.fabric.topology = hw::FabricTopology::single_node;
    p.fabrics.push_back(single);
  }
  if (auto s = r.optional("storage")) {
    ObjectReader sr(*s);
    p.storage = hw::StorageAttachment{lookup(sr.required("tier"), "storage tier", cat.storage),
                                      static_cast<int>(sr.int_or("servers", 1, 1, 100000))};
    sr.finish();
  }
  const bool has_workload = r.has("serving") || r.has("training");
  if (!has_workload) node.fail("a plan needs a workload: \"serving\", \"training\" or both");
  std::optional<ModelCatalog> models;
  auto model_catalog = [&]() -> const ModelCatalog& {
    if (!models) models = load_model_catalog(data.model_catalog());
    return *models;
  };
  if (auto s = r.optional("serving")) p.serving = read_serving(*s, model_catalog(), data, cat);
  if (auto t = r.optional("training")) p.training = read_training(*t, model_catalog());
  if (auto c = r.optional("costs")) read_costs(*c, p);

  auto check_applicable = [&](const Node& where, Metric m) {
    if (needs_serving(m) && !p.serving) where.fail(std::string(planner::metric_name(m)) + " needs a \"serving\" workload");
    if (needs_training(m) && !p.training) where.fail(std::string(planner::metric_name(m)) + " needs a \"training\" workload");
  };
  if (auto cs = r.optional("constraints")) {
    for (const Node& i : cs->items()) {
      p.constraints.push_back(parse_constraint(i));
      check_applicable(i, p.constraints.back().metric);
    }
  }
  if (auto os = r.optional("objectives")) {
    for (const Node& i : os->nonempty_items()) {
      std::string s = i.as_nonempty_string();
      planner::Objective o;
      bool explicit_dir = false;
      if (s.rfind("min ", 0) == 0 || s.rfind("max ", 0) == 0) {
        o.minimise = s[1] == 'i';
        s = s.substr(4);
        explicit_dir = true;
      }
      o.metric = read_metric_name(i, s);
      if (!explicit_dir) o.minimise = planner::lower_is_better(o.metric);
      check_applicable(i, o.metric);
      p.objectives.push_back(o);
    }
  } else {
    p.objectives.push_back({Metric::total_cost, true});
    if (p.serving) p.objectives.push_back({Metric::ttft_p99, true});
    if (p.training) p.objectives.push_back({Metric::time_to_train, true});
  }
  p.frontier_x = Metric::total_cost;
  p.frontier_y = p.serving ? Metric::ttft_p99 : Metric::time_to_train;
  if (auto f = r.optional("frontier")) {
    ObjectReader fr(*f);
    if (auto x = fr.optional("x")) p.frontier_x = read_metric_name(*x, x->as_nonempty_string()), check_applicable(*x, p.frontier_x);
    if (auto y = fr.optional("y")) p.frontier_y = read_metric_name(*y, y->as_nonempty_string()), check_applicable(*y, p.frontier_y);
    fr.finish();
  }
  if (auto g = r.optional("gates")) {
    for (const Node& i : g->items()) {
      p.gates.push_back(parse_constraint(i));
      check_applicable(i, p.gates.back().metric);
    }
  }
  p.simulate_top = static_cast<int>(r.int_or("simulate_top", p.simulate_top, 0, 1000));
  if (auto nf = r.optional("near_frontier")) p.near_frontier = nf->as_quantity(Dimension::ratio, 0.0, 10.0);
  r.finish();
  return p;
}

}  // namespace cs::load
