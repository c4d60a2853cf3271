#include "sim/core/engine.hpp"

#include "sim/core/assert.hpp"

namespace cs::sim {

EventId Engine::schedule_at(SimTime time, Handler handler, std::uint64_t payload, Priority priority) {
  CS_ASSERT(time >= now_, "Engine::schedule_at: event scheduled in the past");
  CS_ASSERT(static_cast<bool>(handler), "Engine::schedule_at: empty handler");
  return queue_.push(time, priority, handler, payload);
}

StopReason Engine::run(SimTime until, std::uint64_t max_events) {
  CS_ASSERT(!running_, "Engine::run: re-entered from inside an event handler");
  running_ = true;
  stop_requested_ = false;
  Event event;
  Handler handler;
  std::uint64_t budget = max_events;
  StopReason reason = StopReason::queue_empty;
  for (;;) {
    if (stop_requested_) {
      reason = StopReason::stopped;
      break;
    }
    if (budget == 0) {
      reason = StopReason::event_limit;
      break;
    }
    const SimTime next = queue_.next_time();
    if (queue_.empty()) {
      reason = StopReason::queue_empty;
      break;
    }
    if (next > until) {
      now_ = until;
      reason = StopReason::time_limit;
      break;
    }
    queue_.pop_for_execution(event, handler);
    now_ = event.time;
    ++executed_;
    --budget;
    handler(event);
  }
  running_ = false;
  return reason;
}

bool Engine::step() {
  CS_ASSERT(!running_, "Engine::step: re-entered from inside an event handler");
  Event event;
  Handler handler;
  if (!queue_.pop_for_execution(event, handler)) return false;
  running_ = true;
  now_ = event.time;
  ++executed_;
  handler(event);
  running_ = false;
  return true;
}

}  // namespace cs::sim
