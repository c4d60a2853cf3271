#pragma once
// Small plot widgets drawn with ImGui draw lists (Debian has no ImPlot). Each takes its
// data and a size, reserves the space with an invisible button (so it scrolls and takes
// mouse input like any widget) and draws: axes with ticks and units, scatter and line
// series, stacked bars with a legend, a Gantt chart. Data-to-pixel logic is in axis.hpp
// and frontier.hpp, tested without a window.
#include <string>
#include <vector>

#include <imgui.h>

#include "gui/axis.hpp"
#include "gui/frontier.hpp"
#include "gui/result_model.hpp"

namespace cs::gui {

ImU32 palette(int i, float alpha = 1.0f);
// A section heading: spacing, the title in the accent colour, a separator.
void section_title(const char* title);

// An axes frame: the widget's box, its plot area (inside the tick labels) and scales.
struct PlotFrame {
  ImVec2 box0, box1;
  PlotRect area;
  Scale xs, ys;
  bool hovered = false;
  bool clicked = false;
  ImVec2 mouse;
  ImVec2 to_screen(double x, double y) const;
};

// Reserves `size` (negative or zero width: fill), draws background, grid, ticks with
// labels and axis titles (with units), and returns the frame for series to draw into.
PlotFrame plot_axes(const char* id, ImVec2 size, const Scale& xs, const Scale& ys, const std::string& x_title,
                    const std::string& y_title);

void plot_line(const PlotFrame& f, const std::vector<double>& x, const std::vector<double>& y, ImU32 colour,
               float thickness = 1.5f);
void plot_markers(const PlotFrame& f, const std::vector<ScreenPoint>& points, ImU32 colour, float radius);

// A horizontal stacked bar of `bars` scaled so that `scale_max` spans `width` (shared scales
// across bars make sizes comparable); a legend line below; tooltips per segment.
void stacked_bar(const char* id, const BarSet& bars, double scale_max, float width, float height = 22.0f);
// One horizontal bar per part, labelled, scaled to the largest part.
void bar_list(const char* id, const std::vector<BarPart>& parts, const std::string& unit, float width);

// Gantt chart state: the visible time window (seconds), kept between frames by the view.
struct GanttView {
  double t0 = 0.0, t1 = 1.0;
  float row_height = 18.0f;
  bool fitted = false;
};
void gantt(const char* id, const Timeline& tl, GanttView& view, ImVec2 size);

}  // namespace cs::gui
