#include "sim/core/time.hpp"

#include <cmath>
#include <cstdio>

#include "sim/core/assert.hpp"

namespace cs::sim {
namespace {

// 2^63 ns as a double; anything at or beyond it cannot be represented.
constexpr double kLimitNs = 9.223372036854775807e18;

std::int64_t checked_ns(double ns, const char* what) {
  CS_ASSERT(std::isfinite(ns), std::string(what) + ": time is not finite");
  CS_ASSERT(std::fabs(ns) < kLimitNs, std::string(what) + ": time beyond +-292 years");
  return static_cast<std::int64_t>(ns);
}

}  // namespace

SimTime SimTime::from_seconds(double seconds) {
  return SimTime(checked_ns(std::round(seconds * 1e9), "SimTime::from_seconds"));
}

SimTime SimTime::from_seconds_ceil(double seconds) {
  return SimTime(checked_ns(std::ceil(seconds * 1e9), "SimTime::from_seconds_ceil"));
}

SimTime SimTime::transfer(double bytes, double bytes_per_second) {
  CS_ASSERT(bytes >= 0.0, "SimTime::transfer: negative byte count");
  CS_ASSERT(bytes_per_second > 0.0, "SimTime::transfer: bandwidth must be positive");
  if (bytes == 0.0) return SimTime::zero();
  return from_seconds_ceil(bytes / bytes_per_second);
}

std::string to_string(SimTime t) {
  const double ns = static_cast<double>(t.ns());
  const double a = std::fabs(ns);
  char buf[64];
  if (a < 1e3) {
    std::snprintf(buf, sizeof buf, "%lld ns", static_cast<long long>(t.ns()));
  } else if (a < 1e6) {
    std::snprintf(buf, sizeof buf, "%.3f us", ns * 1e-3);
  } else if (a < 1e9) {
    std::snprintf(buf, sizeof buf, "%.3f ms", ns * 1e-6);
  } else if (a < 3600e9) {
    std::snprintf(buf, sizeof buf, "%.3f s", ns * 1e-9);
  } else if (a < 86400e9 * 2) {
    std::snprintf(buf, sizeof buf, "%.3f h", ns / 3600e9);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f days", ns / 86400e9);
  }
  return buf;
}

}  // namespace cs::sim
