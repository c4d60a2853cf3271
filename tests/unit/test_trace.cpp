#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "sim/core/trace.hpp"

using namespace cs::sim;

TEST_CASE("trace recorder writes valid Chrome trace JSON with exact microsecond times") {
  TraceRecorder t(3);
  t.process_name(0, "node \"0\"");
  t.thread_name(0, 1, "rank 1");
  t.span("gemm", "compute", 0, 1, SimTime::from_ns(1500), SimTime::from_ns(2001));
  t.async_begin("request", "inference", 42, 1, SimTime::from_ns(10));
  t.counter("queue", 1, SimTime::from_ns(20), 3.5);
  t.async_end("request", "inference", 42, 1, SimTime::from_ns(30));  // over the cap: dropped
  std::ostringstream out;
  t.write_json(out);
  const auto j = nlohmann::json::parse(out.str());
  CHECK(j["otherData"]["dropped_events"] == 1);
  const auto& ev = j["traceEvents"];
  REQUIRE(ev.size() == 5);
  CHECK(ev[0]["args"]["name"] == "node \"0\"");
  CHECK(ev[2]["ph"] == "X");
  CHECK(ev[2]["ts"].get<double>() == doctest::Approx(1.5));
  CHECK(ev[2]["dur"].get<double>() == doctest::Approx(2.001));
  CHECK(ev[3]["ph"] == "b");
  CHECK(ev[3]["id"] == 42);
  CHECK(ev[4]["args"]["value"].get<double>() == doctest::Approx(3.5));
  CHECK(t.truncated());
}
