#pragma once
// Simulated time: a signed 64-bit count of nanoseconds (range +-292 years).
//
// SimTime is used both for instants and for durations (as ns-3's Time is). It never holds
// floating point: conversions from seconds or from bytes over a bandwidth happen here, in
// one place, with an explicit rounding rule, so a run is bit-for-bit reproducible.
#include <compare>
#include <cstdint>
#include <limits>
#include <string>

namespace cs::sim {

class SimTime {
 public:
  constexpr SimTime() = default;

  static constexpr SimTime from_ns(std::int64_t ns) { return SimTime(ns); }
  static constexpr SimTime from_us(std::int64_t us) { return SimTime(us * 1'000); }
  static constexpr SimTime from_ms(std::int64_t ms) { return SimTime(ms * 1'000'000); }
  static constexpr SimTime from_s(std::int64_t s) { return SimTime(s * 1'000'000'000); }
  static constexpr SimTime zero() { return SimTime(0); }
  static constexpr SimTime max() { return SimTime(std::numeric_limits<std::int64_t>::max()); }

  // Rounds to the nearest nanosecond (ties away from zero). Throws InternalError when
  // `seconds` is not finite or outside the representable range: such a time is a bug
  // upstream (a zero bandwidth, say), never something to clamp silently.
  static SimTime from_seconds(double seconds);
  // Rounds up: a strictly positive duration never becomes zero, so work always takes time.
  static SimTime from_seconds_ceil(double seconds);
  // Time to move `bytes` at `bytes_per_second`, rounded up to whole nanoseconds.
  // Zero bytes take zero time. `bytes_per_second` must be > 0.
  static SimTime transfer(double bytes, double bytes_per_second);

  constexpr std::int64_t ns() const { return ns_; }
  constexpr double seconds() const { return static_cast<double>(ns_) * 1e-9; }
  constexpr double ms() const { return static_cast<double>(ns_) * 1e-6; }
  constexpr double us() const { return static_cast<double>(ns_) * 1e-3; }

  constexpr auto operator<=>(const SimTime&) const = default;

  constexpr SimTime& operator+=(SimTime o) { ns_ += o.ns_; return *this; }
  constexpr SimTime& operator-=(SimTime o) { ns_ -= o.ns_; return *this; }
  friend constexpr SimTime operator+(SimTime a, SimTime b) { return SimTime(a.ns_ + b.ns_); }
  friend constexpr SimTime operator-(SimTime a, SimTime b) { return SimTime(a.ns_ - b.ns_); }
  friend constexpr SimTime operator*(SimTime a, std::int64_t k) { return SimTime(a.ns_ * k); }
  friend constexpr SimTime operator*(std::int64_t k, SimTime a) { return SimTime(a.ns_ * k); }
  friend constexpr SimTime operator/(SimTime a, std::int64_t k) { return SimTime(a.ns_ / k); }
  friend constexpr std::int64_t operator/(SimTime a, SimTime b) { return a.ns_ / b.ns_; }

 private:
  constexpr explicit SimTime(std::int64_t ns) : ns_(ns) {}
  std::int64_t ns_ = 0;
};

constexpr SimTime max(SimTime a, SimTime b) { return a < b ? b : a; }
constexpr SimTime min(SimTime a, SimTime b) { return a < b ? a : b; }

// Human-readable form with an adaptive unit ("1.500 ms", "2.000 s"), for reports.
std::string to_string(SimTime t);

}  // namespace cs::sim
