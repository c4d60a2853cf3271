#include "loaders/inference_report.hpp"

#include <fmt/format.h>

#include <ostream>

namespace cs::load {
namespace {

namespace sv = models::serving;

nlohmann::json latency_json(const sv::LatencySummary& s) {
  return {{"count", s.count}, {"mean", s.mean}, {"p50", s.p50}, {"p90", s.p90}, {"p99", s.p99}, {"max", s.max}};
}

std::string ms(double s) { return fmt::format("{:.1f} ms", 1e3 * s); }

}  // namespace

nlohmann::json serving_result_json(const sv::ServingResult& r, const sv::ServingSpec& spec) {
  nlohmann::json j;
  j["schema_version"] = 1;
  j["kind"] = "inference";
  j["name"] = r.name;
  j["deployment"] = {{"model", r.model},
                     {"accelerator", r.accelerator},
                     {"gpus", r.gpus},
                     {"replicas", r.replicas},
                     {"disaggregated", r.disaggregated},
                     {"tp", spec.shape.tp},
                     {"pp", spec.shape.pp},
                     {"weight_dtype", std::string(hw::name(spec.shape.weight_dtype))},
                     {"kv_dtype", std::string(hw::name(spec.shape.kv_dtype))},
                     {"router", std::string(sv::to_string(spec.router))},
                     {"communication", r.comm_source}};
  if (spec.disaggregation.enabled) {
    const auto& d = spec.disaggregation;
    j["deployment"]["prefill_pool"] = {{"replicas", d.prefill_replicas}, {"tp", d.prefill_shape.tp}, {"pp", d.prefill_shape.pp}};
    j["deployment"]["decode_pool"] = {{"replicas", d.decode_replicas}, {"tp", d.decode_shape.tp}, {"pp", d.decode_shape.pp}};
  }
  nlohmann::json mem = nlohmann::json::array();
  for (const auto& m : r.memory) {
    mem.push_back({{"pool", m.pool},
                   {"device_gib", m.device_gib},
                   {"usable_gib", m.usable_gib},
                   {"weights_gib", m.weights_gib},
                   {"activations_gib", m.activations_gib},
                   {"kv_cache_gib", m.kv_gib},
                   {"kv_capacity_tokens", m.kv_tokens},
                   {"kv_bytes_per_token_per_gpu", m.kv_bytes_per_token}});
  }
  j["memory"] = mem;
  j["requests"] = {{"arrived", r.requests_arrived}, {"completed", r.requests_completed}, {"preemptions", r.preemptions}};
  j["duration_s"] = r.duration_s;
  j["throughput"] = {{"requests_per_s", r.requests_per_s},
                     {"input_tokens_per_s", r.input_tokens_per_s},
                     {"output_tokens_per_s", r.output_tokens_per_s},
                     {"output_tokens_per_s_per_gpu", r.output_tokens_per_s_per_gpu},
                     {"input_tokens", r.input_tokens},
                     {"output_tokens", r.output_tokens}};
  j["latency_s"] = {{"ttft", latency_json(r.ttft)},
                    {"tpot", latency_json(r.tpot)},
                    {"e2e", latency_json(r.e2e)},
                    {"queue", latency_json(r.queue)}};
  j["slo"] = {{"ttft_s", r.slo_ttft_s},
              {"tpot_s", r.slo_tpot_s},
              {"e2e_s", r.slo_e2e_s},
              {"goodput_fraction", r.goodput_fraction},
              {"goodput_requests_per_s", r.goodput_requests_per_s}};
  j["utilization"] = {{"busy_fraction", r.mean_busy_fraction},
                      {"mfu", r.mean_mfu},
                      {"kv_occupancy_mean", r.kv_occupancy_mean},
                      {"kv_transfer_mean_s", r.kv_transfer_mean_s}};
  nlohmann::json reps = nlohmann::json::array();
  for (const auto& x : r.replica_reports) {
    reps.push_back({{"index", x.index},
                    {"role", x.role},
                    {"gpus", x.gpus},
                    {"iterations", x.iterations},
                    {"requests", x.requests},
                    {"busy_fraction", x.busy_fraction},
                    {"mfu", x.mfu},
                    {"kv_blocks", x.kv_blocks},
                    {"kv_occupancy_mean", x.kv_occupancy_mean},
                    {"kv_occupancy_max", x.kv_occupancy_max},
                    {"kv_occupancy_end", x.kv_occupancy_end},
                    {"queue_mean", x.queue_mean},
                    {"queue_max", x.queue_max},
                    {"running_mean", x.running_mean},
                    {"preemptions", x.preemptions}});
  }
  j["replicas"] = reps;
  nlohmann::json ts = nlohmann::json::array();
  for (const auto& p : r.series) {
    ts.push_back({{"t_s", p.t_s},
                  {"arrivals_per_s", p.arrivals_per_s},
                  {"completions_per_s", p.completions_per_s},
                  {"output_tokens_per_s", p.output_tokens_per_s},
                  {"queued", p.queued},
                  {"running", p.running},
                  {"kv_occupancy", p.kv_occupancy},
                  {"ttft_p99_s", p.ttft_p99_s}});
  }
  j["time_series"] = ts;
  j["simulator"] = {{"events", r.events}, {"iterations", r.iterations}};
  return j;
}

void write_requests_csv(const sv::ServingResult& r, std::ostream& out) {
  out << "id,arrival_s,prompt_tokens,output_tokens,replica,decode_replica,queue_s,ttft_s,tpot_s,e2e_s,preemptions,"
         "meets_slo\n";
  for (const auto& q : r.requests) {
    out << fmt::format("{},{:.6f},{},{},{},{},{:.6f},{:.6f},{:.6f},{:.6f},{},{}\n", q.id, q.arrival_s, q.prompt_tokens,
                       q.output_tokens, q.replica, q.decode_replica, q.queue_s, q.ttft_s, q.tpot_s, q.e2e_s,
                       q.preemptions, q.meets_slo ? 1 : 0);
  }
}

void print_serving_summary(const sv::ServingResult& r, const sv::ServingSpec& spec, std::ostream& out) {
  std::string layout;
  if (spec.disaggregation.enabled) {
    const auto& d = spec.disaggregation;
    layout = fmt::format("prefill {} x tp{} pp{}, decode {} x tp{} pp{}", d.prefill_replicas, d.prefill_shape.tp,
                         d.prefill_shape.pp, d.decode_replicas, d.decode_shape.tp, d.decode_shape.pp);
  } else {
    layout = fmt::format("{} replica{} x tp{} pp{}", r.replicas, r.replicas == 1 ? "" : "s", spec.shape.tp, spec.shape.pp);
  }
  out << fmt::format("inference {}: {} on {} x {} ({}, {})\n", r.name, r.model, r.gpus, r.accelerator, layout,
                     hw::name(spec.shape.weight_dtype));
  for (const auto& m : r.memory) {
    out << fmt::format("memory    {}: {:.1f} GiB weights, {:.1f} GiB activations, {:.1f} GiB KV = {} tokens per replica\n",
                       m.pool, m.weights_gib, m.activations_gib, m.kv_gib, m.kv_tokens);
  }
  out << fmt::format("requests  {} arrived, {} completed in {:.1f} s simulated, {} preemptions\n", r.requests_arrived,
                     r.requests_completed, r.duration_s, r.preemptions);
  out << fmt::format("throughput {:.2f} req/s, {:.0f} input tok/s, {:.0f} output tok/s ({:.0f} per GPU)\n",
                     r.requests_per_s, r.input_tokens_per_s, r.output_tokens_per_s, r.output_tokens_per_s_per_gpu);
  out << fmt::format("TTFT      mean {}  p50 {}  p90 {}  p99 {}\n", ms(r.ttft.mean), ms(r.ttft.p50), ms(r.ttft.p90),
                     ms(r.ttft.p99));
  out << fmt::format("TPOT      mean {}  p50 {}  p90 {}  p99 {}\n", ms(r.tpot.mean), ms(r.tpot.p50), ms(r.tpot.p90),
                     ms(r.tpot.p99));
  out << fmt::format("e2e       mean {:.2f} s  p50 {:.2f} s  p90 {:.2f} s  p99 {:.2f} s\n", r.e2e.mean, r.e2e.p50,
                     r.e2e.p90, r.e2e.p99);
  out << fmt::format("queue     mean {}  p99 {}\n", ms(r.queue.mean), ms(r.queue.p99));
  if (r.slo_ttft_s > 0 || r.slo_tpot_s > 0 || r.slo_e2e_s > 0) {
    out << fmt::format("goodput   {:.1f}% of requests meet the SLOs ({:.2f} req/s)\n", 100.0 * r.goodput_fraction,
                       r.goodput_requests_per_s);
  }
  out << fmt::format("utilisation busy {:.1f}%, MFU {:.1f}%, KV occupancy {:.1f}%{}\n", 100.0 * r.mean_busy_fraction,
                     100.0 * r.mean_mfu, 100.0 * r.kv_occupancy_mean,
                     r.disaggregated ? fmt::format(", KV transfer mean {}", ms(r.kv_transfer_mean_s)) : "");
}

}  // namespace cs::load
