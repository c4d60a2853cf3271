// Timeline view: the run's trace (compute and communication per rank) as a Gantt chart;
// mouse wheel zooms around the cursor, dragging pans, Fit shows everything.
#include <imgui.h>

#include "gui/app.hpp"

namespace cs::gui {

void TimelineView::Draw(App& app) {
  if (!app.has_result() || app.result().timeline.empty()) {
    ImGui::TextDisabled("No timeline: run `simulate` on a training scenario (the GUI asks for --trace), or open a "
                        "result whose folder holds trace.json.");
    return;
  }
  const Timeline& tl = app.result().timeline;
  if (ImGui::Button("Fit")) gantt_view.fitted = false;
  ImGui::SameLine();
  if (ImGui::Button("Zoom in")) {
    const double mid = (gantt_view.t0 + gantt_view.t1) / 2, half = (gantt_view.t1 - gantt_view.t0) / 4;
    gantt_view.t0 = mid - half;
    gantt_view.t1 = mid + half;
  }
  ImGui::SameLine();
  if (ImGui::Button("Zoom out")) {
    const double mid = (gantt_view.t0 + gantt_view.t1) / 2, half = gantt_view.t1 - gantt_view.t0;
    gantt_view.t0 = mid - half;
    gantt_view.t1 = mid + half;
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(120);
  ImGui::SliderFloat("row height", &gantt_view.row_height, 6.0f, 40.0f, "%.0f px");
  ImGui::SameLine();
  ImGui::TextDisabled("%zu spans on %zu tracks, %s%s; wheel: zoom, drag: pan", tl.spans.size(), tl.rows.size(),
                      format_value(tl.t1 - tl.t0, "s").c_str(), tl.truncated ? " (truncated)" : "");
  // Legend: one colour per span kind (the first word of the span names).
  for (std::size_t i = 0; i < tl.kinds.size(); ++i) {
    if (i) ImGui::SameLine();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float s = ImGui::GetTextLineHeight();
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + s, p.y + s), palette(static_cast<int>(i)));
    ImGui::Dummy(ImVec2(s, s));
    ImGui::SameLine();
    ImGui::TextUnformatted(tl.kinds[i].empty() ? "(unnamed)" : tl.kinds[i].c_str());
  }
  gantt("gantt", tl, gantt_view, ImVec2(0, 0));
}

}  // namespace cs::gui
