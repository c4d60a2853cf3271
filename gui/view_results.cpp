// Results view: headline figures, time / cost / memory breakdown bars, latency
// percentiles and time series (throughput, queue, KV occupancy) of the current result.
#include <algorithm>

#include <imgui.h>

#include "gui/app.hpp"

namespace cs::gui {

namespace {

void headline_table(const std::vector<Metric>& metrics) {
  const int columns = std::max(1, std::min(4, static_cast<int>(ImGui::GetContentRegionAvail().x / 230.0f)));
  if (!ImGui::BeginTable("headline", columns * 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) return;
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    if (i % static_cast<std::size_t>(columns) == 0) ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", metrics[i].label.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(format_value(metrics[i].value, metrics[i].unit).c_str());
  }
  ImGui::EndTable();
}

}  // namespace

void ResultsView::Draw(App& app) {
  if (!app.has_result()) {
    ImGui::TextDisabled("No result yet: run a scenario (Scenarios or Run view), or open a result file (File menu).");
    return;
  }
  const ResultModel& r = app.result();
  ImGui::Text("%s%s%s", r.name.c_str(), r.kind.empty() ? "" : "  -  ", r.kind.c_str());
  ImGui::SameLine();
  if (ImGui::SmallButton("Add to compare")) app.add_compare_column(column_from_result(r.name, r));
  for (const auto& n : r.notes) ImGui::TextColored(ImVec4(0.95f, 0.8f, 0.3f, 1), "note: %s", n.c_str());
  if (!r.headline.empty()) {
    section_title("Headline");
    headline_table(r.headline);
  }
  if (!r.binding_constraints.empty()) {
    std::string s;
    for (const auto& b : r.binding_constraints) s += (s.empty() ? "" : ", ") + b;
    ImGui::Text("binding constraints: %s", s.c_str());
  }
  // Breakdowns: time and cost as stacked bars, memory per device as stacked bars too.
  for (const auto& b : r.breakdowns) {
    section_title(b.title.c_str());
    ImGui::PushID(b.key.c_str());
    if (b.capacity > 0) {
      ImGui::Text("total %s of %s (%.0f%%)", format_value(b.total(), b.unit).c_str(),
                  format_value(b.capacity, b.unit).c_str(), 100.0 * b.total() / b.capacity);
    } else {
      ImGui::Text("total %s", format_value(b.total(), b.unit).c_str());
    }
    stacked_bar("bar", b, std::max(b.total(), b.capacity), -8.0f, 26.0f);
    ImGui::PopID();
  }
  if (!r.percentiles.empty()) {
    section_title("Latency percentiles");
    if (ImGui::BeginTable("pct", 8, ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
      ImGui::TableSetupColumn("metric");
      for (const char* k : {"p50", "p90", "p95", "p99", "p999", "mean", "max"}) ImGui::TableSetupColumn(k);
      ImGui::TableHeadersRow();
      for (const auto& p : r.percentiles) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(p.title.c_str());
        for (const char* k : {"p50", "p90", "p95", "p99", "p999", "mean", "max"}) {
          ImGui::TableNextColumn();
          auto it = std::find_if(p.values.begin(), p.values.end(), [&](const BarPart& v) { return v.label == k; });
          if (it != p.values.end()) ImGui::TextUnformatted(format_value(it->value, p.unit).c_str());
        }
      }
      ImGui::EndTable();
    }
  }
  if (!r.series.empty()) {
    section_title("Time series");
    const float w = ImGui::GetContentRegionAvail().x;
    const int per_row = w > 900 ? 2 : 1;
    for (std::size_t i = 0; i < r.series.size(); ++i) {
      const Series& s = r.series[i];
      if (s.t.empty()) continue;
      if (per_row == 2 && i % 2 == 1) ImGui::SameLine();
      ImGui::BeginGroup();
      const auto [tmin, tmax] = std::minmax_element(s.t.begin(), s.t.end());
      const auto [vmin, vmax] = std::minmax_element(s.v.begin(), s.v.end());
      const Scale xs = Scale::fit(*tmin, *tmax, false);
      const Scale ys = Scale::fit(std::min(0.0, *vmin), *vmax, false);
      ImGui::PushID(static_cast<int>(i));
      const PlotFrame f = plot_axes("series", ImVec2(w / per_row - 10.0f, 200), xs, ys, "time (s)",
                                    s.title + (s.unit.empty() ? "" : " (" + s.unit + ")"));
      plot_line(f, s.t, s.v, palette(static_cast<int>(i)));
      if (f.hovered) {
        const double t = xs.from_unit((f.mouse.x - f.area.x0) / (f.area.x1 - f.area.x0));
        const auto it = std::lower_bound(s.t.begin(), s.t.end(), t);
        if (it != s.t.end()) {
          const std::size_t k = static_cast<std::size_t>(it - s.t.begin());
          ImGui::SetTooltip("t = %s\n%s = %s", format_value(s.t[k], "s").c_str(), s.title.c_str(),
                            format_value(s.v[k], s.unit).c_str());
        }
      }
      ImGui::PopID();
      ImGui::EndGroup();
    }
  }
  if (r.empty()) {
    ImGui::TextDisabled("The result file holds no figures this view recognises; its JSON:");
    ImGui::BeginChild("raw");
    ImGui::TextUnformatted(r.raw.dump(2).c_str());
    ImGui::EndChild();
  }
}

}  // namespace cs::gui
