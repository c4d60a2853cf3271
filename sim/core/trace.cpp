#include "sim/core/trace.hpp"

#include <cstdio>
#include <ostream>

namespace cs::sim {
namespace {

void write_escaped(std::ostream& out, std::string_view s) {
  out << '"';
  for (char c : s) {
    switch (c) {
      case '"': out << "\\\""; break;
      case '\\': out << "\\\\"; break;
      case '\n': out << "\\n"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out << buf;
        } else {
          out << c;
        }
    }
  }
  out << '"';
}

// Microseconds with nanosecond precision, without floating-point noise.
void write_us(std::ostream& out, std::int64_t ns) {
  char buf[32];
  const char* sign = ns < 0 ? "-" : "";
  const std::int64_t a = ns < 0 ? -ns : ns;
  std::snprintf(buf, sizeof buf, "%s%lld.%03lld", sign, static_cast<long long>(a / 1000), static_cast<long long>(a % 1000));
  out << buf;
}

}  // namespace

std::uint32_t TraceRecorder::intern(std::string_view s) {
  auto it = index_.find(std::string(s));
  if (it != index_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(strings_.size());
  strings_.emplace_back(s);
  index_.emplace(strings_.back(), id);
  return id;
}

bool TraceRecorder::room() {
  if (events_.size() < max_events_) return true;
  ++dropped_;
  return false;
}

void TraceRecorder::span(std::string_view name, std::string_view category, int pid, int tid, SimTime start,
                         SimTime duration) {
  if (!room()) return;
  events_.push_back({start.ns(), duration.ns(), 0, 0.0, intern(name), intern(category), pid, tid, Phase::complete});
}

void TraceRecorder::async_begin(std::string_view name, std::string_view category, std::uint64_t id, int pid,
                                SimTime at) {
  if (!room()) return;
  events_.push_back({at.ns(), 0, id, 0.0, intern(name), intern(category), pid, 0, Phase::async_begin});
}

void TraceRecorder::async_end(std::string_view name, std::string_view category, std::uint64_t id, int pid,
                              SimTime at) {
  if (!room()) return;
  events_.push_back({at.ns(), 0, id, 0.0, intern(name), intern(category), pid, 0, Phase::async_end});
}

void TraceRecorder::counter(std::string_view name, int pid, SimTime at, double value) {
  if (!room()) return;
  events_.push_back({at.ns(), 0, 0, value, intern(name), intern(""), pid, 0, Phase::counter});
}

void TraceRecorder::process_name(int pid, std::string_view name) { process_names_.emplace_back(pid, name); }

void TraceRecorder::thread_name(int pid, int tid, std::string_view name) {
  thread_names_.emplace_back(std::make_pair(pid, tid), name);
}

void TraceRecorder::write_json(std::ostream& out) const {
  out << "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"clustersim\",\"dropped_events\":" << dropped_
      << "},\"traceEvents\":[\n";
  bool first = true;
  auto sep = [&] {
    if (!first) out << ",\n";
    first = false;
  };
  for (const auto& [pid, name] : process_names_) {
    sep();
    out << "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":" << pid << ",\"args\":{\"name\":";
    write_escaped(out, name);
    out << "}}";
  }
  for (const auto& [key, name] : thread_names_) {
    sep();
    out << "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":" << key.first << ",\"tid\":" << key.second
        << ",\"args\":{\"name\":";
    write_escaped(out, name);
    out << "}}";
  }
  char value[64];
  for (const Record& r : events_) {
    sep();
    out << "{\"name\":";
    write_escaped(out, strings_[r.name]);
    switch (r.phase) {
      case Phase::complete:
        out << ",\"cat\":";
        write_escaped(out, strings_[r.category]);
        out << ",\"ph\":\"X\",\"pid\":" << r.pid << ",\"tid\":" << r.tid << ",\"ts\":";
        write_us(out, r.ts_ns);
        out << ",\"dur\":";
        write_us(out, r.dur_ns);
        break;
      case Phase::async_begin:
      case Phase::async_end:
        out << ",\"cat\":";
        write_escaped(out, strings_[r.category]);
        out << ",\"ph\":\"" << (r.phase == Phase::async_begin ? 'b' : 'e') << "\",\"id\":" << r.id
            << ",\"pid\":" << r.pid << ",\"tid\":0,\"ts\":";
        write_us(out, r.ts_ns);
        break;
      case Phase::counter:
        std::snprintf(value, sizeof value, "%.6g", r.value);
        out << ",\"ph\":\"C\",\"pid\":" << r.pid << ",\"ts\":";
        write_us(out, r.ts_ns);
        out << ",\"args\":{\"value\":" << value << "}";
        break;
    }
    out << "}";
  }
  out << "\n]}\n";
}

}  // namespace cs::sim
