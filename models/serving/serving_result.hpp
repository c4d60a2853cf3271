#pragma once
// ServingResult: what a serving simulation reports (docs/results.md, "inference").
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/stats.hpp"

namespace cs::models::serving {

// One finished (or, at a time limit, unfinished) request.
struct RequestRecord {
  std::uint32_t id = 0;
  double arrival_s = 0;
  std::int32_t prompt_tokens = 0;
  std::int32_t output_tokens = 0;
  std::int32_t replica = -1;     // replica that produced the first token
  std::int32_t decode_replica = -1;  // disaggregated: the decode replica
  double queue_s = -1;           // arrival to first scheduled
  double ttft_s = -1;            // arrival to first token; -1 = not reached
  double tpot_s = -1;            // (e2e - ttft) / (output - 1); -1 for one-token outputs
  double e2e_s = -1;             // arrival to last token; -1 = unfinished
  std::int32_t preemptions = 0;
  bool meets_slo = false;
};

struct LatencySummary {
  std::uint64_t count = 0;
  double mean = 0, p50 = 0, p90 = 0, p99 = 0, max = 0;
  static LatencySummary of(const sim::QuantileSketch& q);
};

struct ReplicaReport {
  int index = 0;
  std::string role;        // "unified", "prefill", "decode"
  int gpus = 1;
  std::uint64_t iterations = 0;
  std::uint64_t requests = 0;  // requests whose work this replica started
  double busy_fraction = 0;    // time in iterations / elapsed
  double mfu = 0;              // model FLOPs / (peak x elapsed)
  double kv_occupancy_mean = 0;
  double kv_occupancy_max = 0;
  double kv_occupancy_end = 0;  // 0 after a drained run: every block returned
  double queue_mean = 0;
  double queue_max = 0;
  double running_mean = 0;
  std::uint64_t preemptions = 0;
  std::int64_t kv_blocks = 0;
};

struct TimePoint {
  double t_s = 0;               // end of the bucket
  double arrivals_per_s = 0;
  double completions_per_s = 0;
  double output_tokens_per_s = 0;
  double queued = 0;            // waiting requests, all replicas, at the sample
  double running = 0;           // sequences in batches, at the sample
  double kv_occupancy = 0;      // mean over replicas of used / total blocks, at the sample
  double ttft_p99_s = 0;        // of requests whose first token fell in the bucket
};

struct MemoryReport {
  std::string pool;  // "replica", "prefill", "decode"
  double device_gib = 0, usable_gib = 0, weights_gib = 0, activations_gib = 0, kv_gib = 0;
  std::int64_t kv_tokens = 0;
  double kv_bytes_per_token = 0;
};

struct ServingResult {
  std::string name;
  std::string model;
  std::string accelerator;
  std::string comm_source;
  int gpus = 0;
  int replicas = 0;
  bool disaggregated = false;

  std::uint64_t requests_arrived = 0;
  std::uint64_t requests_completed = 0;
  std::uint64_t preemptions = 0;
  std::uint64_t iterations = 0;
  std::uint64_t events = 0;
  double duration_s = 0;     // simulated time from first arrival to last completion (or limit)
  double input_tokens = 0;   // of completed requests
  double output_tokens = 0;

  double requests_per_s = 0;
  double input_tokens_per_s = 0;
  double output_tokens_per_s = 0;
  double output_tokens_per_s_per_gpu = 0;

  LatencySummary ttft, tpot, e2e, queue;
  double goodput_fraction = 0;      // completed requests meeting every SLO / arrived
  double goodput_requests_per_s = 0;
  double slo_ttft_s = 0, slo_tpot_s = 0, slo_e2e_s = 0;

  double mean_busy_fraction = 0;
  double mean_mfu = 0;
  double kv_occupancy_mean = 0;
  double kv_transfer_mean_s = 0;    // disaggregated only

  std::vector<MemoryReport> memory;
  std::vector<ReplicaReport> replica_reports;
  std::vector<TimePoint> series;
  std::vector<RequestRecord> requests;  // when asked for (keep_requests)
};

}  // namespace cs::models::serving
