#include "planner/serving_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace cs::planner {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMemoryUsable = 0.90;     // leave 10% for the framework, CUDA graphs, fragmentation
constexpr double kActivationReserve = 2e9; // bytes per device for activations and workspaces
constexpr int kKernelsPerLayer = 10;       // launches per layer and iteration (norms, GEMMs, attention)
// Per-step latency of a ring all-reduce on the scale-up fabric: NCCL's small-message cost,
// several times the raw link latency (the serving simulation's scale-up model uses the same).
constexpr double kRingStepLatency = 3e-6;

struct Replica {
  const models::TransformerSpec* m;
  const hw::AcceleratorSpec* acc;
  hw::DType dtype;
  double bpe, tp, weights, kv_per_token, peak, launch, link_bw, link_lat;
};

// Ring all-reduce of `bytes` over the replica's TP ranks on the scale-up fabric.
double tp_all_reduce(const Replica& r, double bytes) {
  if (r.tp <= 1) return 0.0;
  return 2.0 * (r.tp - 1) / r.tp * bytes / r.link_bw + 2.0 * (r.tp - 1) * std::max(r.link_lat, kRingStepLatency);
}

double step_time(const Replica& r, double tokens, double flops, double bytes) {
  const auto& eff = r.acc->efficiency;
  const int cu = std::max(1, r.acc->compute_units);
  const double h = r.m->hidden;
  const double e_c = std::max(0.05, eff.gemm(r.dtype, std::max(1.0, tokens), h / r.tp, h, cu));
  const double e_m = std::max(0.05, eff.memory(r.weights / std::max(1, r.m->layers)));
  const double compute = flops / r.tp / (r.peak * e_c);
  const double memory = bytes / (r.acc->memory_bandwidth * e_m);
  const double comm = 2.0 * r.m->layers * tp_all_reduce(r, tokens * h * r.bpe);
  return std::max(compute, memory) + comm + kKernelsPerLayer * r.m->layers * r.launch;
}

double prefill_time(const Replica& r, double prompt) {
  const double flops = r.m->forward_flops_per_token(prompt, true) * prompt;
  const double bytes = r.weights + prompt * r.kv_per_token;
  return step_time(r, prompt, flops, bytes);
}

double decode_time(const Replica& r, double batch, double context) {
  const double flops = r.m->forward_flops_per_token(context, false) * batch;
  const double bytes = r.weights + batch * context * r.kv_per_token;
  return step_time(r, batch, flops, bytes);
}

// p99 of the M/M/1 waiting time at utilisation rho with mean service s.
double wait_p99(double rho, double s) {
  if (rho >= 1.0) return kInf;
  if (rho <= 0.01) return 0.0;
  return s / (1.0 - rho) * std::log(rho / 0.01);
}

// Decode concurrency from Little's law, by fixed-point iteration (monotone from below).
double decode_concurrency(const Replica& r, double rate, double out_mean, double context, double slowdown,
                          double b_max) {
  double b = 1.0;
  for (int i = 0; i < 60; ++i) {
    const double next = std::max(1.0, rate * out_mean * decode_time(r, b, context) * slowdown);
    if (next > b_max) return kInf;
    if (std::abs(next - b) < 1e-3) return next;
    b = next;
  }
  return b;
}

}  // namespace

ServingPerf estimate_serving(const hw::ClusterSpec& c, const ServingWorkload& w, const ServingSetting& s) {
  ServingPerf p;
  const auto& m = w.model;
  const auto& acc = c.accelerator;
  const auto& t = w.traffic;
  if (s.tp < 1 || s.tp > c.node.accelerators) {
    p.reason = fmt::format("TP {} does not fit in a node of {} accelerators", s.tp, c.node.accelerators);
    return p;
  }
  if (m.heads % s.tp != 0) {
    p.reason = fmt::format("TP {} does not divide {} attention heads", s.tp, m.heads);
    return p;
  }
  Replica r{};
  r.m = &m;
  r.acc = &acc;
  r.dtype = w.dtype;
  r.bpe = hw::bytes_per_element(w.dtype);
  r.tp = s.tp;
  r.weights = m.parameters() * r.bpe / s.tp;
  const double kv_split = std::min<double>(s.tp, std::max(1, m.kv_heads));
  r.kv_per_token = m.kv_cache_bytes_per_token_per_layer(r.bpe) * m.layers / kv_split;
  r.peak = acc.peak(w.dtype);
  if (r.peak <= 0) {
    p.reason = fmt::format("{} has no {} throughput", acc.name, hw::name(w.dtype));
    return p;
  }
  r.launch = acc.kernel_launch_overhead_s;
  r.link_bw = c.node.scale_up.bandwidth_per_accelerator > 0 ? c.node.scale_up.bandwidth_per_accelerator
                                                              : std::max(1e9, acc.scale_up.bandwidth_per_direction);
  r.link_lat = c.node.scale_up.latency_s > 0 ? c.node.scale_up.latency_s : 1e-6;
  p.weights_bytes_per_device = r.weights;

  const double room = acc.memory_bytes * kMemoryUsable - r.weights - kActivationReserve;
  if (room <= 0) {
    p.reason = fmt::format("weights need {:.1f} GB per device at TP {}, {:.0f} GB usable", r.weights / 1e9, s.tp,
                           acc.memory_bytes * kMemoryUsable / 1e9);
    return p;
  }
  const double seq_tokens = t.prompt_mean + t.output_mean;
  const double kv_batch = std::floor(room / (r.kv_per_token * std::max(1.0, seq_tokens)));
  if (kv_batch < 1) {
    p.reason = fmt::format("KV cache room ({:.1f} GB) holds no full sequence at TP {}", room / 1e9, s.tp);
    return p;
  }
  const double b_max = std::min<double>(s.max_batch, kv_batch);
  p.max_batch = static_cast<int>(b_max);
  p.kv_bytes_per_device = b_max * seq_tokens * r.kv_per_token;

  const int replicas = c.accelerators / s.tp;
  if (replicas < 1) {
    p.reason = fmt::format("{} accelerators cannot host one replica of TP {}", c.accelerators, s.tp);
    return p;
  }
  p.replicas = replicas;
  p.fits = true;

  const double ctx_mean = t.prompt_mean + t.output_mean / 2.0;
  const double ctx_tail = t.prompt_p99 + t.output_mean / 2.0;
  const double pf_mean = prefill_time(r, t.prompt_mean);
  const double pf_tail = prefill_time(r, t.prompt_p99);
  const double dec_full = decode_time(r, b_max, ctx_mean);

  if (s.prefill_fraction <= 0.0) {
    const double rate = t.rate / replicas;
    const double cap = 1.0 / (pf_mean + t.output_mean * dec_full / b_max);
    p.capacity_rps = cap * replicas;
    const double rho = rate / cap;
    p.utilisation = std::min(1.0, rho);
    const double rho_p = rate * pf_mean;
    if (rho >= 1.0 || rho_p >= 1.0) {
      p.ttft_p99 = p.tpot_p99 = p.e2e_p99 = kInf;
      return p;
    }
    const double slowdown = 1.0 / (1.0 - rho_p);
    const double b = decode_concurrency(r, rate, t.output_mean, ctx_mean, slowdown, b_max);
    if (!std::isfinite(b)) {
      p.ttft_p99 = p.tpot_p99 = p.e2e_p99 = kInf;
      return p;
    }
    p.ttft_p99 = wait_p99(rho, pf_mean) + pf_tail + decode_time(r, b, ctx_mean);
    p.tpot_p99 = decode_time(r, b, ctx_tail) * slowdown;
  } else {
    const int n_pf = std::clamp(static_cast<int>(std::lround(s.prefill_fraction * replicas)), 1,
                                std::max(1, replicas - 1));
    const int n_dec = replicas - n_pf;
    if (n_dec < 1) {
      p.fits = false;
      p.reason = "disaggregated serving needs at least two replicas";
      return p;
    }
    const double cap_pf = n_pf / pf_mean;
    const double cap_dec = n_dec * b_max / (t.output_mean * dec_full);
    p.capacity_rps = std::min(cap_pf, cap_dec);
    const double rho_pf = t.rate / cap_pf;
    const double rho_dec = t.rate / cap_dec;
    p.utilisation = std::min(1.0, (rho_pf * n_pf + rho_dec * n_dec) / replicas);
    if (rho_pf >= 1.0 || rho_dec >= 1.0) {
      p.ttft_p99 = p.tpot_p99 = p.e2e_p99 = kInf;
      return p;
    }
    const double b = decode_concurrency(r, t.rate / n_dec, t.output_mean, ctx_mean, 1.0, b_max);
    if (!std::isfinite(b)) {
      p.ttft_p99 = p.tpot_p99 = p.e2e_p99 = kInf;
      return p;
    }
    // KV of the prompt crosses the scale-out fabric once (all NICs of a node in parallel).
    const double nic_bw = std::max(1e9, c.nic.port_rate * std::max(1, c.nic.ports) * std::max(1, c.nics_per_node()));
    const double kv_transfer = t.prompt_p99 * r.kv_per_token * kv_split / nic_bw + c.nic.latency_s;
    p.ttft_p99 = wait_p99(rho_pf, pf_mean) + pf_tail + kv_transfer + decode_time(r, b, ctx_mean);
    p.tpot_p99 = decode_time(r, b, ctx_tail);
  }
  p.e2e_p99 = p.ttft_p99 + t.output_p99 * p.tpot_p99;
  return p;
}

}  // namespace cs::planner
