#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "loaders/units.hpp"

using cs::load::Dimension;
using cs::load::format_quantity;
using cs::load::parse_quantity;

TEST_CASE("sizes in decimal and binary units, bytes and bits") {
  CHECK(parse_quantity("80GiB", Dimension::bytes) == 80.0 * 1073741824.0);
  CHECK(parse_quantity("40GB", Dimension::bytes) == 40e9);
  CHECK(parse_quantity("40 GB", Dimension::bytes) == 40e9);
  CHECK(parse_quantity("512KiB", Dimension::bytes) == 524288.0);
  CHECK(parse_quantity("4KB", Dimension::bytes) == 4000.0);
  CHECK(parse_quantity("8Gb", Dimension::bytes) == 1e9);
  CHECK(parse_quantity("1024", Dimension::bytes) == 1024.0);
}

TEST_CASE("bandwidths in bits and bytes per second") {
  CHECK(parse_quantity("400Gbps", Dimension::bandwidth) == 50e9);
  CHECK(parse_quantity("400Gb/s", Dimension::bandwidth) == 50e9);
  CHECK(parse_quantity("50GB/s", Dimension::bandwidth) == 50e9);
  CHECK(parse_quantity("3.35TB/s", Dimension::bandwidth) == doctest::Approx(3.35e12));
  CHECK(parse_quantity("25GiB/s", Dimension::bandwidth) == 25.0 * 1073741824.0);
}

TEST_CASE("durations, power, energy, frequency, FLOP rates") {
  CHECK(parse_quantity("1.5us", Dimension::duration) == doctest::Approx(1.5e-6));
  CHECK(parse_quantity("200ns", Dimension::duration) == doctest::Approx(2e-7));
  CHECK(parse_quantity("4h", Dimension::duration) == 14400.0);
  CHECK(parse_quantity("4 years", Dimension::duration) == doctest::Approx(4 * 365.25 * 86400));
  CHECK(parse_quantity("700W", Dimension::power) == 700.0);
  CHECK(parse_quantity("10.2kW", Dimension::power) == doctest::Approx(10200.0));
  CHECK(parse_quantity("1kWh", Dimension::energy) == 3.6e6);
  CHECK(parse_quantity("1.98GHz", Dimension::frequency) == doctest::Approx(1.98e9));
  CHECK(parse_quantity("989TFLOPS", Dimension::flop_rate) == doctest::Approx(989e12));
  CHECK(parse_quantity("989 TFLOP/s", Dimension::flop_rate) == doctest::Approx(989e12));
}

TEST_CASE("money, rates of money, energy prices") {
  CHECK(parse_quantity("$30000", Dimension::money) == 30000.0);
  CHECK(parse_quantity("$30k", Dimension::money) == 30000.0);
  CHECK(parse_quantity("$2.5M", Dimension::money) == 2.5e6);
  CHECK(parse_quantity("30000 USD", Dimension::money) == 30000.0);
  CHECK(parse_quantity("$2.10/h", Dimension::money_rate) == doctest::Approx(2.10));
  CHECK(parse_quantity("$2.10/hr", Dimension::money_rate) == doctest::Approx(2.10));
  CHECK(parse_quantity("$730.5/month", Dimension::money_rate) == doctest::Approx(1.0));
  CHECK(parse_quantity("$0.12/kWh", Dimension::energy_price) == doctest::Approx(0.12));
  CHECK(parse_quantity("$120/MWh", Dimension::energy_price) == doctest::Approx(0.12));
}

TEST_CASE("counts, ratios and rates") {
  CHECK(parse_quantity("15T", Dimension::count) == 15e12);
  CHECK(parse_quantity("300B", Dimension::count) == 300e9);
  CHECK(parse_quantity("90%", Dimension::ratio) == doctest::Approx(0.9));
  CHECK(parse_quantity("0.9", Dimension::ratio) == doctest::Approx(0.9));
  CHECK(parse_quantity("600/min", Dimension::rate) == doctest::Approx(10.0));
}

TEST_CASE("bad unit strings are rejected with what was expected") {
  auto message = [](const char* text, Dimension d) {
    try {
      parse_quantity(text, d);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(message("400Gbs", Dimension::bandwidth).find("unknown unit \"Gbs\"") != std::string::npos);
  CHECK(message("400Gbs", Dimension::bandwidth).find("400Gbps") != std::string::npos);
  CHECK(message("fast", Dimension::bandwidth).find("no number") != std::string::npos);
  CHECK(message("", Dimension::bytes).find("empty") != std::string::npos);
  CHECK(message("700", Dimension::money_rate).empty());  // bare numbers are in the base unit
  CHECK_FALSE(message("700 W", Dimension::bytes).empty());
  CHECK_FALSE(message("5 mins", Dimension::duration).empty());
}

TEST_CASE("quantities format back with readable units") {
  CHECK(format_quantity(80.0 * 1073741824.0, Dimension::bytes) == "80 GiB");
  CHECK(format_quantity(3.35e12, Dimension::bandwidth) == "3.35 TB/s");
  CHECK(format_quantity(2.1, Dimension::money_rate) == "$2.10/h");
  CHECK(format_quantity(989e12, Dimension::flop_rate) == "989 TFLOP/s");
}
