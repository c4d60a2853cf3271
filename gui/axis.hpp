#pragma once
// Axis scales and tick placement for the GUI's plot widgets (no ImGui here, so the logic
// is tested without a window).
//
// Linear axes use "nice numbers" (1, 2, 5 × 10^k steps, Heckbert's rule); log axes put
// major ticks on powers of ten and, when at most three decades are shown, minor labelled
// ticks at 2× and 5×. Scale maps data values to [0, 1] along the axis.
#include <string>
#include <vector>

namespace cs::gui {

struct Tick {
  double value = 0.0;
  std::string label;
  bool major = true;
};

// The nice number nearest `x` (round) or at least `x` (ceiling): 1, 2, 5 or 10 × 10^k.
double nice_number(double x, bool round);

// About `target` ticks covering [lo, hi], each a multiple of a nice step, inside [lo, hi].
// Labels use the fewest decimals that tell neighbours apart. lo == hi gives one tick.
std::vector<Tick> linear_ticks(double lo, double hi, int target = 6);

// Ticks for a log10 axis over [lo, hi] (both > 0).
std::vector<Tick> log_ticks(double lo, double hi);

// A readable number with SI-like suffixes for large magnitudes ("1.2k", "3.4M", "2.5G").
std::string format_number(double v, int significant = 3);

class Scale {
 public:
  Scale() = default;
  Scale(double lo, double hi, bool log);
  // Pads and rounds a data range outward to nice bounds (log: to whole or half decades).
  static Scale fit(double data_min, double data_max, bool log);

  double lo() const { return lo_; }
  double hi() const { return hi_; }
  bool log() const { return log_; }
  // 0 at lo, 1 at hi; values outside map outside [0, 1].
  double to_unit(double v) const;
  double from_unit(double u) const;
  std::vector<Tick> ticks(int target = 6) const;

 private:
  double lo_ = 0.0;
  double hi_ = 1.0;
  bool log_ = false;
};

}  // namespace cs::gui
