#pragma once
// Engine: one discrete-event simulation. A plain object: no singleton, no static "current
// simulator"; any number of engines run side by side on different threads (the planner
// does this), each touching only its own state.
//
// Components hold an Engine& and schedule events with a Handler bound to one of their
// member functions. Events never go back in time: scheduling before now() is a bug.
#include <cstdint>

#include "sim/core/event_queue.hpp"

namespace cs::sim {

enum class StopReason { queue_empty, time_limit, stopped, event_limit };

class Engine {
 public:
  Engine() = default;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  SimTime now() const { return now_; }

  EventId schedule_at(SimTime time, Handler handler, std::uint64_t payload = 0,
                      Priority priority = Priority::normal);
  EventId schedule_in(SimTime delay, Handler handler, std::uint64_t payload = 0,
                      Priority priority = Priority::normal) {
    return schedule_at(now_ + delay, handler, payload, priority);
  }
  bool cancel(EventId id) { return queue_.cancel(id); }
  bool is_pending(EventId id) const { return queue_.is_pending(id); }

  // Runs events in order until the queue is empty, stop() is called, the next event lies
  // after `until` (then now() advances to `until`), or `max_events` have run.
  StopReason run(SimTime until = SimTime::max(), std::uint64_t max_events = UINT64_MAX);
  // Runs exactly one event; false when none is pending.
  bool step();
  // Makes run() return after the current event.
  void stop() { stop_requested_ = true; }

  std::size_t pending() const { return queue_.size(); }
  SimTime next_event_time() { return queue_.next_time(); }
  std::uint64_t events_executed() const { return executed_; }
  void reserve(std::size_t events) { queue_.reserve(events); }

 private:
  EventQueue queue_;
  SimTime now_ = SimTime::zero();
  std::uint64_t executed_ = 0;
  bool stop_requested_ = false;
  bool running_ = false;
};

}  // namespace cs::sim
