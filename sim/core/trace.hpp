#pragma once
// TraceRecorder: records a timeline and writes it as Chrome trace event JSON, which
// Perfetto (ui.perfetto.dev) and chrome://tracing open.
//
// Processes and threads are small integers with names (pid = node or replica, tid = rank or
// stream). Names are interned: recording an event copies no strings. Recording stops at
// `max_events` (the writer notes the truncation in the file's metadata).
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/core/time.hpp"

namespace cs::sim {

class TraceRecorder {
 public:
  explicit TraceRecorder(std::size_t max_events = 5'000'000) : max_events_(max_events) {}

  // A span on a thread's track ("X" event).
  void span(std::string_view name, std::string_view category, int pid, int tid, SimTime start, SimTime duration);
  // An async span keyed by `id` ("b" / "e" events), e.g. a request's life.
  void async_begin(std::string_view name, std::string_view category, std::uint64_t id, int pid, SimTime at);
  void async_end(std::string_view name, std::string_view category, std::uint64_t id, int pid, SimTime at);
  // A counter track ("C" event).
  void counter(std::string_view name, int pid, SimTime at, double value);
  void process_name(int pid, std::string_view name);
  void thread_name(int pid, int tid, std::string_view name);

  std::size_t size() const { return events_.size(); }
  bool truncated() const { return dropped_ > 0; }
  void write_json(std::ostream& out) const;

 private:
  enum class Phase : std::uint8_t { complete, async_begin, async_end, counter };
  struct Record {
    std::int64_t ts_ns;
    std::int64_t dur_ns;
    std::uint64_t id;
    double value;
    std::uint32_t name;
    std::uint32_t category;
    std::int32_t pid;
    std::int32_t tid;
    Phase phase;
  };
  std::uint32_t intern(std::string_view s);
  bool room();

  std::size_t max_events_;
  std::size_t dropped_ = 0;
  std::vector<Record> events_;
  std::vector<std::string> strings_;
  std::unordered_map<std::string, std::uint32_t> index_;
  std::vector<std::pair<int, std::string>> process_names_;
  std::vector<std::pair<std::pair<int, int>, std::string>> thread_names_;
};

}  // namespace cs::sim
