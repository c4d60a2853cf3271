#pragma once
// Logic behind the Planner view's scatter plot and table: projecting candidates onto the
// plot, finding the point under the mouse, the Pareto set for two minimised metrics, and
// sorting the table. No ImGui here.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "gui/axis.hpp"
#include "gui/result_model.hpp"

namespace cs::gui {

struct PlotRect {
  float x0 = 0, y0 = 0, x1 = 1, y1 = 1;  // screen pixels; y grows downwards
};

struct ScreenPoint {
  std::size_t index = 0;  // candidate index
  float x = 0, y = 0;
};

// Screen positions of candidates having both metrics (and positive values on log axes).
std::vector<ScreenPoint> project_points(const std::vector<Candidate>& cands, const std::string& x_key,
                                        const std::string& y_key, const Scale& xs, const Scale& ys,
                                        const PlotRect& rect);

// The candidate index of the point nearest (mx, my) within `radius` pixels, if any. Ties
// go to the later point (drawn on top).
std::optional<std::size_t> hit_test(const std::vector<ScreenPoint>& points, float mx, float my, float radius);

// Indices of the non-dominated points when both x and y are minimised, sorted by x.
std::vector<std::size_t> pareto_minimise(const std::vector<double>& x, const std::vector<double>& y);

// The data range of a metric over candidates (nullopt when none has it).
std::optional<std::pair<double, double>> metric_range(const std::vector<Candidate>& cands, const std::string& key,
                                                      bool positive_only);

// Table order: by metric `key` (missing values last), or by label when key is "label";
// stable, so equal values keep their result order.
std::vector<std::size_t> sort_candidates(const std::vector<Candidate>& cands, const std::string& key, bool ascending);

}  // namespace cs::gui
