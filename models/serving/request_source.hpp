#pragma once
// RequestSource: emits requests in arrival order, one at a time (so a million-request
// replay holds no request list), from a synthetic process or a parsed trace.
#include <cstdint>
#include <optional>

#include "models/serving/serving_spec.hpp"
#include "sim/core/random.hpp"

namespace cs::models::serving {

class RequestSource {
 public:
  // `spec` must have exactly one of synthetic / trace. Random draws come from the stream
  // "inference/source" of `seed`, so the same seed gives the same requests.
  RequestSource(const ServingSpec& spec, std::uint64_t seed);

  // The next request, or nullopt when the source is exhausted.
  std::optional<Request> next();
  std::uint64_t emitted() const { return emitted_; }

 private:
  std::optional<Request> next_synthetic();
  std::optional<Request> next_trace();

  const SyntheticSource* synthetic_ = nullptr;
  const TraceSource* trace_ = nullptr;
  sim::RandomStream arrivals_;
  sim::RandomStream lengths_;
  double clock_s_ = 0;
  std::size_t row_ = 0;
  double trace_origin_s_ = 0;
  std::uint64_t emitted_ = 0;
};

}  // namespace cs::models::serving
