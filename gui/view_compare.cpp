// Compare view: two to four results or planner candidates side by side: a table with each
// metric's delta against the first (baseline) column, green when better, red when worse;
// cost breakdown bars on one shared scale; binding constraints.
#include <cmath>

#include <imgui.h>

#include "gui/app.hpp"

namespace cs::gui {

namespace {

// When nothing was added explicitly: the current plan's frontier (up to four), or the
// current result alone as a baseline.
std::vector<CompareColumn> implicit_columns(App& app) {
  std::vector<CompareColumn> cols;
  if (!app.has_result()) return cols;
  const ResultModel& r = app.result();
  for (const auto& c : r.candidates) {
    if (c.on_frontier && cols.size() < 4) cols.push_back(column_from_candidate(c));
  }
  for (const auto& c : r.candidates) {
    if (!c.on_frontier && cols.size() < 2) cols.push_back(column_from_candidate(c));
  }
  if (cols.empty()) cols.push_back(column_from_result(r.name, r));
  return cols;
}

}  // namespace

void CompareView::Draw(App& app) {
  std::vector<CompareColumn>& explicit_cols = app.compare_columns();
  const bool implicit = explicit_cols.empty();
  const std::vector<CompareColumn> cols = implicit ? implicit_columns(app) : explicit_cols;
  if (cols.empty()) {
    ImGui::TextDisabled("Nothing to compare: check 2-4 scenarios in the Scenarios view and press Compare, or add "
                        "results and planner candidates with their \"Add to compare\" buttons.");
    return;
  }
  if (implicit) {
    ImGui::TextDisabled("Showing %s. Add results or candidates to choose what to compare.",
                        app.result().candidates.empty() ? "the current result" : "the current plan's frontier");
  } else if (ImGui::SmallButton("Clear")) {
    explicit_cols.clear();
    return;
  }
  if (cols.size() < 2) ImGui::TextDisabled("Add at least one more column to see deltas.");

  const auto rows = compare_metrics(cols);
  static bool only_differences = false;
  ImGui::SameLine();
  ImGui::Checkbox("only rows that differ", &only_differences);
  const int ncol = static_cast<int>(cols.size()) + 1;
  const SharedBars bars = shared_cost_bars(cols);
  bool any_binding = false;
  for (const auto& c : cols) any_binding = any_binding || !c.binding.empty();
  // The table takes what the bars and constraints below leave.
  const float row_h = ImGui::GetTextLineHeightWithSpacing() + 2.0f;
  const float share = bars.max_total > 0 || any_binding ? 0.55f : 1.0f;
  const float table_h = std::min(std::max(120.0f, ImGui::GetContentRegionAvail().y * share),
                                 row_h * static_cast<float>(rows.size() + 2));
  if (ImGui::BeginTable("compare", ncol, ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY |
                                             ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp,
                        ImVec2(0, table_h))) {
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("metric", ImGuiTableColumnFlags_WidthStretch, 1.4f);
    for (std::size_t c = 0; c < cols.size(); ++c) {
      const std::string title = (c == 0 ? "[baseline] " : "") + cols[c].title;
      ImGui::TableSetupColumn(title.c_str(), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    }
    ImGui::TableHeadersRow();
    for (const auto& row : rows) {
      if (only_differences && !row.differs()) continue;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.label.c_str());
      for (std::size_t c = 0; c < row.cells.size(); ++c) {
        ImGui::TableNextColumn();
        const CompareCell& cell = row.cells[c];
        if (!cell.value) {
          ImGui::TextDisabled("-");
          continue;
        }
        ImGui::TextUnformatted(format_value(*cell.value, row.unit).c_str());
        if (c == 0 || !cell.delta) continue;
        ImVec4 colour(0.7f, 0.7f, 0.7f, 1);
        if (cell.verdict == Verdict::better) colour = ImVec4(0.4f, 0.9f, 0.45f, 1);
        if (cell.verdict == Verdict::worse) colour = ImVec4(1.0f, 0.4f, 0.4f, 1);
        if (cell.verdict == Verdict::better || cell.verdict == Verdict::worse) {
          const ImU32 bg = cell.verdict == Verdict::better ? IM_COL32(40, 110, 50, 90) : IM_COL32(130, 40, 40, 90);
          ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, bg);
        }
        ImGui::SameLine();
        if (cell.delta_pct) ImGui::TextColored(colour, "(%+.1f%%)", *cell.delta_pct);
        else ImGui::TextColored(colour, "(%+g)", *cell.delta);
      }
    }
    ImGui::EndTable();
  }

  if (bars.max_total > 0) {
    section_title("Cost breakdown (shared scale)");
    for (std::size_t c = 0; c < cols.size(); ++c) {
      ImGui::PushID(static_cast<int>(c));
      ImGui::TextUnformatted(cols[c].title.c_str());
      if (bars.bars[c]) {
        ImGui::SameLine();
        ImGui::TextDisabled("total %s", format_value(bars.bars[c]->total(), bars.bars[c]->unit).c_str());
        stacked_bar("cost", *bars.bars[c], bars.max_total, -8.0f, 22.0f);
      } else {
        ImGui::TextDisabled("  no cost breakdown");
      }
      ImGui::PopID();
    }
  }
  if (any_binding) {
    section_title("Binding constraints");
    for (const auto& c : cols) {
      std::string s;
      for (const auto& b : c.binding) s += (s.empty() ? "" : ", ") + b;
      ImGui::Text("%s: %s", c.title.c_str(), s.empty() ? "none" : s.c_str());
    }
  }
}

}  // namespace cs::gui
