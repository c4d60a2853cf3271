#include "gui/plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cs::gui {

namespace {
constexpr ImU32 kAxisColour = IM_COL32(200, 200, 200, 255);
constexpr ImU32 kGridColour = IM_COL32(90, 90, 100, 110);
constexpr ImU32 kBackground = IM_COL32(25, 27, 32, 255);
constexpr float kLeftMargin = 64.0f;
constexpr float kBottomMargin = 40.0f;
constexpr float kTopMargin = 24.0f;  // room for the y-axis title above the plot
constexpr float kRightMargin = 16.0f;

ImVec2 widget_size(ImVec2 size) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (size.x <= 0) size.x = std::max(avail.x + size.x, 100.0f);
  if (size.y <= 0) size.y = std::max(avail.y + size.y, 100.0f);
  return size;
}
}  // namespace

ImU32 palette(int i, float alpha) {
  static const ImVec4 colours[] = {
      {0.31f, 0.60f, 0.95f, 1}, {0.98f, 0.62f, 0.20f, 1}, {0.35f, 0.80f, 0.45f, 1}, {0.90f, 0.35f, 0.38f, 1},
      {0.68f, 0.52f, 0.92f, 1}, {0.95f, 0.85f, 0.30f, 1}, {0.40f, 0.85f, 0.85f, 1}, {0.85f, 0.55f, 0.75f, 1},
      {0.62f, 0.62f, 0.62f, 1}, {0.60f, 0.75f, 0.35f, 1}};
  ImVec4 c = colours[static_cast<std::size_t>(std::abs(i)) % (sizeof colours / sizeof colours[0])];
  c.w = alpha;
  return ImGui::ColorConvertFloat4ToU32(c);
}

void section_title(const char* title) {
  ImGui::Spacing();
  ImGui::TextColored(ImVec4(0.55f, 0.75f, 1.0f, 1.0f), "%s", title);
  ImGui::Separator();
}

ImVec2 PlotFrame::to_screen(double x, double y) const {
  return ImVec2(static_cast<float>(area.x0 + xs.to_unit(x) * (area.x1 - area.x0)),
                static_cast<float>(area.y1 - ys.to_unit(y) * (area.y1 - area.y0)));
}

PlotFrame plot_axes(const char* id, ImVec2 size, const Scale& xs, const Scale& ys, const std::string& x_title,
                    const std::string& y_title) {
  PlotFrame f;
  size = widget_size(size);
  f.box0 = ImGui::GetCursorScreenPos();
  f.box1 = ImVec2(f.box0.x + size.x, f.box0.y + size.y);
  ImGui::InvisibleButton(id, size);
  f.hovered = ImGui::IsItemHovered();
  f.clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  f.mouse = ImGui::GetIO().MousePos;
  f.xs = xs;
  f.ys = ys;
  f.area = {f.box0.x + kLeftMargin, f.box0.y + kTopMargin, f.box1.x - kRightMargin, f.box1.y - kBottomMargin};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(f.box0, f.box1, kBackground, 4.0f);
  const ImVec2 a0(f.area.x0, f.area.y0), a1(f.area.x1, f.area.y1);
  dl->AddRect(a0, a1, kAxisColour);
  const float th = ImGui::GetTextLineHeight();
  for (const Tick& t : xs.ticks(7)) {
    const float x = static_cast<float>(f.area.x0 + xs.to_unit(t.value) * (f.area.x1 - f.area.x0));
    if (x < f.area.x0 - 0.5f || x > f.area.x1 + 0.5f) continue;
    dl->AddLine(ImVec2(x, f.area.y0), ImVec2(x, f.area.y1), kGridColour);
    dl->AddLine(ImVec2(x, f.area.y1), ImVec2(x, f.area.y1 + (t.major ? 5.0f : 3.0f)), kAxisColour);
    const ImVec2 ts = ImGui::CalcTextSize(t.label.c_str());
    dl->AddText(ImVec2(x - ts.x * 0.5f, f.area.y1 + 6.0f), kAxisColour, t.label.c_str());
  }
  for (const Tick& t : ys.ticks(6)) {
    const float y = static_cast<float>(f.area.y1 - ys.to_unit(t.value) * (f.area.y1 - f.area.y0));
    if (y < f.area.y0 - 0.5f || y > f.area.y1 + 0.5f) continue;
    dl->AddLine(ImVec2(f.area.x0, y), ImVec2(f.area.x1, y), kGridColour);
    dl->AddLine(ImVec2(f.area.x0 - (t.major ? 5.0f : 3.0f), y), ImVec2(f.area.x0, y), kAxisColour);
    const ImVec2 ts = ImGui::CalcTextSize(t.label.c_str());
    dl->AddText(ImVec2(f.area.x0 - 7.0f - ts.x, y - th * 0.5f), kAxisColour, t.label.c_str());
  }
  const ImVec2 xt = ImGui::CalcTextSize(x_title.c_str());
  dl->AddText(ImVec2((f.area.x0 + f.area.x1 - xt.x) * 0.5f, f.area.y1 + 8.0f + th), kAxisColour, x_title.c_str());
  // ImGui draws no rotated text: the y title sits above the axis, left aligned.
  dl->AddText(ImVec2(f.box0.x + 4.0f, f.box0.y + 2.0f), kAxisColour, y_title.c_str());
  return f;
}

void plot_line(const PlotFrame& f, const std::vector<double>& x, const std::vector<double>& y, ImU32 colour,
               float thickness) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(ImVec2(f.area.x0, f.area.y0), ImVec2(f.area.x1, f.area.y1), true);
  const std::size_t n = std::min(x.size(), y.size());
  // Thin very long series to about one point per pixel column.
  const std::size_t stride = std::max<std::size_t>(1, n / static_cast<std::size_t>(std::max(1.0f, f.area.x1 - f.area.x0) * 2));
  ImVec2 prev;
  bool have = false;
  for (std::size_t i = 0; i < n; i += stride) {
    if ((f.xs.log() && !(x[i] > 0)) || (f.ys.log() && !(y[i] > 0))) continue;
    const ImVec2 p = f.to_screen(x[i], y[i]);
    if (have) dl->AddLine(prev, p, colour, thickness);
    prev = p;
    have = true;
  }
  dl->PopClipRect();
}

void plot_markers(const PlotFrame& f, const std::vector<ScreenPoint>& points, ImU32 colour, float radius) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(ImVec2(f.area.x0 - radius, f.area.y0 - radius), ImVec2(f.area.x1 + radius, f.area.y1 + radius), true);
  for (const auto& p : points) dl->AddCircleFilled(ImVec2(p.x, p.y), radius, colour);
  dl->PopClipRect();
}

void stacked_bar(const char* id, const BarSet& bars, double scale_max, float width, float height) {
  if (width <= 0) width = std::max(ImGui::GetContentRegionAvail().x + width, 50.0f);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, ImVec2(width, height));
  const bool hovered = ImGui::IsItemHovered();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, ImVec2(p0.x + width, p0.y + height), kBackground);
  const double total = bars.total();
  const double scale = scale_max > 0 ? scale_max : total;
  float x = p0.x;
  for (std::size_t i = 0; i < bars.parts.size(); ++i) {
    const auto& part = bars.parts[i];
    if (!(part.value > 0) || !(scale > 0)) continue;
    const float w = static_cast<float>(part.value / scale * width);
    const ImVec2 a(x, p0.y), b(x + w, p0.y + height);
    dl->AddRectFilled(a, b, palette(static_cast<int>(i)));
    if (w > 1.5f) dl->AddLine(ImVec2(b.x, a.y), ImVec2(b.x, b.y), kBackground);
    if (hovered && mouse.x >= a.x && mouse.x < b.x) {
      ImGui::BeginTooltip();
      ImGui::Text("%s: %s (%.1f%% of %s)", part.label.c_str(), format_value(part.value, bars.unit).c_str(),
                  total > 0 ? 100.0 * part.value / total : 0.0, format_value(total, bars.unit).c_str());
      ImGui::EndTooltip();
    }
    x += w;
  }
  // Legend: coloured squares with labels, wrapping.
  const float sq = ImGui::GetTextLineHeight() * 0.8f;
  for (std::size_t i = 0; i < bars.parts.size(); ++i) {
    const auto& part = bars.parts[i];
    char buf[256];
    std::snprintf(buf, sizeof buf, "%s %s", part.label.c_str(), format_value(part.value, bars.unit).c_str());
    const float item_w = sq + 4.0f + ImGui::CalcTextSize(buf).x + 12.0f;
    if (i > 0) {
      ImGui::SameLine();
      if (ImGui::GetCursorScreenPos().x + item_w > p0.x + std::max(width, 300.0f)) ImGui::NewLine();
    }
    const ImVec2 c = ImGui::GetCursorScreenPos();
    dl->AddRectFilled(ImVec2(c.x, c.y + 2), ImVec2(c.x + sq, c.y + 2 + sq), palette(static_cast<int>(i)));
    ImGui::Dummy(ImVec2(sq + 2.0f, sq));
    ImGui::SameLine();
    ImGui::TextUnformatted(buf);
  }
}

void bar_list(const char* id, const std::vector<BarPart>& parts, const std::string& unit, float width) {
  if (width <= 0) width = std::max(ImGui::GetContentRegionAvail().x + width, 50.0f);
  double max = 0.0;
  float label_w = 0.0f;
  for (const auto& p : parts) {
    max = std::max(max, p.value);
    label_w = std::max(label_w, ImGui::CalcTextSize(p.label.c_str()).x);
  }
  label_w += 10.0f;
  ImGui::PushID(id);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float h = ImGui::GetTextLineHeight() + 4.0f;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::PushID(static_cast<int>(i));
    ImGui::InvisibleButton("bar", ImVec2(width, h));
    ImGui::PopID();
    const std::string value = format_value(parts[i].value, unit);
    const float value_w = ImGui::CalcTextSize(value.c_str()).x + 8.0f;
    const float bar_w = std::max(0.0f, width - label_w - value_w);
    const float w = max > 0 ? static_cast<float>(parts[i].value / max) * bar_w : 0.0f;
    dl->AddText(ImVec2(p0.x, p0.y + 2), kAxisColour, parts[i].label.c_str());
    dl->AddRectFilled(ImVec2(p0.x + label_w, p0.y + 2), ImVec2(p0.x + label_w + w, p0.y + h - 2),
                      palette(static_cast<int>(i)));
    dl->AddText(ImVec2(p0.x + label_w + w + 4.0f, p0.y + 2), kAxisColour, value.c_str());
  }
  ImGui::PopID();
}

void gantt(const char* id, const Timeline& tl, GanttView& view, ImVec2 size) {
  size = widget_size(size);
  if (!view.fitted || view.t1 <= view.t0) {
    view.t0 = tl.t0;
    view.t1 = tl.t1 > tl.t0 ? tl.t1 : tl.t0 + 1e-6;
    view.fitted = true;
  }
  const ImVec2 box0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, size);
  const bool hovered = ImGui::IsItemHovered();
  ImGuiIO& io = ImGui::GetIO();
  float label_w = 0.0f;
  for (const auto& r : tl.rows) label_w = std::max(label_w, ImGui::CalcTextSize(r.c_str()).x);
  label_w = std::min(label_w + 10.0f, size.x * 0.35f);
  const float axis_h = 36.0f;
  const PlotRect area{box0.x + label_w, box0.y, box0.x + size.x - 8.0f, box0.y + size.y - axis_h};
  const double span = view.t1 - view.t0;
  // Zoom on the wheel around the cursor, pan by dragging.
  if (hovered && io.MouseWheel != 0.0f && io.MousePos.x >= area.x0) {
    const double u = (io.MousePos.x - area.x0) / (area.x1 - area.x0);
    const double at = view.t0 + u * span;
    const double factor = std::pow(0.8, io.MouseWheel);
    const double new_span = std::clamp(span * factor, 1e-9, std::max(tl.t1 - tl.t0, 1e-9) * 4.0);
    view.t0 = at - u * new_span;
    view.t1 = view.t0 + new_span;
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.0f)) {
    const double dt = -io.MouseDelta.x / (area.x1 - area.x0) * (view.t1 - view.t0);
    view.t0 += dt;
    view.t1 += dt;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(box0, ImVec2(box0.x + size.x, box0.y + size.y), kBackground, 4.0f);
  // Time axis in seconds, ticks relative to the window start of the trace.
  const Scale ts(view.t0 - tl.t0, view.t1 - tl.t0, false);
  for (const Tick& t : linear_ticks(ts.lo(), ts.hi(), 8)) {
    const float x = static_cast<float>(area.x0 + ts.to_unit(t.value) * (area.x1 - area.x0));
    dl->AddLine(ImVec2(x, area.y0), ImVec2(x, area.y1), kGridColour);
    const std::string label = format_value(t.value, "s");
    const ImVec2 sz = ImGui::CalcTextSize(label.c_str());
    dl->AddText(ImVec2(x - sz.x * 0.5f, area.y1 + 4.0f), kAxisColour, label.c_str());
  }
  dl->AddText(ImVec2((area.x0 + area.x1) * 0.5f - 60.0f, area.y1 + 4.0f + ImGui::GetTextLineHeight()), kAxisColour,
              "time since trace start");
  const float rh = std::max(4.0f, std::min(view.row_height, (area.y1 - area.y0) / std::max<std::size_t>(1, tl.rows.size())));
  dl->PushClipRect(ImVec2(box0.x, area.y0), ImVec2(area.x1, area.y1), true);
  for (std::size_t r = 0; r < tl.rows.size(); ++r) {
    const float y = area.y0 + static_cast<float>(r) * rh;
    if (y > area.y1) break;
    if (rh >= ImGui::GetTextLineHeight()) dl->AddText(ImVec2(box0.x + 4.0f, y + (rh - ImGui::GetTextLineHeight()) * 0.5f), kAxisColour, tl.rows[r].c_str());
    if (r % 2 == 1) dl->AddRectFilled(ImVec2(area.x0, y), ImVec2(area.x1, y + rh), IM_COL32(255, 255, 255, 10));
  }
  dl->PopClipRect();
  dl->PushClipRect(ImVec2(area.x0, area.y0), ImVec2(area.x1, area.y1), true);
  const double px_per_s = (area.x1 - area.x0) / (view.t1 - view.t0);
  int last_row = -1;
  float last_x = -1e9f;
  const TimelineSpan* under_mouse = nullptr;
  for (const auto& s : tl.spans) {
    if (s.start_s > view.t1 || s.start_s + s.dur_s < view.t0) continue;
    const float y = area.y0 + static_cast<float>(s.row) * rh;
    if (y > area.y1) continue;
    float x0 = static_cast<float>(area.x0 + (s.start_s - view.t0) * px_per_s);
    float x1 = static_cast<float>(area.x0 + (s.start_s + s.dur_s - view.t0) * px_per_s);
    if (x1 - x0 < 1.0f) x1 = x0 + 1.0f;
    if (s.row == last_row && x1 <= last_x + 0.5f) continue;  // sub-pixel spans: one mark per pixel
    last_row = s.row;
    last_x = x1;
    dl->AddRectFilled(ImVec2(x0, y + 1), ImVec2(x1, y + rh - 1), palette(s.kind));
    if (x1 - x0 > 4.0f) dl->AddLine(ImVec2(x1 - 1, y + 1), ImVec2(x1 - 1, y + rh - 1), kBackground);  // span edges
    if (hovered && io.MousePos.x >= x0 && io.MousePos.x < x1 && io.MousePos.y >= y && io.MousePos.y < y + rh) under_mouse = &s;
  }
  dl->PopClipRect();
  if (under_mouse) {
    ImGui::BeginTooltip();
    ImGui::Text("%s", under_mouse->name.c_str());
    ImGui::Text("category: %s", under_mouse->category.c_str());
    ImGui::Text("start %s, duration %s", format_value(under_mouse->start_s - tl.t0, "s").c_str(),
                format_value(under_mouse->dur_s, "s").c_str());
    ImGui::Text("%s", tl.rows[static_cast<std::size_t>(under_mouse->row)].c_str());
    ImGui::EndTooltip();
  }
}

}  // namespace cs::gui
