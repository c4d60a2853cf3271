#include "gui/axis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cs::gui {

double nice_number(double x, bool round) {
  if (!(x > 0.0) || !std::isfinite(x)) return 1.0;
  const double exponent = std::floor(std::log10(x));
  const double base = std::pow(10.0, exponent);
  const double f = x / base;
  double nf;
  if (round) {
    nf = f < 1.5 ? 1.0 : f < 3.0 ? 2.0 : f < 7.0 ? 5.0 : 10.0;
  } else {
    nf = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0;
  }
  return nf * base;
}

namespace {

std::string label_with_decimals(double v, int decimals) {
  if (std::fabs(v) >= 1e4 || (std::fabs(v) > 0 && std::fabs(v) < 1e-3)) return format_number(v);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", std::max(0, decimals), v);
  std::string s = buf;
  if (s == "-0") s = "0";
  return s;
}

}  // namespace

std::vector<Tick> linear_ticks(double lo, double hi, int target) {
  std::vector<Tick> out;
  if (!std::isfinite(lo) || !std::isfinite(hi)) return out;
  if (lo > hi) std::swap(lo, hi);
  if (lo == hi) {
    out.push_back({lo, label_with_decimals(lo, 2), true});
    return out;
  }
  target = std::max(2, target);
  const double range = nice_number(hi - lo, false);
  const double step = nice_number(range / (target - 1), true);
  const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step))));
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (int i = 0;; ++i) {
    double v = first + i * step;
    if (v > hi + step * 1e-9) break;
    if (std::fabs(v) < step * 1e-9) v = 0.0;  // no "-0" or 1e-17 labels
    out.push_back({v, label_with_decimals(v, decimals), true});
    if (i > 1000) break;
  }
  return out;
}

std::vector<Tick> log_ticks(double lo, double hi) {
  std::vector<Tick> out;
  if (!(lo > 0.0) || !(hi > 0.0)) return out;
  if (lo > hi) std::swap(lo, hi);
  const int e0 = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
  const int e1 = static_cast<int>(std::ceil(std::log10(hi) - 1e-9));
  const int decades = e1 - e0;
  const int stride = std::max(1, decades / 8);  // at most ~8 labelled decades
  const bool minor = decades <= 3;
  for (int e = e0; e <= e1; ++e) {
    const double base = std::pow(10.0, e);
    if (base >= lo * (1 - 1e-9) && base <= hi * (1 + 1e-9) && (e - e0) % stride == 0) {
      out.push_back({base, format_number(base), true});
    }
    if (minor) {
      for (double m : {2.0, 5.0}) {
        const double v = m * base;
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push_back({v, format_number(v), false});
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Tick& a, const Tick& b) { return a.value < b.value; });
  return out;
}

std::string format_number(double v, int significant) {
  if (!std::isfinite(v)) return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
  const double a = std::fabs(v);
  const char* suffix = "";
  double scaled = v;
  if (a >= 1e15) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", significant, v);
    return buf;
  }
  if (a >= 1e12) { scaled = v / 1e12; suffix = "T"; }
  else if (a >= 1e9) { scaled = v / 1e9; suffix = "G"; }
  else if (a >= 1e6) { scaled = v / 1e6; suffix = "M"; }
  else if (a >= 1e4) { scaled = v / 1e3; suffix = "k"; }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g%s", significant, scaled, suffix);
  return buf;
}

Scale::Scale(double lo, double hi, bool log) : lo_(lo), hi_(hi), log_(log) {
  if (log_) {
    if (!(lo_ > 0.0)) lo_ = 1e-12;
    if (!(hi_ > lo_)) hi_ = lo_ * 10.0;
  } else if (!(hi_ > lo_)) {
    hi_ = lo_ + 1.0;
  }
}

Scale Scale::fit(double data_min, double data_max, bool log) {
  if (data_min > data_max) std::swap(data_min, data_max);
  if (log) {
    if (!(data_min > 0.0)) data_min = data_max > 0.0 ? data_max / 10.0 : 1.0;
    if (!(data_max > 0.0)) data_max = data_min * 10.0;
    // Round outward to half decades (1, 3.16, 10, ...), with a little margin.
    const double l0 = std::floor(std::log10(data_min / 1.05) * 2.0) / 2.0;
    double l1 = std::ceil(std::log10(data_max * 1.05) * 2.0) / 2.0;
    if (l1 <= l0) l1 = l0 + 1.0;
    return Scale(std::pow(10.0, l0), std::pow(10.0, l1), true);
  }
  if (data_min == data_max) {
    const double pad = data_min == 0.0 ? 1.0 : std::fabs(data_min) * 0.1;
    data_min -= pad;
    data_max += pad;
  }
  const double pad = (data_max - data_min) * 0.05;
  double lo = data_min - pad;
  double hi = data_max + pad;
  if (data_min >= 0.0 && lo < 0.0) lo = 0.0;  // keep non-negative data on a non-negative axis
  const double step = nice_number(nice_number(hi - lo, false) / 5.0, true);
  return Scale(std::floor(lo / step) * step, std::ceil(hi / step) * step, false);
}

double Scale::to_unit(double v) const {
  if (log_) {
    if (!(v > 0.0)) return -1.0;
    return (std::log10(v) - std::log10(lo_)) / (std::log10(hi_) - std::log10(lo_));
  }
  return (v - lo_) / (hi_ - lo_);
}

double Scale::from_unit(double u) const {
  if (log_) return std::pow(10.0, std::log10(lo_) + u * (std::log10(hi_) - std::log10(lo_)));
  return lo_ + u * (hi_ - lo_);
}

std::vector<Tick> Scale::ticks(int target) const {
  return log_ ? log_ticks(lo_, hi_) : linear_ticks(lo_, hi_, target);
}

}  // namespace cs::gui
