#include "loaders/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <utility>
#include <vector>

namespace cs::load {
namespace {

struct UnitEntry {
  std::string suffix;
  double factor;  // multiply the number by this to get the base unit
};

struct Prefix {
  const char* symbol;
  double factor;
};

constexpr std::array<Prefix, 6> kDecimal{{{"", 1.0}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"P", 1e15}}};
constexpr std::array<Prefix, 5> kBinary{{{"Ki", 1024.0}, {"Mi", 1048576.0}, {"Gi", 1073741824.0},
                                          {"Ti", 1099511627776.0}, {"Pi", 1125899906842624.0}}};

void add_prefixed(std::vector<UnitEntry>& out, const std::vector<std::string>& bases, double base_factor,
                  bool binary) {
  for (const auto& b : bases) {
    for (const auto& p : kDecimal) out.push_back({std::string(p.symbol) + b, base_factor * p.factor});
    // "KB" is common for kilobytes even though SI says "kB".
    out.push_back({"K" + b, base_factor * 1e3});
    if (binary) {
      for (const auto& p : kBinary) out.push_back({std::string(p.symbol) + b, base_factor * p.factor});
    }
  }
}

std::vector<UnitEntry> build_table(Dimension dim) {
  std::vector<UnitEntry> t;
  switch (dim) {
    case Dimension::bytes:
      add_prefixed(t, {"B", "byte", "bytes"}, 1.0, true);
      add_prefixed(t, {"b", "bit", "bits"}, 0.125, true);
      break;
    case Dimension::bandwidth:
      add_prefixed(t, {"B/s", "Bps", "byte/s"}, 1.0, true);
      add_prefixed(t, {"b/s", "bps", "bit/s"}, 0.125, true);
      break;
    case Dimension::duration:
      t = {{"ps", 1e-12}, {"ns", 1e-9}, {"us", 1e-6}, {"\xC2\xB5s", 1e-6}, {"ms", 1e-3}, {"s", 1.0},
           {"sec", 1.0}, {"min", 60.0}, {"h", 3600.0}, {"hr", 3600.0}, {"hour", 3600.0},
           {"hours", 3600.0}, {"d", 86400.0}, {"day", 86400.0}, {"days", 86400.0},
           {"week", 604800.0}, {"weeks", 604800.0}, {"y", 31557600.0}, {"year", 31557600.0},
           {"years", 31557600.0}};
      break;
    case Dimension::power:
      t = {{"mW", 1e-3}, {"W", 1.0}, {"kW", 1e3}, {"MW", 1e6}, {"GW", 1e9}};
      break;
    case Dimension::energy:
      t = {{"J", 1.0}, {"kJ", 1e3}, {"MJ", 1e6}, {"GJ", 1e9}, {"Wh", 3600.0}, {"kWh", 3.6e6},
           {"MWh", 3.6e9}, {"GWh", 3.6e12}};
      break;
    case Dimension::frequency:
      t = {{"Hz", 1.0}, {"kHz", 1e3}, {"MHz", 1e6}, {"GHz", 1e9}};
      break;
    case Dimension::flop_rate:
      add_prefixed(t, {"FLOPS", "FLOP/s", "flops", "OPS", "OP/s"}, 1.0, false);
      break;
    case Dimension::count:
      t = {{"", 1.0}, {"k", 1e3}, {"K", 1e3}, {"M", 1e6}, {"B", 1e9}, {"G", 1e9}, {"T", 1e12}, {"P", 1e15}};
      break;
    case Dimension::ratio:
      t = {{"", 1.0}, {"%", 0.01}};
      break;
    case Dimension::rate:
      t = {{"/s", 1.0}, {"/sec", 1.0}, {"/min", 1.0 / 60.0}, {"/h", 1.0 / 3600.0}, {"/hr", 1.0 / 3600.0},
           {"/hour", 1.0 / 3600.0}, {"/day", 1.0 / 86400.0}};
      break;
    case Dimension::money: {
      for (const auto& [s, f] : std::vector<std::pair<std::string, double>>{{"", 1.0}, {"k", 1e3}, {"K", 1e3}, {"M", 1e6}, {"B", 1e9}}) {
        t.push_back({s, f});
      }
      break;
    }
    case Dimension::money_rate:
      t = {{"/h", 1.0}, {"/hr", 1.0}, {"/hour", 1.0}, {"/day", 1.0 / 24.0}, {"/month", 1.0 / 730.5},
           {"/mo", 1.0 / 730.5}, {"/year", 1.0 / 8766.0}, {"/yr", 1.0 / 8766.0}};
      break;
    case Dimension::energy_price:
      t = {{"/kWh", 1.0}, {"/MWh", 1e-3}, {"/Wh", 1e3}};
      break;
  }
  return t;
}

const std::vector<UnitEntry>& table_for(Dimension dim) {
  static const std::array<std::vector<UnitEntry>, 13> tables = [] {
    std::array<std::vector<UnitEntry>, 13> a;
    for (int i = 0; i < 13; ++i) a[static_cast<std::size_t>(i)] = build_table(static_cast<Dimension>(i));
    return a;
  }();
  return tables[static_cast<std::size_t>(dim)];
}

bool is_money(Dimension d) {
  return d == Dimension::money || d == Dimension::money_rate || d == Dimension::energy_price;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

[[noreturn]] void fail(std::string_view text, Dimension dim, std::string_view why) {
  throw std::invalid_argument("expected a " + std::string(dimension_name(dim)) + " (" +
                              std::string(dimension_examples(dim)) + "), got \"" + std::string(text) +
                              "\"" + (why.empty() ? "" : ": " + std::string(why)));
}

}  // namespace

std::string_view dimension_name(Dimension dim) {
  switch (dim) {
    case Dimension::bytes: return "size in bytes";
    case Dimension::bandwidth: return "bandwidth in bytes/s";
    case Dimension::duration: return "duration in seconds";
    case Dimension::power: return "power in watts";
    case Dimension::energy: return "energy in joules";
    case Dimension::money: return "price in USD";
    case Dimension::money_rate: return "price rate in USD/hour";
    case Dimension::energy_price: return "energy price in USD/kWh";
    case Dimension::frequency: return "frequency in Hz";
    case Dimension::flop_rate: return "throughput in FLOP/s";
    case Dimension::count: return "count";
    case Dimension::ratio: return "ratio";
    case Dimension::rate: return "rate per second";
  }
  return "quantity";
}

std::string_view dimension_examples(Dimension dim) {
  switch (dim) {
    case Dimension::bytes: return "e.g. \"80GiB\", \"40GB\" or a number of bytes";
    case Dimension::bandwidth: return "e.g. \"400Gbps\", \"50GB/s\" or a number of bytes/s";
    case Dimension::duration: return "e.g. \"1.5us\", \"3ms\", \"4h\" or a number of seconds";
    case Dimension::power: return "e.g. \"700W\", \"10kW\" or a number of watts";
    case Dimension::energy: return "e.g. \"1kWh\", \"3.6MJ\" or a number of joules";
    case Dimension::money: return "e.g. \"$30000\", \"$30k\" or a number of USD";
    case Dimension::money_rate: return "e.g. \"$2.10/h\", \"$1500/month\" or a number of USD/hour";
    case Dimension::energy_price: return "e.g. \"$0.12/kWh\" or a number of USD/kWh";
    case Dimension::frequency: return "e.g. \"1.98GHz\" or a number of Hz";
    case Dimension::flop_rate: return "e.g. \"989TFLOPS\" or a number of FLOP/s";
    case Dimension::count: return "e.g. 1000, \"15T\", \"2.5M\"";
    case Dimension::ratio: return "e.g. 0.9 or \"90%\"";
    case Dimension::rate: return "e.g. \"10/s\", \"600/min\" or a number per second";
  }
  return "";
}

double parse_quantity(std::string_view text, Dimension dim) {
  std::string_view s = trim(text);
  if (s.empty()) fail(text, dim, "empty string");
  bool saw_currency = false;
  if (is_money(dim)) {
    if (s.front() == '$') {
      s.remove_prefix(1);
      saw_currency = true;
    } else if (s.substr(0, 3) == "USD") {
      s.remove_prefix(3);
      saw_currency = true;
    }
    s = trim(s);
  }
  double number = 0.0;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (begin != end && *begin == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, end, number);
  if (ec != std::errc() || ptr == begin) fail(text, dim, "no number at the start");
  if (!std::isfinite(number)) fail(text, dim, "not a finite number");
  std::string_view unit = trim(std::string_view(ptr, static_cast<std::size_t>(end - ptr)));
  if (is_money(dim) && !saw_currency) {
    if (unit.size() >= 3 && unit.substr(0, 3) == "USD") {
      unit = trim(unit.substr(3));
    } else if (unit.size() >= 4 && unit.substr(unit.size() - 3) == "USD") {
      unit = trim(unit.substr(0, unit.size() - 3));
    }
  }
  for (const auto& entry : table_for(dim)) {
    if (entry.suffix == unit) return number * entry.factor;
  }
  if (unit.empty()) return number;  // a bare number is already in the base unit
  fail(text, dim, "unknown unit \"" + std::string(unit) + "\"");
}

std::string format_quantity(double v, Dimension dim) {
  char buf[64];
  auto scaled = [&](const std::array<std::pair<double, const char*>, 6>& steps, const char* fmt) {
    for (const auto& [f, u] : steps) {
      if (std::fabs(v) >= f) {
        std::snprintf(buf, sizeof buf, fmt, v / f, u);
        return std::string(buf);
      }
    }
    std::snprintf(buf, sizeof buf, fmt, v, steps.back().second);
    return std::string(buf);
  };
  switch (dim) {
    case Dimension::bytes:
      return scaled({{{1099511627776.0, "TiB"}, {1073741824.0, "GiB"}, {1048576.0, "MiB"}, {1024.0, "KiB"}, {1.0, "B"}, {0.0, "B"}}}, "%.4g %s");
    case Dimension::bandwidth:
      return scaled({{{1e12, "TB/s"}, {1e9, "GB/s"}, {1e6, "MB/s"}, {1e3, "kB/s"}, {1.0, "B/s"}, {0.0, "B/s"}}}, "%.4g %s");
    case Dimension::duration:
      return scaled({{{3600.0, "h"}, {1.0, "s"}, {1e-3, "ms"}, {1e-6, "us"}, {1e-9, "ns"}, {0.0, "s"}}}, "%.4g %s");
    case Dimension::power:
      return scaled({{{1e6, "MW"}, {1e3, "kW"}, {1.0, "W"}, {1e-3, "mW"}, {0.0, "W"}, {0.0, "W"}}}, "%.4g %s");
    case Dimension::energy:
      return scaled({{{3.6e9, "MWh"}, {3.6e6, "kWh"}, {3600.0, "Wh"}, {1.0, "J"}, {0.0, "J"}, {0.0, "J"}}}, "%.4g %s");
    case Dimension::flop_rate:
      return scaled({{{1e15, "PFLOP/s"}, {1e12, "TFLOP/s"}, {1e9, "GFLOP/s"}, {1.0, "FLOP/s"}, {0.0, "FLOP/s"}, {0.0, "FLOP/s"}}}, "%.4g %s");
    case Dimension::frequency:
      return scaled({{{1e9, "GHz"}, {1e6, "MHz"}, {1e3, "kHz"}, {1.0, "Hz"}, {0.0, "Hz"}, {0.0, "Hz"}}}, "%.4g %s");
    case Dimension::money: std::snprintf(buf, sizeof buf, "$%.2f", v); return buf;
    case Dimension::money_rate: std::snprintf(buf, sizeof buf, "$%.2f/h", v); return buf;
    case Dimension::energy_price: std::snprintf(buf, sizeof buf, "$%.3f/kWh", v); return buf;
    case Dimension::ratio: std::snprintf(buf, sizeof buf, "%.1f%%", v * 100.0); return buf;
    case Dimension::rate: std::snprintf(buf, sizeof buf, "%.4g/s", v); return buf;
    case Dimension::count: std::snprintf(buf, sizeof buf, "%.6g", v); return buf;
  }
  return std::to_string(v);
}

}  // namespace cs::load
