#pragma once
// ServingSpec: everything a serving simulation needs, as plain typed data (the scenario's
// "inference" section resolved by loaders/inference_section.cpp).
//
// Units: times in SimTime or seconds, memory in bytes, token counts as integers.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/transformer.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/time.hpp"
#include "sim/hw/accelerator.hpp"
#include "sim/hw/dtype.hpp"

namespace cs::models::serving {

// One request as the source emits it.
struct Request {
  std::uint32_t id = 0;
  sim::SimTime arrival;
  std::int32_t prompt_tokens = 1;
  std::int32_t output_tokens = 1;  // includes the first token (produced by prefill)
};

// Continuous-batching scheduler settings (vLLM vocabulary).
struct SchedulerSpec {
  std::int32_t token_budget = 8192;  // max new tokens per iteration (max_num_batched_tokens)
  std::int32_t max_sequences = 256;  // max sequences in a batch (max_num_seqs)
  bool chunked_prefill = true;       // split long prompts over iterations, mixed batches
  // With chunked prefill: prefill chunks are scheduled before decodes within the budget
  // (else decodes first, as vLLM v1 and Sarathi-Serve do). Without chunked prefill: a
  // prefill-only iteration runs whenever a prompt can be admitted (vLLM v0), else
  // prompts are added to decode iterations only as far as the budget allows.
  bool prefill_priority = false;
  sim::SimTime iteration_overhead = sim::SimTime::zero();  // CPU scheduling + launch per iteration
};

// Device group of one replica (or one pool's replicas) and its memory plan.
struct ReplicaShape {
  int tp = 1;
  int pp = 1;
  hw::DType weight_dtype = hw::DType::bf16;
  hw::DType kv_dtype = hw::DType::bf16;
  std::int32_t kv_block_tokens = 16;
  double memory_utilization = 0.90;     // share of device memory the engine may use
  // KV capacity override in tokens per replica (0 = computed from memory).
  std::int64_t kv_capacity_tokens = 0;
  int gpus() const { return tp * pp; }
};

enum class RouterPolicy { round_robin, least_outstanding, least_kv };
std::string_view to_string(RouterPolicy p);

enum class ArrivalKind { poisson, gamma, offline };

struct SyntheticSource {
  ArrivalKind arrival = ArrivalKind::poisson;
  double rate = 1.0;       // requests per second (not used by offline)
  double burstiness_cv = 1.0;  // gamma: coefficient of variation of the gaps (1 = Poisson)
  sim::Distribution prompt_tokens = sim::Distribution::fixed(512);
  sim::Distribution output_tokens = sim::Distribution::fixed(128);
  std::uint64_t requests = 0;         // stop after this many (0 = use duration)
  sim::SimTime duration = sim::SimTime::zero();  // stop arrivals after this (0 = use requests)
};

// A trace already parsed (loaders/trace_loader.cpp), with replay settings.
struct TraceSource {
  std::string file;
  std::vector<double> arrival_s;  // seconds from the first row, non-decreasing
  std::vector<std::int32_t> prompt_tokens;
  std::vector<std::int32_t> output_tokens;
  double rate_multiplier = 1.0;   // >1 compresses time (more load)
  double window_start_s = 0.0;    // replay rows with arrival in [start, end) (trace time)
  double window_end_s = -1.0;     // < 0 = to the end
};

struct Slo {
  double ttft_s = 0;  // 0 = no target
  double tpot_s = 0;
  double e2e_s = 0;
  // Which percentile the scenario states its targets at (reported; goodput counts
  // requests meeting every target individually).
  double percentile = 0.99;
};

struct DisaggregationSpec {
  bool enabled = false;
  int prefill_replicas = 1;
  int decode_replicas = 1;
  ReplicaShape prefill_shape;
  ReplicaShape decode_shape;
  SchedulerSpec prefill_scheduler;
  SchedulerSpec decode_scheduler;
  // KV transfer link per request between the pools (bytes/s per GPU pair and latency);
  // filled from the cluster's fabric or given in the scenario.
  double transfer_bandwidth = 0;  // bytes/s; 0 = computed from the accelerator's scale-up link
  sim::SimTime transfer_latency = sim::SimTime::from_us(10);
};

struct ServingSpec {
  std::string name;
  TransformerSpec model;
  hw::AcceleratorSpec accelerator;
  ReplicaShape shape;
  SchedulerSpec scheduler;
  int replicas = 1;
  RouterPolicy router = RouterPolicy::round_robin;
  DisaggregationSpec disaggregation;

  std::optional<SyntheticSource> synthetic;
  std::optional<TraceSource> trace;

  Slo slo;
  std::uint64_t seed = 1;
  sim::SimTime metrics_interval = sim::SimTime::zero();  // time-series bucket (0 = automatic)
  sim::SimTime time_limit = sim::SimTime::zero();         // stop the run here (0 = drain)

  int total_gpus() const {
    return disaggregation.enabled
               ? disaggregation.prefill_replicas * disaggregation.prefill_shape.gpus() +
                     disaggregation.decode_replicas * disaggregation.decode_shape.gpus()
               : replicas * shape.gpus();
  }
};

}  // namespace cs::models::serving
