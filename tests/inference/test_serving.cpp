#include <doctest/doctest.h>

#include <cmath>

#include "models/serving/serving_sim.hpp"
#include "sim/core/error.hpp"
#include "tests/inference/serving_fixture.hpp"

namespace sv = cs::models::serving;
using cs::sim::SimTime;
using cs::test::ServingCatalogs;
using cs::test::small_spec;

TEST_CASE("serving: one request's TTFT and TPOT equal the iteration model's costs") {
  sv::ServingSpec s = small_spec(1.0, 1.0, 512, 33);
  s.synthetic->requests = 1;
  s.scheduler.iteration_overhead = SimTime::from_us(100);
  const sv::ServingResult r = sv::simulate_serving(s);
  REQUIRE(r.requests_completed == 1);

  sv::IterationModel m(s.model, s.accelerator, s.shape, s.scheduler, sv::scale_up_comm(s.accelerator));
  const sv::PrefillChunk chunk{512, 512};
  sv::BatchShape prefill;
  prefill.chunks = &chunk;
  prefill.chunk_count = 1;
  prefill.logits = 1;
  const double ttft = SimTime::from_seconds_ceil(m.cost(prefill).seconds).seconds() + 100e-6;
  CHECK(r.ttft.mean == doctest::Approx(ttft).epsilon(1e-6));
  // 32 decode steps at contexts 513..544; the mean step is close to the one at 528.
  sv::BatchShape decode;
  decode.decode_seqs = 1;
  decode.decode_context = 529;
  decode.logits = 1;
  const double tpot = m.cost(decode).seconds + 100e-6;
  CHECK(r.tpot.mean == doctest::Approx(tpot).epsilon(0.01));
  CHECK(r.e2e.mean == doctest::Approx(ttft + 32 * r.tpot.mean).epsilon(1e-6));
  CHECK(r.output_tokens == 33);
  CHECK(r.input_tokens == 512);
}

TEST_CASE("serving: queueing grows and TTFT explodes past saturation") {
  // One H100 serving 8B with 2000-token prompts and 200-token outputs; find the load
  // where the queue stops draining.
  const double rates[] = {1.0, 4.0, 12.0, 40.0};
  double prev_ttft = 0, prev_queue = 0;
  std::vector<sv::ServingResult> results;
  for (double rate : rates) {
    sv::ServingSpec s = small_spec(rate, 60.0, 2000, 200);
    results.push_back(sv::simulate_serving(s));
    const auto& r = results.back();
    CAPTURE(rate);
    CHECK(r.requests_completed == r.requests_arrived);
    CHECK(r.ttft.p99 >= prev_ttft);
    CHECK(r.replica_reports[0].queue_mean >= prev_queue);
    prev_ttft = r.ttft.p99;
    prev_queue = r.replica_reports[0].queue_mean;
  }
  // Below saturation TTFT is a few iterations; past it, requests wait for most of the run.
  CHECK(results[0].ttft.p99 < 0.5);
  CHECK(results[3].ttft.p99 > 20.0 * results[0].ttft.p99);
  CHECK(results[3].ttft.p99 > 10.0);
  CHECK(results[3].replica_reports[0].queue_max > 100);
  // Throughput saturates: 10x the offered load does not give 10x the completions per second.
  CHECK(results[3].requests_per_s < 0.5 * 40.0);
  // The time series shows the queue building up.
  const auto& series = results[3].series;
  REQUIRE(series.size() > 10);
  CHECK(series[series.size() / 2].queued > series[1].queued);
}

TEST_CASE("serving: KV exhaustion preempts and recomputes, and every request still finishes") {
  sv::ServingSpec s = small_spec(20.0, 10.0, 200, 400);
  s.shape.kv_capacity_tokens = 8192;  // ~13 sequences of 600 tokens
  const sv::ServingResult tight = sv::simulate_serving(s);
  CHECK(tight.preemptions > 0);
  CHECK(tight.requests_completed == tight.requests_arrived);
  CHECK(tight.output_tokens == doctest::Approx(400.0 * static_cast<double>(tight.requests_arrived)));
  CHECK(tight.replica_reports[0].kv_occupancy_max <= 1.0);
  CHECK(tight.replica_reports[0].kv_occupancy_max > 0.9);
  CHECK(tight.replica_reports[0].kv_occupancy_end == 0.0);  // every block came back

  s.shape.kv_capacity_tokens = 0;  // the memory plan's capacity: hundreds of thousands of tokens
  const sv::ServingResult roomy = sv::simulate_serving(s);
  CHECK(roomy.preemptions == 0);
  CHECK(roomy.e2e.p99 < tight.e2e.p99);
}

TEST_CASE("serving: a prompt larger than the whole KV cache is rejected, not looped") {
  sv::ServingSpec s = small_spec(1.0, 3.0, 5000, 10);
  s.shape.kv_capacity_tokens = 4096;
  const sv::ServingResult r = sv::simulate_serving(s);
  CHECK(r.requests_arrived > 0);
  CHECK(r.requests_completed == 0);
}

TEST_CASE("serving: disaggregation moves prefill interference off decode (equal GPUs)") {
  // Prefill-heavy: long prompts, short answers, on 4 H100s either way.
  sv::ServingSpec unified = small_spec(6.0, 60.0, 8000, 64, 4);
  unified.router = sv::RouterPolicy::least_outstanding;
  sv::ServingSpec dis = unified;
  dis.disaggregation.enabled = true;
  dis.disaggregation.prefill_replicas = 2;
  dis.disaggregation.decode_replicas = 2;
  dis.disaggregation.prefill_shape = dis.shape;
  dis.disaggregation.decode_shape = dis.shape;
  dis.disaggregation.prefill_scheduler = dis.scheduler;
  dis.disaggregation.decode_scheduler = dis.scheduler;
  REQUIRE(dis.total_gpus() == unified.total_gpus());
  const sv::ServingResult a = sv::simulate_serving(unified);
  const sv::ServingResult b = sv::simulate_serving(dis);
  CHECK(a.requests_completed == a.requests_arrived);
  CHECK(b.requests_completed == b.requests_arrived);
  // Unified replicas stall their decodes behind prefill chunks; the decode pool never does.
  CHECK(b.tpot.mean < 0.95 * a.tpot.mean);
  CHECK(b.tpot.p90 < 0.8 * a.tpot.p90);
  CHECK(b.tpot.p99 < 0.7 * a.tpot.p99);
  // The price: half the GPUs prefill, so first tokens wait longer under bursts.
  CHECK(b.ttft.p99 > a.ttft.p99);
  CHECK(b.kv_transfer_mean_s > 0);
  // Roles: decode replicas never prefill a fresh prompt.
  for (const auto& rr : b.replica_reports) {
    if (rr.role == "decode") CHECK(rr.requests == 0);
    CHECK(rr.kv_occupancy_end == 0.0);
  }
}

TEST_CASE("serving: chunked prefill keeps decode steps short under long prompts") {
  sv::ServingSpec s = small_spec(3.0, 60.0, 8000, 200);
  s.scheduler.token_budget = 16384;
  s.scheduler.chunked_prefill = false;
  s.scheduler.prefill_priority = true;
  const sv::ServingResult whole = sv::simulate_serving(s);
  s.scheduler.chunked_prefill = true;
  s.scheduler.prefill_priority = false;
  s.scheduler.token_budget = 1024;
  const sv::ServingResult chunked = sv::simulate_serving(s);
  CHECK(chunked.tpot.p99 < whole.tpot.p99);
}

TEST_CASE("serving: every router spreads load over all replicas") {
  sv::ServingSpec s = small_spec(30.0, 40.0, 500, 100, 4);
  s.synthetic->output_tokens = cs::sim::Distribution::lognormal_mean_cv(300, 2.0).clamped(1, 4000);
  s.router = sv::RouterPolicy::round_robin;
  const sv::ServingResult rr = sv::simulate_serving(s);
  s.router = sv::RouterPolicy::least_outstanding;
  const sv::ServingResult lo = sv::simulate_serving(s);
  s.router = sv::RouterPolicy::least_kv;
  const sv::ServingResult kv = sv::simulate_serving(s);
  for (const auto* r : {&rr, &lo, &kv}) {
    CHECK(r->requests_completed == r->requests_arrived);
    for (const auto& rep : r->replica_reports) CHECK(rep.requests > 0);
  }
  // Balanced placement: no replica ends up with much more than its share of requests.
  for (const auto* r : {&lo, &kv}) {
    for (const auto& rep : r->replica_reports) {
      CHECK(static_cast<double>(rep.requests) < 0.4 * static_cast<double>(r->requests_arrived));
    }
  }
}

TEST_CASE("serving: the same seed gives the same run, another seed another") {
  sv::ServingSpec s = small_spec(15.0, 20.0, 800, 150, 2);
  s.synthetic->prompt_tokens = cs::sim::Distribution::lognormal_mean_cv(800, 1.0).clamped(1, 8000);
  s.synthetic->arrival = sv::ArrivalKind::gamma;
  s.synthetic->burstiness_cv = 3.0;
  sv::ServingOptions o;
  o.keep_requests = true;
  const sv::ServingResult a = sv::simulate_serving(s, o);
  const sv::ServingResult b = sv::simulate_serving(s, o);
  REQUIRE(a.requests.size() == b.requests.size());
  for (std::size_t i = 0; i < a.requests.size(); ++i) {
    CHECK(a.requests[i].arrival_s == b.requests[i].arrival_s);
    CHECK(a.requests[i].e2e_s == b.requests[i].e2e_s);
    CHECK(a.requests[i].replica == b.requests[i].replica);
  }
  CHECK(a.ttft.p99 == b.ttft.p99);
  CHECK(a.events == b.events);
  s.seed = 4;
  const sv::ServingResult c = sv::simulate_serving(s, o);
  CHECK(c.requests_arrived != a.requests_arrived);
}

TEST_CASE("serving: trace replay honours the rate multiplier and the window") {
  sv::ServingSpec s = small_spec(1.0, 1.0, 1, 1);
  s.synthetic.reset();
  sv::TraceSource t;
  t.file = "inline";
  for (int i = 0; i < 100; ++i) {
    t.arrival_s.push_back(i * 1.0);
    t.prompt_tokens.push_back(100);
    t.output_tokens.push_back(10);
  }
  t.rate_multiplier = 4.0;
  t.window_start_s = 20.0;
  t.window_end_s = 60.0;
  s.trace = t;
  sv::ServingOptions o;
  o.keep_requests = true;
  const sv::ServingResult r = sv::simulate_serving(s, o);
  REQUIRE(r.requests_arrived == 40);
  CHECK(r.requests[0].arrival_s == 0.0);
  CHECK(r.requests[39].arrival_s == doctest::Approx(39.0 / 4.0));
}

TEST_CASE("serving: the memory plan rejects a model that does not fit, with the numbers") {
  sv::ServingSpec s = small_spec(1.0, 1.0, 100, 10);
  s.model = ServingCatalogs::get().models.model("llama-2-70b");
  try {
    sv::simulate_serving(s);
    FAIL("expected an InputError");
  } catch (const cs::InputError& e) {
    CHECK(std::string(e.what()).find("does not fit on h100-sxm") != std::string::npos);
    CHECK(std::string(e.what()).find("GiB") != std::string::npos);
  }
  s.shape.tp = 8;
  sv::IterationModel m(s.model, s.accelerator, s.shape, s.scheduler, sv::scale_up_comm(s.accelerator));
  // 70B in BF16 over 8 GPUs: ~16 GiB of weights each; KV per token per GPU: 80 layers x
  // 2 x 128 x (8 KV heads / 8) x 2 bytes.
  CHECK(m.memory().weight_bytes == doctest::Approx(s.model.parameters() * 2.0 / 8.0));
  CHECK(m.memory().kv_bytes_per_token == doctest::Approx(80.0 * 2 * 128 * 1 * 2));
  CHECK(m.memory().kv_tokens > 1'000'000);
}

TEST_CASE("serving: tensor parallelism adds all-reduce time and shortens compute") {
  const auto& c = ServingCatalogs::get();
  sv::ReplicaShape tp1, tp4;
  tp4.tp = 4;
  sv::SchedulerSpec sched;
  const auto& model = c.models.model("llama-3-8b");
  const auto& acc = c.hardware.accelerator("h100-sxm");
  sv::IterationModel m1(model, acc, tp1, sched, sv::scale_up_comm(acc));
  sv::IterationModel m4(model, acc, tp4, sched, sv::scale_up_comm(acc));
  sv::ReplicaComm no_comm{[](double, int) { return 0.0; }, [](double) { return 0.0; }, "none"};
  sv::IterationModel m4_free(model, acc, tp4, sched, no_comm);
  sv::BatchShape b;
  b.decode_seqs = 64;
  b.decode_context = 64 * 1000.0;
  b.logits = 64;
  const double t1 = m1.cost(b).seconds, t4 = m4.cost(b).seconds, t4_free = m4_free.cost(b).seconds;
  CHECK(t4 < t1);
  CHECK(t4_free < t4);
  CHECK(m4.cost(b).flops == doctest::Approx(m1.cost(b).flops).epsilon(0.02));
}

TEST_CASE("serving: a transferred KV that cannot fit the decode pool ends the run instead of hanging") {
  sv::ServingSpec s = small_spec(2.0, 5.0, 2000, 20, 2);
  s.disaggregation.enabled = true;
  s.disaggregation.prefill_replicas = 1;
  s.disaggregation.decode_replicas = 1;
  s.disaggregation.prefill_shape = s.shape;
  s.disaggregation.decode_shape = s.shape;
  s.disaggregation.decode_shape.kv_capacity_tokens = 1024;
  s.disaggregation.prefill_scheduler = s.scheduler;
  s.disaggregation.decode_scheduler = s.scheduler;
  const sv::ServingResult r = sv::simulate_serving(s);
  CHECK(r.requests_arrived > 0);
  CHECK(r.requests_completed == 0);
  CHECK(r.ttft.count == r.requests_arrived);  // the prefill pool still produced first tokens
  CHECK(r.duration_s < 60.0);
}

TEST_CASE("serving: block accounting holds in every scheduler mode under preemption") {
  struct Mode {
    bool chunked;
    bool prefill_priority;
  };
  for (const Mode mode : {Mode{true, false}, Mode{false, true}, Mode{false, false}}) {
    CAPTURE(mode.chunked);
    CAPTURE(mode.prefill_priority);
    sv::ServingSpec s = small_spec(25.0, 8.0, 1, 1, 2);
    s.synthetic->arrival = sv::ArrivalKind::gamma;
    s.synthetic->burstiness_cv = 2.5;
    s.synthetic->prompt_tokens = cs::sim::Distribution::lognormal_mean_cv(700, 1.2).clamped(1, 3000);
    s.synthetic->output_tokens = cs::sim::Distribution::lognormal_mean_cv(250, 1.0).clamped(1, 2000);
    s.shape.kv_capacity_tokens = 6000;
    s.shape.kv_block_tokens = 32;
    s.scheduler.chunked_prefill = mode.chunked;
    s.scheduler.prefill_priority = mode.prefill_priority;
    s.scheduler.token_budget = 2048;
    s.router = sv::RouterPolicy::least_kv;
    sv::ServingOptions o;
    o.keep_requests = true;
    const sv::ServingResult r = sv::simulate_serving(s, o);
    CHECK(r.preemptions > 0);
    CHECK(r.requests_completed == r.requests_arrived);
    double outputs = 0;
    for (const auto& q : r.requests) {
      outputs += q.output_tokens;
      CHECK(q.ttft_s > 0);
      CHECK(q.e2e_s >= q.ttft_s);
    }
    CHECK(r.output_tokens == outputs);
    for (const auto& rr : r.replica_reports) {
      CHECK(rr.kv_occupancy_max <= 1.0);
      CHECK(rr.kv_occupancy_end == 0.0);
    }
  }
}

TEST_CASE("serving: the running batch obeys Little's law and grows with the per-iteration cost") {
  // The validation against MLPerf server records hinges on the batch a replica settles at
  // under Poisson load (docs/inference.md): sequences in batches = completion rate x time
  // in a batch (e2e - queue), and at a fixed rate the batch grows with the fixed part of
  // the iteration time (B ~ rate x fixed cost / (1 - load)).
  double batch_without = 0;
  for (const int overhead_ms : {0, 10}) {
    sv::ServingSpec s = small_spec(20.0, 120.0, 300, 150);
    s.scheduler.max_sequences = 512;
    s.scheduler.iteration_overhead = SimTime::from_ms(overhead_ms);
    const sv::ServingResult r = sv::simulate_serving(s);
    CAPTURE(overhead_ms);
    REQUIRE(r.requests_completed == r.requests_arrived);
    const double in_batch_s = r.e2e.mean - r.queue.mean;
    const double little = r.requests_completed / r.duration_s * in_batch_s;
    const double batch = r.replica_reports[0].running_mean;
    CHECK(batch == doctest::Approx(little).epsilon(0.05));
    // TPOT is one iteration of that batch, so the batch is the decode rate x TPOT.
    CHECK(batch == doctest::Approx(20.0 * (150 - 1) * r.tpot.mean).epsilon(0.15));
    if (overhead_ms == 0) {
      batch_without = batch;
    } else {
      CHECK(batch > batch_without + 20.0 * 149 * 0.010);  // at least rate x added cost
    }
  }
}
