#pragma once
// Quantities with units, parsed once at the edge (STYLE habit 4).
//
// Every quantity in a scenario or profile may be a plain number in the dimension's base
// unit or a string with a unit. Base units (documented in docs/scenario-format.md):
//   bytes          B            "80GiB", "40GB", "512MiB", "1.5TB", "400Gb" (bits)
//   bandwidth      bytes/s      "400Gbps", "400Gb/s", "50GB/s", "3.35TB/s", "25GiB/s"
//   duration       seconds      "1.5us", "200ns", "3ms", "2s", "5min", "4h", "7d", "4y"
//   power          watts        "700W", "10.2kW", "1.2MW"
//   energy         joules       "3.6MJ", "1kWh"
//   money          USD          "$30000", "$30k", "$2.5M", "30000 USD"
//   money_rate     USD/hour     "$2.10/h", "$2.10/hr", "$1500/month", "$18000/year"
//   energy_price   USD/kWh      "$0.12/kWh", "$120/MWh"
//   frequency      Hz           "1.98GHz"
//   flop_rate      FLOP/s       "989TFLOPS", "989 TFLOP/s", "1979TOPS"
//   count          1            "15T", "2.5M", "300B", "4k" (decimal multipliers)
//   ratio          1            "90%", "0.9"
//   rate           1/second     "10/s", "600/min", "36000/h"
#include <string>
#include <string_view>

namespace cs::load {

enum class Dimension {
  bytes, bandwidth, duration, power, energy, money, money_rate, energy_price,
  frequency, flop_rate, count, ratio, rate
};

// Name of the dimension and a few accepted examples, for error messages.
std::string_view dimension_name(Dimension dim);
std::string_view dimension_examples(Dimension dim);

// Parses "<number>[ ]<unit>" into the base unit. Throws std::invalid_argument with a
// message that says what was expected (the caller adds file and JSON pointer).
double parse_quantity(std::string_view text, Dimension dim);

// Formats a base-unit value with a readable unit ("3.35 TB/s", "80 GiB", "$2.10/h").
std::string format_quantity(double value, Dimension dim);

}  // namespace cs::load
