#include "loaders/inference_section.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "loaders/model_loader.hpp"
#include "loaders/trace_loader.hpp"

namespace cs::load {
namespace {

namespace sv = models::serving;

std::filesystem::path resolve_path(const Node& node, const DataPaths& data) {
  const std::filesystem::path p = node.as_nonempty_string();
  if (p.is_absolute()) return p;
  const std::filesystem::path beside = std::filesystem::path(node.file()).parent_path() / p;
  if (std::filesystem::exists(beside)) return beside;
  const std::filesystem::path shipped = data.scenarios() / p;
  if (std::filesystem::exists(shipped)) return shipped;
  const std::filesystem::path from_root = data.root / p;
  if (std::filesystem::exists(from_root)) return from_root;
  node.fail("file '" + p.string() + "' not found beside the scenario nor under " + data.scenarios().string());
}

hw::DType read_dtype(const Node& node) {
  const std::string s = node.as_enum({"bf16", "fp16", "fp8", "fp4", "int8", "fp32"});
  return *hw::parse_dtype(s);
}

sv::SchedulerSpec read_scheduler(const std::optional<Node>& node, sv::SchedulerSpec s) {
  if (!node) return s;
  ObjectReader r(*node);
  s.token_budget = static_cast<std::int32_t>(r.int_or("token_budget", s.token_budget, 1, 1'000'000));
  s.max_sequences = static_cast<std::int32_t>(r.int_or("max_sequences", s.max_sequences, 1, 1'000'000));
  s.chunked_prefill = r.bool_or("chunked_prefill", s.chunked_prefill);
  s.prefill_priority = r.bool_or("prefill_priority", s.prefill_priority);
  if (auto o = r.optional("iteration_overhead")) s.iteration_overhead = o->as_duration();
  r.finish();
  return s;
}

// "replica"-like object: tp, pp, dtype, kv_dtype, kv_block_tokens, memory_utilization.
void read_shape_keys(ObjectReader& r, sv::ReplicaShape& shape) {
  shape.tp = static_cast<int>(r.int_or("tp", shape.tp, 1, 1024));
  shape.pp = static_cast<int>(r.int_or("pp", shape.pp, 1, 1024));
}

sv::SyntheticSource read_synthetic(ObjectReader& w, const std::string& kind, const DataPaths& data) {
  sv::SyntheticSource s;
  s.arrival = kind == "poisson" ? sv::ArrivalKind::poisson : kind == "gamma" ? sv::ArrivalKind::gamma
                                                                              : sv::ArrivalKind::offline;
  if (s.arrival != sv::ArrivalKind::offline) {
    s.rate = w.required("rate", "requests per second").as_number(1e-9, 1e9);
  }
  if (s.arrival == sv::ArrivalKind::gamma) {
    s.burstiness_cv = w.required("burstiness_cv", "coefficient of variation of the gaps (1 = Poisson)")
                          .as_number(0.01, 100.0);
  }
  s.prompt_tokens = read_distribution(w.required("prompt_tokens", "a length distribution"), data);
  s.output_tokens = read_distribution(w.required("output_tokens", "a length distribution"), data);
  if (auto n = w.optional("requests")) s.requests = static_cast<std::uint64_t>(n->as_count(1, 1'000'000'000));
  if (auto d = w.optional("duration")) s.duration = d->as_duration(sim::SimTime::from_ns(1));
  if (s.requests == 0 && s.duration == sim::SimTime::zero()) {
    w.node().fail("give \"requests\" (a count) or \"duration\" so the workload ends");
  }
  if (s.arrival == sv::ArrivalKind::offline && s.requests == 0) {
    w.node().fail("an offline workload needs \"requests\"");
  }
  return s;
}

sv::TraceSource read_trace(ObjectReader& w, const DataPaths& data) {
  const Node file = w.required("trace", "a CSV file in the Azure LLM trace format");
  sv::TraceSource t = load_azure_trace(resolve_path(file, data));
  t.rate_multiplier = w.number_or("rate_multiplier", 1.0, 1e-6, 1e6);
  if (auto win = w.optional("window")) {
    ObjectReader r(*win);
    if (auto s = r.optional("start")) t.window_start_s = s->as_duration().seconds();
    if (auto e = r.optional("end")) t.window_end_s = e->as_duration().seconds();
    r.finish();
    if (t.window_end_s >= 0 && t.window_end_s <= t.window_start_s) win->fail("window end must be after its start");
  }
  return t;
}

}  // namespace

sim::Distribution read_distribution(const Node& node, const DataPaths& data) {
  if (node.is_number()) return sim::Distribution::fixed(node.as_number(0.0));
  if (!node.is_object()) node.fail("expected a number or a distribution object with \"kind\"");
  ObjectReader r(node);
  const std::string kind = r.required("kind").as_enum({"fixed", "uniform", "lognormal", "gamma", "exponential",
                                                       "empirical"});
  sim::Distribution d;
  if (kind == "fixed") {
    d = sim::Distribution::fixed(r.required("value").as_number(0.0));
  } else if (kind == "uniform") {
    const double lo = r.required("min").as_number(0.0);
    const double hi = r.required("max").as_number(lo);
    r.finish();
    return sim::Distribution::uniform(lo, hi);
  } else if (kind == "lognormal") {
    if (r.has("mu")) {
      const double mu = r.required("mu").as_number();
      d = sim::Distribution::lognormal(mu, r.required("sigma").as_number(0.0, 10.0));
    } else {
      const double mean = r.required("mean", "the mean (or give mu and sigma)").as_number(1e-9);
      d = sim::Distribution::lognormal_mean_cv(mean, r.required("cv").as_number(0.0, 100.0));
    }
  } else if (kind == "gamma") {
    const double mean = r.required("mean").as_number(1e-9);
    d = sim::Distribution::gamma_mean_cv(mean, r.required("cv").as_number(1e-3, 100.0));
  } else if (kind == "exponential") {
    d = sim::Distribution::exponential(r.required("mean").as_number(1e-9));
  } else {
    if (r.has("trace")) {
      const Node file = r.required("trace");
      const std::string column = r.required("column", "\"prompt\" or \"output\"").as_enum({"prompt", "output"});
      const sv::TraceSource t = load_azure_trace(resolve_path(file, data));
      const auto& col = column == "prompt" ? t.prompt_tokens : t.output_tokens;
      d = sim::Distribution::empirical(std::vector<double>(col.begin(), col.end()));
    } else {
      std::vector<double> values, weights;
      for (const Node& v : r.required("values").nonempty_items()) values.push_back(v.as_number());
      if (auto w = r.optional("weights")) {
        for (const Node& v : w->items()) weights.push_back(v.as_number(0.0));
        if (weights.size() != values.size()) w->fail("expected as many weights as values");
      }
      d = sim::Distribution::empirical(std::move(values), std::move(weights));
    }
  }
  const double lo = r.number_or("min", -std::numeric_limits<double>::infinity());
  const double hi = r.number_or("max", std::numeric_limits<double>::infinity());
  r.finish();
  if (std::isfinite(lo) || std::isfinite(hi)) d = d.clamped(lo, hi);
  return d;
}

sv::ServingSpec read_inference_section(const Node& node, const hw::HardwareCatalog& hardware,
                                       const ModelCatalog& models, const DataPaths& data,
                                       const hw::ClusterSpec* cluster, std::uint64_t seed) {
  ObjectReader r(node);
  sv::ServingSpec s;
  s.seed = seed;
  s.model = resolve_model(r.required("model", "a catalog model name or an inline model"), models);
  s.name = s.model.name;
  if (auto a = r.optional("accelerator")) {
    try {
      s.accelerator = hardware.accelerator(a->as_nonempty_string());
    } catch (const InputError& e) {
      a->fail(e.detail());
    }
    if (cluster && cluster->accelerator.name != s.accelerator.name) {
      a->fail("the cluster's accelerator is " + cluster->accelerator.name + "; leave \"accelerator\" out or match it");
    }
  } else if (cluster) {
    s.accelerator = cluster->accelerator;
  } else {
    node.fail("name an \"accelerator\" (or give the scenario a \"cluster\" section)");
  }

  sv::ReplicaShape base;
  if (auto d = r.optional("dtype")) base.weight_dtype = read_dtype(*d);
  base.kv_dtype = base.weight_dtype == hw::DType::fp8 ? hw::DType::fp8 : base.weight_dtype;
  if (auto d = r.optional("kv_dtype")) base.kv_dtype = read_dtype(*d);
  base.kv_block_tokens = static_cast<std::int32_t>(r.int_or("kv_block_tokens", 16, 1, 4096));
  base.memory_utilization = r.number_or("memory_utilization", 0.90, 0.05, 1.0);
  if (auto k = r.optional("kv_capacity_tokens")) base.kv_capacity_tokens = k->as_count(1);
  s.shape = base;
  if (auto rep = r.optional("replica")) {
    ObjectReader rr(*rep);
    read_shape_keys(rr, s.shape);
    rr.finish();
  }
  s.scheduler = read_scheduler(r.optional("scheduler"), sv::SchedulerSpec{});
  if (auto n = r.optional("router")) {
    const std::string p = n->as_enum({"round_robin", "least_outstanding", "least_kv"});
    s.router = p == "round_robin" ? sv::RouterPolicy::round_robin
               : p == "least_outstanding" ? sv::RouterPolicy::least_outstanding
                                          : sv::RouterPolicy::least_kv;
  }

  const bool has_replicas = r.has("replicas");
  const bool has_dis = r.has("disaggregation");
  if (has_replicas && has_dis) node.fail("give either \"replicas\" or \"disaggregation\" (per-pool replicas), not both");
  s.replicas = static_cast<int>(r.int_or("replicas", 1, 1, 100000));
  if (auto dn = r.optional("disaggregation")) {
    auto& dis = s.disaggregation;
    dis.enabled = true;
    ObjectReader d(*dn);
    auto pool = [&](std::string_view key, int& replicas, sv::ReplicaShape& shape, sv::SchedulerSpec& sched) {
      ObjectReader p(d.required(key, "a pool: replicas, tp, pp, scheduler"));
      replicas = static_cast<int>(p.required("replicas").as_int(1, 100000));
      shape = base;
      read_shape_keys(p, shape);
      sched = read_scheduler(p.optional("scheduler"), s.scheduler);
      p.finish();
    };
    pool("prefill", dis.prefill_replicas, dis.prefill_shape, dis.prefill_scheduler);
    pool("decode", dis.decode_replicas, dis.decode_shape, dis.decode_scheduler);
    if (auto kv = d.optional("kv_transfer")) {
      ObjectReader k(*kv);
      dis.transfer_bandwidth = k.quantity_or("bandwidth", Dimension::bandwidth, 0.0, 1.0);
      if (auto l = k.optional("latency")) dis.transfer_latency = l->as_duration();
      k.finish();
    }
    d.finish();
    s.replicas = dis.prefill_replicas + dis.decode_replicas;
  }
  if (cluster && s.total_gpus() > cluster->accelerators) {
    node.fail("the deployment needs " + std::to_string(s.total_gpus()) + " accelerators but the cluster has " +
              std::to_string(cluster->accelerators));
  }

  {
    ObjectReader w(r.required("workload", "the request source"));
    const std::string kind = w.required("source").as_enum({"poisson", "gamma", "offline", "trace"});
    if (kind == "trace") {
      s.trace = read_trace(w, data);
    } else {
      s.synthetic = read_synthetic(w, kind, data);
    }
    w.finish();
  }
  if (auto slo = r.optional("slo")) {
    ObjectReader o(*slo);
    if (auto t = o.optional("ttft_p99")) s.slo.ttft_s = t->as_duration().seconds();
    if (auto t = o.optional("tpot_p99")) s.slo.tpot_s = t->as_duration().seconds();
    if (auto t = o.optional("e2e_p99")) s.slo.e2e_s = t->as_duration().seconds();
    o.finish();
  }
  if (auto m = r.optional("metrics_interval")) s.metrics_interval = m->as_duration(sim::SimTime::from_ms(1));
  if (auto t = r.optional("time_limit")) s.time_limit = t->as_duration(sim::SimTime::from_ns(1));
  r.finish();
  return s;
}

}  // namespace cs::load
