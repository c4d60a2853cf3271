#include "models/serving/request_source.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/assert.hpp"

namespace cs::models::serving {
namespace {

std::int32_t tokens(double x) {
  if (!(x >= 1.0)) return 1;
  if (x > 1e7) return 10'000'000;
  return static_cast<std::int32_t>(std::llround(x));
}

}  // namespace

RequestSource::RequestSource(const ServingSpec& spec, std::uint64_t seed)
    : arrivals_(sim::RandomStream::derive(seed, "inference/arrivals")),
      lengths_(sim::RandomStream::derive(seed, "inference/lengths")) {
  CS_ASSERT(spec.synthetic.has_value() != spec.trace.has_value(), "RequestSource: exactly one source");
  if (spec.synthetic) synthetic_ = &*spec.synthetic;
  if (spec.trace) {
    trace_ = &*spec.trace;
    const auto& a = trace_->arrival_s;
    row_ = static_cast<std::size_t>(std::lower_bound(a.begin(), a.end(), trace_->window_start_s) - a.begin());
    trace_origin_s_ = trace_->window_start_s;
  }
}

std::optional<Request> RequestSource::next() { return synthetic_ ? next_synthetic() : next_trace(); }

std::optional<Request> RequestSource::next_synthetic() {
  const SyntheticSource& s = *synthetic_;
  if (s.requests > 0 && emitted_ >= s.requests) return std::nullopt;
  switch (s.arrival) {
    case ArrivalKind::offline: break;  // everything at t = 0
    case ArrivalKind::poisson:
      if (emitted_ > 0) clock_s_ += arrivals_.exponential(1.0 / s.rate);
      break;
    case ArrivalKind::gamma: {
      if (emitted_ > 0) {
        const double cv2 = s.burstiness_cv * s.burstiness_cv;
        clock_s_ += arrivals_.gamma(1.0 / cv2, cv2 / s.rate);
      }
      break;
    }
  }
  if (s.duration > sim::SimTime::zero() && clock_s_ >= s.duration.seconds()) return std::nullopt;
  Request r;
  r.id = static_cast<std::uint32_t>(emitted_++);
  r.arrival = sim::SimTime::from_seconds(clock_s_);
  r.prompt_tokens = tokens(s.prompt_tokens.sample(lengths_));
  r.output_tokens = tokens(s.output_tokens.sample(lengths_));
  return r;
}

std::optional<Request> RequestSource::next_trace() {
  const TraceSource& t = *trace_;
  if (row_ >= t.arrival_s.size()) return std::nullopt;
  const double at = t.arrival_s[row_];
  if (t.window_end_s >= 0 && at >= t.window_end_s) return std::nullopt;
  Request r;
  r.id = static_cast<std::uint32_t>(emitted_++);
  r.arrival = sim::SimTime::from_seconds((at - trace_origin_s_) / t.rate_multiplier);
  r.prompt_tokens = std::max(1, t.prompt_tokens[row_]);
  r.output_tokens = std::max(1, t.output_tokens[row_]);
  ++row_;
  return r;
}

}  // namespace cs::models::serving
