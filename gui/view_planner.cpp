// Planner view: the candidates of a plan result as a scatter plot (choose the axes, log
// scales), the frontier drawn as a line, hover tooltips, click to select and see the
// configuration's breakdown, and a sortable table of candidates.
#include <algorithm>

#include <imgui.h>

#include "gui/app.hpp"

namespace cs::gui {

namespace {

int find_key(const std::vector<std::string>& keys, std::initializer_list<const char*> parts, int avoid) {
  for (const char* p : parts) {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (static_cast<int>(i) != avoid && keys[i].find(p) != std::string::npos) return static_cast<int>(i);
    }
  }
  return keys.empty() ? -1 : (avoid == 0 && keys.size() > 1 ? 1 : 0);
}

std::string axis_title(const std::string& key, const std::vector<Candidate>& cands) {
  for (const auto& c : cands) {
    if (const Metric* m = c.metric(key)) return m->label + (m->unit.empty() ? "" : " (" + m->unit + ")");
  }
  return key;
}

void candidate_details(App& app, const Candidate& c) {
  ImGui::Text("%s", c.label.c_str());
  ImGui::SameLine();
  if (ImGui::SmallButton("Add to compare")) app.add_compare_column(column_from_candidate(c));
  ImGui::Text("%s%s%s", c.on_frontier ? "on the frontier" : "not on the frontier", c.feasible ? "" : ", infeasible",
              c.binding.empty() ? "" : (", binding: " + c.binding).c_str());
  for (const auto& b : c.breakdowns) {
    ImGui::PushID(b.key.c_str());
    ImGui::Text("%s (total %s)", b.title.c_str(), format_value(b.total(), b.unit).c_str());
    stacked_bar("bar", b, b.total(), -8.0f, 20.0f);
    ImGui::PopID();
  }
  if (ImGui::BeginTable("metrics", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    for (const auto& m : c.metrics) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", m.label.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(format_value(m.value, m.unit).c_str());
    }
    ImGui::EndTable();
  }
}

}  // namespace

void PlannerView::Draw(App& app) {
  if (!app.has_result() || app.result().candidates.empty()) {
    ImGui::TextDisabled("No plan result: run `plan` on a scenario with a plan section, or open a plan result file.");
    return;
  }
  const ResultModel& r = app.result();
  const auto& cands = r.candidates;
  const std::vector<std::string> keys = r.candidate_metric_keys();
  if (keys.empty()) {
    ImGui::TextDisabled("The candidates carry no numeric metrics to plot.");
    return;
  }
  if (axes_generation != app.result_generation()) {
    // A new result: the plan's own frontier axes when it names them, else cost against latency.
    axes_generation = app.result_generation();
    auto index_of = [&](const std::string& name) {
      for (std::size_t i = 0; i < keys.size(); ++i) {
        if (!name.empty() && (keys[i] == name || keys[i] == "metrics/" + name)) return static_cast<int>(i);
      }
      return -1;
    };
    y_metric = index_of(r.frontier_y);
    x_metric = index_of(r.frontier_x);
  }
  if (y_metric < 0 || y_metric >= static_cast<int>(keys.size())) y_metric = find_key(keys, {"usd_per_hour", "cost", "usd"}, -1);
  if (x_metric < 0 || x_metric >= static_cast<int>(keys.size()))
    x_metric = find_key(keys, {"ttft", "latency", "time_to_train", "tpot", "step_time", "time"}, y_metric);
  auto combo = [&](const char* label, int& index) {
    ImGui::SetNextItemWidth(220);
    if (ImGui::BeginCombo(label, keys[static_cast<std::size_t>(index)].c_str())) {
      for (std::size_t i = 0; i < keys.size(); ++i) {
        if (ImGui::Selectable(keys[i].c_str(), static_cast<int>(i) == index)) index = static_cast<int>(i);
      }
      ImGui::EndCombo();
    }
  };
  combo("x", x_metric);
  ImGui::SameLine();
  ImGui::Checkbox("log x", &log_x);
  ImGui::SameLine();
  combo("y", y_metric);
  ImGui::SameLine();
  ImGui::Checkbox("log y", &log_y);
  ImGui::SameLine();
  ImGui::Checkbox("frontier only", &frontier_only);
  const std::string& xk = keys[static_cast<std::size_t>(x_metric)];
  const std::string& yk = keys[static_cast<std::size_t>(y_metric)];

  const auto xr = metric_range(cands, xk, log_x);
  const auto yr = metric_range(cands, yk, log_y);
  if (!xr || !yr) {
    ImGui::TextDisabled("No candidate has both metrics (with positive values for a log axis).");
    return;
  }
  const Scale xs = Scale::fit(xr->first, xr->second, log_x);
  const Scale ys = Scale::fit(log_y ? yr->first : std::min(0.0, yr->first), yr->second, log_y);
  const float plot_h = std::max(260.0f, ImGui::GetContentRegionAvail().y * 0.55f);
  const float plot_w = ImGui::GetContentRegionAvail().x * 0.62f;
  ImGui::BeginGroup();
  const PlotFrame f = plot_axes("frontier", ImVec2(plot_w, plot_h), xs, ys, axis_title(xk, cands), axis_title(yk, cands));
  std::vector<ScreenPoint> all = project_points(cands, xk, yk, xs, ys, f.area);
  std::vector<ScreenPoint> on, off, bad;
  for (const auto& p : all) {
    const Candidate& c = cands[p.index];
    if (!c.feasible) bad.push_back(p);
    else if (c.on_frontier) on.push_back(p);
    else off.push_back(p);
  }
  if (!frontier_only) {
    plot_markers(f, bad, IM_COL32(200, 80, 80, 120), 3.0f);
    plot_markers(f, off, IM_COL32(120, 150, 200, 170), 3.5f);
  }
  // The frontier line: marked points when the result marks them, else the Pareto set of
  // what is plotted (both axes minimised).
  std::vector<ScreenPoint> line = on;
  if (line.empty()) {
    std::vector<double> px, py;
    std::vector<ScreenPoint> feasible;
    for (const auto& p : all) {
      if (!cands[p.index].feasible) continue;
      feasible.push_back(p);
      px.push_back(cands[p.index].metric(xk)->value);
      py.push_back(cands[p.index].metric(yk)->value);
    }
    for (std::size_t i : pareto_minimise(px, py)) line.push_back(feasible[i]);
  }
  std::sort(line.begin(), line.end(), [](const ScreenPoint& a, const ScreenPoint& b) { return a.x < b.x; });
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (std::size_t i = 1; i < line.size(); ++i) {
    dl->AddLine(ImVec2(line[i - 1].x, line[i - 1].y), ImVec2(line[i].x, line[i].y), IM_COL32(250, 160, 50, 200), 2.0f);
  }
  plot_markers(f, line, IM_COL32(250, 160, 50, 255), 5.0f);
  std::vector<ScreenPoint> visible = frontier_only ? line : all;
  hovered = f.hovered ? hit_test(visible, f.mouse.x, f.mouse.y, 8.0f) : std::nullopt;
  auto& selected = app.selected_candidate();
  if (f.clicked) selected = hovered;
  if (auto_selected_generation != app.result_generation()) {
    // Once per result, until the user picks: the cheapest frontier configuration (by the
    // first cost metric, else by y).
    auto_selected_generation = app.result_generation();
    std::string cost_key = yk;
    for (const char* part : {"total_cost", "usd_per_hour", "cost", "usd"}) {
      const auto it = std::find_if(keys.begin(), keys.end(), [&](const std::string& k) { return k.find(part) != std::string::npos; });
      if (it != keys.end()) {
        cost_key = *it;
        break;
      }
    }
    std::optional<std::size_t> best;
    for (const auto& p : line) {
      const Metric* m = cands[p.index].metric(cost_key);
      const Metric* b = best ? cands[*best].metric(cost_key) : nullptr;
      if (m && (!b || m->value < b->value)) best = p.index;
    }
    selected = best;
  }
  for (const auto& p : all) {
    if (selected && p.index == *selected) dl->AddCircle(ImVec2(p.x, p.y), 9.0f, IM_COL32(255, 255, 255, 255), 0, 2.0f);
    if (hovered && p.index == *hovered) dl->AddCircle(ImVec2(p.x, p.y), 7.0f, IM_COL32(255, 255, 255, 160), 0, 1.5f);
  }
  if (hovered) {
    const Candidate& c = cands[*hovered];
    ImGui::BeginTooltip();
    ImGui::Text("%s", c.label.c_str());
    const Metric* mx = c.metric(xk);
    const Metric* my = c.metric(yk);
    ImGui::Text("%s: %s", mx->label.c_str(), format_value(mx->value, mx->unit).c_str());
    ImGui::Text("%s: %s", my->label.c_str(), format_value(my->value, my->unit).c_str());
    if (!c.binding.empty()) ImGui::Text("binding: %s", c.binding.c_str());
    ImGui::TextDisabled("click to select");
    ImGui::EndTooltip();
  }
  ImGui::TextDisabled("%zu candidates, %zu on the frontier; orange: frontier, blue: other, red: infeasible",
                      cands.size(), on.size());
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginChild("details", ImVec2(0, plot_h + ImGui::GetTextLineHeightWithSpacing()), true);
  if (selected && *selected < cands.size()) candidate_details(app, cands[*selected]);
  else ImGui::TextDisabled("Click a point (or a table row) to see its breakdown.");
  ImGui::EndChild();

  // Candidate table: label plus the axis metrics and a few more, sortable.
  std::vector<std::string> cols{xk, yk};
  for (int pass = 0; pass < 2; ++pass) {  // the planner's metrics first, then the rest
    for (const auto& k : keys) {
      if (cols.size() >= 8) break;
      if ((k.rfind("metrics/", 0) == 0) != (pass == 0)) continue;
      if (std::find(cols.begin(), cols.end(), k) == cols.end()) cols.push_back(k);
    }
  }
  const ImGuiTableFlags tf = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders |
                             ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("candidates", static_cast<int>(cols.size()) + 2, tf, ImVec2(0, 0))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("configuration", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("frontier", ImGuiTableColumnFlags_NoSort, 0.6f);
    for (const auto& k : cols) ImGui::TableSetupColumn(label_for_key(k).c_str(), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableHeadersRow();
    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs()) {
      if (specs->SpecsCount > 0) {
        sort_column = specs->Specs[0].ColumnIndex;
        sort_ascending = specs->Specs[0].SortDirection != ImGuiSortDirection_Descending;
      }
      specs->SpecsDirty = false;
    }
    const std::string sort_key = sort_column <= 0 ? "label" : sort_column == 1 ? "label" : cols[static_cast<std::size_t>(sort_column - 2)];
    for (std::size_t i : sort_candidates(cands, sort_key, sort_ascending)) {
      const Candidate& c = cands[i];
      if (frontier_only && !c.on_frontier) continue;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushID(static_cast<int>(i));
      if (ImGui::Selectable(c.label.c_str(), selected && *selected == i, ImGuiSelectableFlags_SpanAllColumns)) selected = i;
      ImGui::PopID();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(c.on_frontier ? "yes" : "");
      for (const auto& k : cols) {
        ImGui::TableNextColumn();
        if (const Metric* m = c.metric(k)) ImGui::TextUnformatted(format_value(m->value, m->unit).c_str());
      }
    }
    ImGui::EndTable();
  }
}

}  // namespace cs::gui
