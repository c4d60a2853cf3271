#pragma once
// ServingSim: a cluster of serving replicas behind a router, fed by a request source, on
// one event engine. Unified replicas, or disaggregated prefill and decode pools with a
// KV-cache transfer between them.
//
// Events: one per arrival, one per replica iteration, one per KV transfer, one per
// metrics bucket. Nothing is scheduled per token.
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "models/serving/iteration_model.hpp"
#include "models/serving/replica.hpp"
#include "models/serving/request_source.hpp"
#include "models/serving/serving_result.hpp"
#include "sim/core/engine.hpp"
#include "sim/core/trace.hpp"

namespace cs::models::serving {

struct ServingOptions {
  bool keep_requests = false;          // fill ServingResult::requests
  sim::TraceRecorder* trace = nullptr; // iterations per replica, requests as async spans
};

// Communication for each pool (a fabric model when one is wired in, else scale_up_comm).
struct ServingComm {
  ReplicaComm replica;        // unified replicas, and the prefill pool
  ReplicaComm decode;         // decode pool (disaggregated)
};

class ServingSim {
 public:
  // Throws InputError when a replica does not fit its devices.
  ServingSim(const ServingSpec& spec, ServingComm comm, ServingOptions options = {});
  ~ServingSim();
  ServingSim(const ServingSim&) = delete;
  ServingSim& operator=(const ServingSim&) = delete;

  ServingResult run();

  // Called by replicas.
  Seq& seq(std::uint32_t id) { return seqs_[id]; }
  void on_scheduled(std::uint32_t id, sim::SimTime now);
  void on_first_token(std::uint32_t id, sim::SimTime now, int replica);
  void on_finished(std::uint32_t id, sim::SimTime now);
  void on_prefill_complete(std::uint32_t id, sim::SimTime now, int replica);
  void on_rejected(std::uint32_t id, sim::SimTime now);
  sim::TraceRecorder* trace() { return options_.trace; }

  const IterationModel& replica_model() const { return *model_; }

 private:
  void on_arrival(const sim::Event& e);
  void on_kv_arrived(const sim::Event& e);
  void on_sample(const sim::Event& e);
  void schedule_next_arrival();
  int route(int first, int count);
  void close_bucket(sim::SimTime end);
  bool drained() const { return source_done_ && outstanding_ == 0; }

  const ServingSpec& spec_;
  ServingOptions options_;
  sim::Engine engine_;
  RequestSource source_;
  std::unique_ptr<IterationModel> model_;         // unified or prefill pool
  std::unique_ptr<IterationModel> decode_model_;  // decode pool
  std::deque<Replica> replicas_;                  // prefill pool first, then decode pool
  int prefill_count_ = 0;                         // replicas taking new requests
  std::vector<Seq> seqs_;
  std::vector<sim::SimTime> link_free_;           // per prefill replica: KV link busy until
  std::uint64_t rr_next_ = 0;
  std::uint64_t rr_decode_ = 0;
  std::optional<Request> next_;
  bool source_done_ = false;
  std::uint64_t outstanding_ = 0;
  std::uint64_t rejected_ = 0;
  sim::SimTime first_arrival_ = sim::SimTime::max();
  sim::SimTime last_event_ = sim::SimTime::zero();

  // Aggregates.
  sim::QuantileSketch ttft_, tpot_, e2e_, queue_;
  sim::RunningStats transfer_;
  std::uint64_t completed_ = 0;
  std::uint64_t met_slo_ = 0;
  double input_tokens_ = 0, output_tokens_ = 0;

  // Current time-series bucket.
  sim::SimTime bucket_len_;
  sim::SimTime bucket_start_ = sim::SimTime::zero();
  std::uint64_t b_arrivals_ = 0, b_completions_ = 0;
  double b_tokens_ = 0;
  sim::QuantileSketch b_ttft_;
  std::vector<TimePoint> series_;
};

// Runs a spec with the scale-up alpha-beta communication model on every pool.
ServingResult simulate_serving(const ServingSpec& spec, ServingOptions options = {});

}  // namespace cs::models::serving
