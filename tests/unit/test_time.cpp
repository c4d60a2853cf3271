#include <doctest/doctest.h>

#include "sim/core/assert.hpp"
#include "sim/core/time.hpp"

using cs::sim::SimTime;

TEST_CASE("SimTime converts from seconds with explicit rounding") {
  CHECK(SimTime::from_seconds(1.5e-9).ns() == 2);   // nearest, ties away from zero
  CHECK(SimTime::from_seconds(1.4e-9).ns() == 1);
  CHECK(SimTime::from_seconds(-1.5e-9).ns() == -2);
  CHECK(SimTime::from_seconds(2.0).ns() == 2'000'000'000);
  CHECK(SimTime::from_seconds_ceil(1.0000001e-9).ns() == 2);
  CHECK(SimTime::from_seconds_ceil(1e-12).ns() == 1);  // positive work never takes zero time
  CHECK(SimTime::from_seconds_ceil(0.0).ns() == 0);
}

TEST_CASE("SimTime transfer time rounds up and treats zero bytes as instantaneous") {
  // 1 GiB at 100 GB/s = 10.737418 ms
  CHECK(SimTime::transfer(1073741824.0, 100e9).ns() == 10'737'419);
  CHECK(SimTime::transfer(1.0, 1e12).ns() == 1);
  CHECK(SimTime::transfer(0.0, 1e9).ns() == 0);
  CHECK_THROWS_AS(SimTime::transfer(1.0, 0.0), cs::InternalError);
  CHECK_THROWS_AS(SimTime::transfer(-1.0, 1.0), cs::InternalError);
}

TEST_CASE("SimTime refuses non-finite and out-of-range values instead of clamping") {
  CHECK_THROWS_AS(SimTime::from_seconds(1.0 / 0.0), cs::InternalError);
  CHECK_THROWS_AS(SimTime::from_seconds(0.0 / 0.0), cs::InternalError);
  CHECK_THROWS_AS(SimTime::from_seconds(1e11), cs::InternalError);  // > 292 years
  CHECK_NOTHROW(SimTime::from_seconds(9.2e9));
}

TEST_CASE("SimTime arithmetic and ordering") {
  const SimTime a = SimTime::from_us(3);
  const SimTime b = SimTime::from_ns(500);
  CHECK((a + b).ns() == 3500);
  CHECK((a - b).ns() == 2500);
  CHECK((a * 4).ns() == 12000);
  CHECK((a / 2).ns() == 1500);
  CHECK(a / b == 6);
  CHECK(b < a);
  CHECK(cs::sim::max(a, b) == a);
  CHECK(cs::sim::min(a, b) == b);
  CHECK(SimTime::from_ms(2).seconds() == doctest::Approx(0.002));
}

TEST_CASE("SimTime prints with an adaptive unit") {
  CHECK(cs::sim::to_string(SimTime::from_ns(12)) == "12 ns");
  CHECK(cs::sim::to_string(SimTime::from_us(1500)) == "1.500 ms");
  CHECK(cs::sim::to_string(SimTime::from_s(2)) == "2.000 s");
  CHECK(cs::sim::to_string(SimTime::from_s(7200)) == "2.000 h");
}
