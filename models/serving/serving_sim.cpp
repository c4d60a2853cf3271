#include "models/serving/serving_sim.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/assert.hpp"
#include "sim/core/error.hpp"

namespace cs::models::serving {
namespace {

constexpr std::size_t kMaxSeriesPoints = 2048;

}  // namespace

LatencySummary LatencySummary::of(const sim::QuantileSketch& q) {
  LatencySummary s;
  s.count = q.count();
  if (s.count == 0) return s;
  s.mean = q.mean();
  s.p50 = q.quantile(0.50);
  s.p90 = q.quantile(0.90);
  s.p99 = q.quantile(0.99);
  s.max = q.max();
  return s;
}

ServingSim::ServingSim(const ServingSpec& spec, ServingComm comm, ServingOptions options)
    : spec_(spec), options_(options), source_(spec, spec.seed) {
  if (spec.synthetic.has_value() == spec.trace.has_value()) {
    throw InputError("inference: exactly one workload source (synthetic or trace) is required");
  }
  const auto& dis = spec.disaggregation;
  if (dis.enabled) {
    model_ = std::make_unique<IterationModel>(spec.model, spec.accelerator, dis.prefill_shape, dis.prefill_scheduler,
                                              comm.replica);
    decode_model_ = std::make_unique<IterationModel>(spec.model, spec.accelerator, dis.decode_shape,
                                                     dis.decode_scheduler, comm.decode);
    for (int i = 0; i < dis.prefill_replicas; ++i) {
      replicas_.emplace_back(*this, engine_, i, ReplicaRole::prefill, *model_, dis.prefill_scheduler);
    }
    for (int i = 0; i < dis.decode_replicas; ++i) {
      replicas_.emplace_back(*this, engine_, dis.prefill_replicas + i, ReplicaRole::decode, *decode_model_,
                             dis.decode_scheduler);
    }
    prefill_count_ = dis.prefill_replicas;
    link_free_.assign(static_cast<std::size_t>(dis.prefill_replicas), sim::SimTime::zero());
  } else {
    model_ = std::make_unique<IterationModel>(spec.model, spec.accelerator, spec.shape, spec.scheduler, comm.replica);
    for (int i = 0; i < spec.replicas; ++i) {
      replicas_.emplace_back(*this, engine_, i, ReplicaRole::unified, *model_, spec.scheduler);
    }
    prefill_count_ = spec.replicas;
  }
  CS_ASSERT(prefill_count_ > 0, "ServingSim: no replica takes requests");
  bucket_len_ = spec.metrics_interval > sim::SimTime::zero() ? spec.metrics_interval : sim::SimTime::from_s(1);
  if (auto* t = options_.trace) {
    t->process_name(0, "requests");
    for (const auto& r : replicas_) {
      t->process_name(r.index() + 1, std::string("replica ") + std::to_string(r.index()) + " (" +
                                         std::string(to_string(r.role())) + ")");
      t->thread_name(r.index() + 1, 0, "iterations");
    }
  }
}

ServingSim::~ServingSim() = default;

void ServingSim::schedule_next_arrival() {
  next_ = source_.next();
  if (!next_) {
    source_done_ = true;
    return;
  }
  engine_.schedule_at(std::max(next_->arrival, engine_.now()), sim::Handler::member<&ServingSim::on_arrival>(*this),
                      0);
}

int ServingSim::route(int first, int count) {
  switch (spec_.router) {
    case RouterPolicy::round_robin: {
      const int r = first + static_cast<int>(rr_next_ % static_cast<std::uint64_t>(count));
      ++rr_next_;
      return r;
    }
    case RouterPolicy::least_outstanding: {
      // Ties rotate, so an idle cluster still spreads requests.
      const int start = static_cast<int>(rr_next_++ % static_cast<std::uint64_t>(count));
      int best = first + start;
      for (int k = 1; k < count; ++k) {
        const int i = first + (start + k) % count;
        if (replicas_[static_cast<std::size_t>(i)].outstanding() < replicas_[static_cast<std::size_t>(best)].outstanding()) best = i;
      }
      return best;
    }
    case RouterPolicy::least_kv: {
      const int start = static_cast<int>(rr_next_++ % static_cast<std::uint64_t>(count));
      int best = first + start;
      auto load = [this](int i) {
        const Replica& r = replicas_[static_cast<std::size_t>(i)];
        return r.kv_used_fraction() + 0.01 * static_cast<double>(r.waiting());
      };
      for (int k = 1; k < count; ++k) {
        const int i = first + (start + k) % count;
        if (load(i) < load(best)) best = i;
      }
      return best;
    }
  }
  return first;
}

void ServingSim::on_arrival(const sim::Event& e) {
  CS_ASSERT(next_.has_value(), "ServingSim: arrival without a request");
  const Request r = *next_;
  CS_ASSERT(r.id == seqs_.size(), "ServingSim: request ids must be dense");
  Seq s;
  s.arrival = e.time;
  s.prompt = r.prompt_tokens;
  s.output = r.output_tokens;
  s.prefill_target = r.prompt_tokens;
  seqs_.push_back(s);
  if (first_arrival_ == sim::SimTime::max()) first_arrival_ = e.time;
  ++outstanding_;
  ++b_arrivals_;
  if (auto* t = options_.trace) t->async_begin("request", "request", r.id, 0, e.time);
  const int target = route(0, prefill_count_);
  replicas_[static_cast<std::size_t>(target)].enqueue(r.id);
  schedule_next_arrival();
}

void ServingSim::on_scheduled(std::uint32_t id, sim::SimTime now) {
  Seq& s = seqs_[id];
  s.scheduled = now;
  queue_.add((now - s.arrival).seconds());
}

void ServingSim::on_first_token(std::uint32_t id, sim::SimTime now, int replica) {
  Seq& s = seqs_[id];
  s.first_token = now;
  s.first_replica = replica;
  const double ttft = (now - s.arrival).seconds();
  ttft_.add(ttft);
  b_ttft_.add(ttft);
}

void ServingSim::on_prefill_complete(std::uint32_t id, sim::SimTime now, int replica) {
  Seq& s = seqs_[id];
  const auto& dis = spec_.disaggregation;
  const int target = route(prefill_count_, dis.decode_replicas);
  // The KV of the prompt moves from the prefill GPUs to the decode GPUs, GPU pairs in
  // parallel; transfers leaving one prefill replica share its link, one after another.
  const double bytes = s.prompt * model_->memory().kv_bytes_per_token_model;
  const double pairs = std::min(dis.prefill_shape.gpus(), dis.decode_shape.gpus());
  double bw = dis.transfer_bandwidth;
  if (bw <= 0) bw = spec_.accelerator.scale_up.bandwidth_per_direction;
  if (bw <= 0) bw = spec_.accelerator.host_link.bandwidth_per_direction;
  CS_ASSERT(bw > 0, "ServingSim: no KV transfer bandwidth");
  sim::SimTime& free_at = link_free_[static_cast<std::size_t>(replica)];
  const sim::SimTime start = std::max(now, free_at);
  const sim::SimTime done = start + dis.transfer_latency + sim::SimTime::transfer(bytes, bw * pairs);
  free_at = done;
  transfer_.add((done - now).seconds());
  s.replica = target;
  s.prefilled = s.prefill_target;
  engine_.schedule_at(done, sim::Handler::member<&ServingSim::on_kv_arrived>(*this), id);
}

void ServingSim::on_kv_arrived(const sim::Event& e) {
  const auto id = static_cast<std::uint32_t>(e.payload);
  Seq& s = seqs_[id];
  replicas_[static_cast<std::size_t>(s.replica)].enqueue(id);
}

void ServingSim::on_finished(std::uint32_t id, sim::SimTime now) {
  Seq& s = seqs_[id];
  s.finish = now;
  const double e2e = (now - s.arrival).seconds();
  const double ttft = (s.first_token - s.arrival).seconds();
  e2e_.add(e2e);
  double tpot = 0;
  if (s.output > 1) {
    tpot = (now - s.first_token).seconds() / (s.output - 1);
    tpot_.add(tpot);
  }
  const Slo& slo = spec_.slo;
  const bool ok = (slo.ttft_s <= 0 || ttft <= slo.ttft_s) && (slo.tpot_s <= 0 || tpot <= slo.tpot_s) &&
                  (slo.e2e_s <= 0 || e2e <= slo.e2e_s);
  if (ok) ++met_slo_;
  ++completed_;
  --outstanding_;
  input_tokens_ += s.prompt;
  output_tokens_ += s.output;
  ++b_completions_;
  b_tokens_ += s.output;
  last_event_ = std::max(last_event_, now);
  if (auto* t = options_.trace) t->async_end("request", "request", id, 0, now);
}

void ServingSim::on_rejected(std::uint32_t id, sim::SimTime now) {
  ++rejected_;
  --outstanding_;
  last_event_ = std::max(last_event_, now);
  if (auto* t = options_.trace) t->async_end("request", "request", id, 0, now);
}

void ServingSim::close_bucket(sim::SimTime end) {
  const double len = (end - bucket_start_).seconds();
  if (len <= 0) return;
  TimePoint p;
  p.t_s = end.seconds();
  p.arrivals_per_s = static_cast<double>(b_arrivals_) / len;
  p.completions_per_s = static_cast<double>(b_completions_) / len;
  p.output_tokens_per_s = b_tokens_ / len;
  double kv = 0;
  for (const auto& r : replicas_) {
    p.queued += static_cast<double>(r.waiting());
    p.running += static_cast<double>(r.running());
    kv += r.kv_used_fraction();
  }
  p.kv_occupancy = kv / static_cast<double>(replicas_.size());
  p.ttft_p99_s = b_ttft_.quantile(0.99);
  series_.push_back(p);
  bucket_start_ = end;
  b_arrivals_ = b_completions_ = 0;
  b_tokens_ = 0;
  b_ttft_ = sim::QuantileSketch();
  if (series_.size() >= kMaxSeriesPoints) {
    // Halve the resolution: merge neighbours (rates average, levels take the later sample).
    std::vector<TimePoint> merged;
    for (std::size_t i = 0; i + 1 < series_.size(); i += 2) {
      TimePoint m = series_[i + 1];
      m.arrivals_per_s = 0.5 * (series_[i].arrivals_per_s + series_[i + 1].arrivals_per_s);
      m.completions_per_s = 0.5 * (series_[i].completions_per_s + series_[i + 1].completions_per_s);
      m.output_tokens_per_s = 0.5 * (series_[i].output_tokens_per_s + series_[i + 1].output_tokens_per_s);
      m.ttft_p99_s = std::max(series_[i].ttft_p99_s, series_[i + 1].ttft_p99_s);
      merged.push_back(m);
    }
    series_ = std::move(merged);
    bucket_len_ = bucket_len_ * 2;
  }
}

void ServingSim::on_sample(const sim::Event& e) {
  close_bucket(e.time);
  // Nothing else pending means nothing can change any more: stop sampling (a drained run,
  // or requests that can never be served, which the result reports as unfinished).
  if (!drained() && engine_.pending() > 0) {
    engine_.schedule_in(bucket_len_, sim::Handler::member<&ServingSim::on_sample>(*this), 0);
  }
}

ServingResult ServingSim::run() {
  schedule_next_arrival();
  engine_.schedule_in(bucket_len_, sim::Handler::member<&ServingSim::on_sample>(*this), 0);
  const sim::SimTime until = spec_.time_limit > sim::SimTime::zero() ? spec_.time_limit : sim::SimTime::max();
  engine_.run(until);
  const sim::SimTime end = spec_.time_limit > sim::SimTime::zero() && !drained() ? engine_.now() : last_event_;
  if (end > bucket_start_) close_bucket(end);

  ServingResult r;
  r.name = spec_.name;
  r.model = spec_.model.name;
  r.accelerator = spec_.accelerator.name;
  r.comm_source = model_->comm_source();
  r.gpus = spec_.total_gpus();
  r.replicas = static_cast<int>(replicas_.size());
  r.disaggregated = spec_.disaggregation.enabled;
  r.requests_arrived = seqs_.size();
  r.requests_completed = completed_;
  r.events = engine_.events_executed();
  const sim::SimTime start = first_arrival_ == sim::SimTime::max() ? sim::SimTime::zero() : first_arrival_;
  r.duration_s = std::max(0.0, (end - start).seconds());
  r.input_tokens = input_tokens_;
  r.output_tokens = output_tokens_;
  if (r.duration_s > 0) {
    r.requests_per_s = static_cast<double>(completed_) / r.duration_s;
    r.input_tokens_per_s = input_tokens_ / r.duration_s;
    r.output_tokens_per_s = output_tokens_ / r.duration_s;
    r.output_tokens_per_s_per_gpu = r.output_tokens_per_s / std::max(1, r.gpus);
  }
  r.ttft = LatencySummary::of(ttft_);
  r.tpot = LatencySummary::of(tpot_);
  r.e2e = LatencySummary::of(e2e_);
  r.queue = LatencySummary::of(queue_);
  r.slo_ttft_s = spec_.slo.ttft_s;
  r.slo_tpot_s = spec_.slo.tpot_s;
  r.slo_e2e_s = spec_.slo.e2e_s;
  if (!seqs_.empty()) r.goodput_fraction = static_cast<double>(met_slo_) / static_cast<double>(seqs_.size());
  if (r.duration_s > 0) r.goodput_requests_per_s = static_cast<double>(met_slo_) / r.duration_s;
  r.kv_transfer_mean_s = transfer_.mean();

  auto memory_report = [](const char* pool, const IterationModel& m) {
    const MemoryPlan& p = m.memory();
    const double g = 1.0 / double(1ull << 30);
    MemoryReport mr;
    mr.pool = pool;
    mr.device_gib = p.device_bytes * g;
    mr.usable_gib = p.usable_bytes * g;
    mr.weights_gib = p.weight_bytes * g;
    mr.activations_gib = p.activation_bytes * g;
    mr.kv_gib = static_cast<double>(p.kv_blocks) * m.shape().kv_block_tokens * p.kv_bytes_per_token * g;
    mr.kv_tokens = p.kv_tokens;
    mr.kv_bytes_per_token = p.kv_bytes_per_token;
    return mr;
  };
  if (decode_model_) {
    r.memory.push_back(memory_report("prefill", *model_));
    r.memory.push_back(memory_report("decode", *decode_model_));
  } else {
    r.memory.push_back(memory_report("replica", *model_));
  }

  const double elapsed = std::max(1e-12, (end - sim::SimTime::zero()).seconds());
  double busy = 0, mfu = 0, kv = 0;
  for (const auto& rep : replicas_) {
    ReplicaReport rr;
    rr.index = rep.index();
    rr.role = std::string(to_string(rep.role()));
    rr.gpus = rep.model().shape().gpus();
    rr.iterations = rep.iterations();
    rr.requests = rep.requests_started();
    rr.busy_fraction = rep.busy_seconds() / elapsed;
    rr.mfu = rep.flops() / (rep.model().replica_peak_flops() * elapsed);
    rr.kv_occupancy_mean = rep.kv_series().mean(end);
    rr.kv_occupancy_max = rep.kv_series().max();
    rr.kv_occupancy_end = rep.kv_used_fraction();
    rr.queue_mean = rep.queue_series().mean(end);
    rr.queue_max = rep.queue_series().max();
    rr.running_mean = rep.running_series().mean(end);
    rr.preemptions = rep.preemptions();
    rr.kv_blocks = rep.kv_blocks();
    r.iterations += rr.iterations;
    r.preemptions += rr.preemptions;
    busy += rr.busy_fraction;
    mfu += rr.mfu * rr.gpus;
    kv += rr.kv_occupancy_mean;
    r.replica_reports.push_back(rr);
  }
  r.mean_busy_fraction = busy / static_cast<double>(replicas_.size());
  r.mean_mfu = mfu / std::max(1, r.gpus);
  r.kv_occupancy_mean = kv / static_cast<double>(replicas_.size());
  r.series = std::move(series_);

  if (options_.keep_requests) {
    r.requests.reserve(seqs_.size());
    for (std::size_t i = 0; i < seqs_.size(); ++i) {
      const Seq& s = seqs_[i];
      RequestRecord q;
      q.id = static_cast<std::uint32_t>(i);
      q.arrival_s = s.arrival.seconds();
      q.prompt_tokens = s.prompt;
      q.output_tokens = s.output;
      q.replica = s.first_replica;
      q.decode_replica = spec_.disaggregation.enabled && s.first_token != sim::SimTime::max() && s.output > 1 ? s.replica : -1;
      if (s.scheduled != sim::SimTime::max()) q.queue_s = (s.scheduled - s.arrival).seconds();
      if (s.first_token != sim::SimTime::max()) q.ttft_s = (s.first_token - s.arrival).seconds();
      if (s.finish != sim::SimTime::max()) {
        q.e2e_s = (s.finish - s.arrival).seconds();
        if (s.output > 1) q.tpot_s = (s.finish - s.first_token).seconds() / (s.output - 1);
        const Slo& slo = spec_.slo;
        q.meets_slo = (slo.ttft_s <= 0 || q.ttft_s <= slo.ttft_s) && (slo.tpot_s <= 0 || q.tpot_s <= slo.tpot_s) &&
                      (slo.e2e_s <= 0 || q.e2e_s <= slo.e2e_s);
      }
      q.preemptions = s.preemptions;
      r.requests.push_back(q);
    }
  }
  return r;
}

ServingResult simulate_serving(const ServingSpec& spec, ServingOptions options) {
  ServingComm comm{scale_up_comm(spec.accelerator), scale_up_comm(spec.accelerator)};
  ServingSim sim(spec, std::move(comm), options);
  return sim.run();
}

}  // namespace cs::models::serving
