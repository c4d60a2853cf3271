#include "models/serving/replica.hpp"

#include <algorithm>

#include "models/serving/serving_sim.hpp"
#include "sim/core/assert.hpp"

namespace cs::models::serving {
namespace {

std::int64_t mod(std::int64_t a, std::int64_t b) {
  const std::int64_t r = a % b;
  return r < 0 ? r + b : r;
}

}  // namespace

std::string_view to_string(ReplicaRole r) {
  switch (r) {
    case ReplicaRole::unified: return "unified";
    case ReplicaRole::prefill: return "prefill";
    case ReplicaRole::decode: return "decode";
  }
  return "?";
}

Replica::Replica(ServingSim& owner, sim::Engine& engine, int index, ReplicaRole role, IterationModel& model,
                 const SchedulerSpec& scheduler)
    : owner_(&owner),
      engine_(&engine),
      index_(index),
      role_(role),
      model_(&model),
      sched_(scheduler),
      block_(model.shape().kv_block_tokens),
      blocks_total_(model.memory().kv_blocks),
      watermark_blocks_(std::max<std::int64_t>(0, model.memory().kv_blocks / 100)),
      phase_count_(static_cast<std::size_t>(model.shape().kv_block_tokens), 0) {
  CS_ASSERT(block_ > 0 && blocks_total_ > 0, "Replica: empty KV cache");
}

void Replica::enqueue(std::uint32_t id) {
  Seq& s = owner_->seq(id);
  s.state = SeqState::waiting;
  s.replica = index_;
  waiting_.push_back(id);
  queue_tw_.set(engine_->now(), static_cast<double>(waiting_.size()));
  if (!busy_) start_iteration();
}

void Replica::update_series(sim::SimTime now) {
  kv_tw_.set(now, kv_used_fraction());
  queue_tw_.set(now, static_cast<double>(waiting_.size()));
  running_tw_.set(now, static_cast<double>(running()));
}

void Replica::start_decoding(std::uint32_t id) {
  Seq& s = owner_->seq(id);
  s.state = SeqState::decoding;
  s.kv_start = s.prefill_target;
  s.decode_start = step_;
  ++phase_count_[static_cast<std::size_t>(mod(s.kv_start - s.decode_start, block_))];
  ++decoders_;
  decode_context_ += s.kv_start;
  finish_heap_.push({s.decode_start + (s.output - s.generated) - 1, id, s.generation});
  decode_order_.emplace_back(id, s.generation);
}

void Replica::stop_decoding(Seq& s, std::int64_t kv_tokens) {
  --phase_count_[static_cast<std::size_t>(mod(s.kv_start - s.decode_start, block_))];
  --decoders_;
  decode_context_ -= static_cast<double>(kv_tokens);
  blocks_used_ -= blocks_for(kv_tokens);
  ++s.generation;  // invalidates its finish-heap and decode-order entries
}

void Replica::requeue_for_recompute(std::uint32_t id) {
  Seq& s = owner_->seq(id);
  s.state = SeqState::waiting;
  s.prefilled = 0;
  ++s.preemptions;
  ++preemptions_;
  waiting_.push_front(id);
}

bool Replica::preempt_one(std::int64_t step, std::int64_t& need) {
  // Latest admitted first: partial prefills, then decoders (vLLM's recompute policy).
  if (!prefilling_.empty()) {
    const std::uint32_t id = prefilling_.back();
    prefilling_.pop_back();
    Seq& s = owner_->seq(id);
    blocks_used_ -= blocks_for(s.prefill_target);
    ++s.generation;
    requeue_for_recompute(id);
    return true;
  }
  while (!decode_order_.empty()) {
    const auto [id, gen] = decode_order_.back();
    decode_order_.pop_back();
    Seq& s = owner_->seq(id);
    if (s.state != SeqState::decoding || s.generation != gen || s.replica != index_) continue;
    const std::int64_t kv = s.kv_start + (step - s.decode_start);
    if (mod(s.kv_start - s.decode_start + step, block_) == 0) --need;
    s.generated += static_cast<std::int32_t>(step - s.decode_start);
    stop_decoding(s, kv);
    // Recomputation rebuilds the KV of the prompt and every token so far.
    s.prefill_target = static_cast<std::int32_t>(kv);
    requeue_for_recompute(id);
    return true;
  }
  return false;
}

bool Replica::admit_prefill(std::int32_t& budget, bool whole_prompt_only) {
  if (waiting_.empty()) return false;
  const std::uint32_t id = waiting_.front();
  Seq& s = owner_->seq(id);
  if (running() >= sched_.max_sequences) return false;
  const std::int64_t need = blocks_for(s.prefill_target);
  if (s.prefilled >= s.prefill_target) {
    // KV already here (transferred from a prefill pool): straight into the decode batch.
    if (need + 1 > free_blocks()) {
      if (blocks_used_ == 0) {
        waiting_.pop_front();
        s.state = SeqState::done;
        owner_->on_rejected(id, engine_->now());
        return true;
      }
      return false;
    }
    waiting_.pop_front();
    blocks_used_ += need;
    if (s.scheduled == sim::SimTime::max()) owner_->on_scheduled(id, engine_->now());
    start_decoding(id);
    return true;
  }
  if (budget <= 0) return false;
  const std::int32_t remaining = s.prefill_target - s.prefilled;
  if (need > free_blocks() - watermark_blocks_) {
    if (blocks_used_ == 0) {
      // Larger than the whole cache: can never run here.
      waiting_.pop_front();
      s.state = SeqState::done;
      owner_->on_rejected(id, engine_->now());
      return true;
    }
    return false;
  }
  if (whole_prompt_only && remaining > budget && !(scheduled_.empty() && iteration_decoders_ == 0)) return false;
  waiting_.pop_front();
  blocks_used_ += need;
  s.state = SeqState::prefilling;
  if (s.scheduled == sim::SimTime::max()) {
    owner_->on_scheduled(id, engine_->now());
    ++started_;
  }
  prefilling_.push_back(id);
  const std::int32_t chunk = whole_prompt_only ? remaining : std::min(remaining, budget);
  scheduled_.push_back({id, chunk});
  chunks_.push_back({chunk, s.prefilled + chunk});
  budget -= chunk;
  return true;
}

void Replica::start_iteration() {
  CS_ASSERT(!busy_, "Replica: iteration already running");
  const sim::SimTime now = engine_->now();
  scheduled_.clear();
  chunks_.clear();
  iteration_decoders_ = 0;
  std::int32_t budget = sched_.token_budget;

  // Sequences whose KV is already here join the decode batch first.
  while (!waiting_.empty()) {
    const Seq& s = owner_->seq(waiting_.front());
    if (s.prefilled < s.prefill_target) break;
    std::int32_t unused = 0;
    if (!admit_prefill(unused, false)) break;
  }

  bool decode_now = decoders_ > 0;
  if (!sched_.chunked_prefill && sched_.prefill_priority && !waiting_.empty()) {
    // vLLM v0: a prompt that can be admitted runs in a prefill-only iteration.
    const Seq& s = owner_->seq(waiting_.front());
    if (running() < sched_.max_sequences && blocks_for(s.prefill_target) <= free_blocks() - watermark_blocks_) {
      decode_now = false;
    }
  }
  if (decode_now) {
    std::int64_t need = phase_count_[static_cast<std::size_t>(mod(-step_, block_))];
    while (need > free_blocks()) {
      if (!preempt_one(step_, need)) break;
    }
    CS_ASSERT(need <= free_blocks(), "Replica: decode step does not fit in an empty cache");
    blocks_used_ += need;
    decode_now = decoders_ > 0;
    iteration_decoders_ = static_cast<std::int32_t>(decoders_);
    budget -= iteration_decoders_;
  }

  if (sched_.chunked_prefill) {
    for (const std::uint32_t id : prefilling_) {
      if (budget <= 0) break;
      const Seq& s = owner_->seq(id);
      const std::int32_t chunk = std::min(s.prefill_target - s.prefilled, budget);
      scheduled_.push_back({id, chunk});
      chunks_.push_back({chunk, s.prefilled + chunk});
      budget -= chunk;
    }
    while (budget > 0 && admit_prefill(budget, false)) {
    }
  } else {
    while (admit_prefill(budget, true)) {
    }
  }

  if (iteration_decoders_ == 0 && scheduled_.empty()) {
    update_series(now);
    return;  // idle until new work arrives
  }

  std::int32_t logits = iteration_decoders_;
  for (const auto& sc : scheduled_) {
    const Seq& s = owner_->seq(sc.id);
    if (s.prefilled + sc.tokens >= s.prefill_target) ++logits;
  }
  BatchShape b;
  b.decode_seqs = iteration_decoders_;
  b.decode_context = decode_now ? decode_context_ + iteration_decoders_ : 0.0;
  b.chunks = chunks_.data();
  b.chunk_count = chunks_.size();
  b.logits = logits;
  const IterationCost c = model_->cost(b);
  flops_ += c.flops;
  const sim::SimTime dt = sim::SimTime::from_seconds_ceil(c.seconds) + sched_.iteration_overhead;
  busy_ = true;
  iteration_has_decode_ = iteration_decoders_ > 0;
  iteration_start_ = now;
  update_series(now);
  engine_->schedule_in(dt, sim::Handler::member<&Replica::on_iteration_done>(*this), 0);
}

void Replica::on_iteration_done(const sim::Event& e) {
  const sim::SimTime now = e.time;
  busy_ = false;
  ++iterations_;
  busy_s_ += (now - iteration_start_).seconds();
  if (auto* trace = owner_->trace()) {
    const char* name = iteration_has_decode_ ? (scheduled_.empty() ? "decode" : "mixed") : "prefill";
    trace->span(name, "iteration", index_ + 1, 0, iteration_start_, now - iteration_start_);
  }

  if (iteration_has_decode_) {
    const std::int64_t d = step_;
    decode_context_ += static_cast<double>(decoders_);
    ++step_;
    while (!finish_heap_.empty() && finish_heap_.top().step <= d) {
      const FinishEntry f = finish_heap_.top();
      finish_heap_.pop();
      Seq& s = owner_->seq(f.id);
      if (s.state != SeqState::decoding || s.generation != f.generation || s.replica != index_) continue;
      const std::int64_t kv_after = s.kv_start + (d - s.decode_start) + 1;
      s.generated = s.output;
      stop_decoding(s, kv_after);
      s.state = SeqState::done;
      owner_->on_finished(f.id, now);
    }
    if (decode_order_.size() > 64 && decode_order_.size() > 2 * static_cast<std::size_t>(decoders_)) {
      std::erase_if(decode_order_, [this](const auto& p) {
        const Seq& s = owner_->seq(p.first);
        return s.state != SeqState::decoding || s.generation != p.second || s.replica != index_;
      });
    }
  }

  bool any_completed = false;
  for (const auto& sc : scheduled_) {
    Seq& s = owner_->seq(sc.id);
    if (s.state != SeqState::prefilling || s.replica != index_) continue;
    s.prefilled += sc.tokens;
    if (s.prefilled < s.prefill_target) continue;
    any_completed = true;
    ++s.generated;
    if (s.first_token == sim::SimTime::max()) owner_->on_first_token(sc.id, now, index_);
    if (s.generated >= s.output) {
      blocks_used_ -= blocks_for(s.prefill_target);
      s.state = SeqState::done;
      owner_->on_finished(sc.id, now);
    } else if (role_ == ReplicaRole::prefill) {
      blocks_used_ -= blocks_for(s.prefill_target);
      s.state = SeqState::transferring;
      owner_->on_prefill_complete(sc.id, now, index_);
    } else {
      // Its KV is exactly the prefilled tokens; it joins the next decode step.
      start_decoding(sc.id);
    }
  }
  if (any_completed) {
    std::erase_if(prefilling_, [this](std::uint32_t id) { return owner_->seq(id).state != SeqState::prefilling; });
  }
  scheduled_.clear();
  chunks_.clear();
  update_series(now);
  if (has_work()) start_iteration();
}

}  // namespace cs::models::serving
