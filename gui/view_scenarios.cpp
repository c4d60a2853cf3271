// Scenarios view: browse scenarios/, open one, edit its settings in a form with units,
// validate with the library's loader (errors next to the field), save as a new file,
// run it, or pick several to compare.
#include <cstring>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "gui/app.hpp"
#include "sim/core/error.hpp"

namespace cs::gui {

namespace {

const char* kind_tag(const FormField& f) {
  switch (f.kind) {
    case FieldKind::quantity: return f.dimension ? load::dimension_name(*f.dimension).data() : "";
    case FieldKind::integer: return f.unit_hint.empty() ? "integer" : f.unit_hint.c_str();
    case FieldKind::number: return f.unit_hint.empty() ? "number" : f.unit_hint.c_str();
    case FieldKind::list: return "list";
    case FieldKind::boolean: return "";
    case FieldKind::text: return "text";
  }
  return "";
}

void draw_form(App& app, ScenariosView& view) {
  ScenarioForm& form = app.form();
  if (!form.loaded()) {
    if (form.issue()) {
      ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "Cannot open this scenario:");
      ImGui::PushTextWrapPos(0);
      ImGui::TextUnformatted(form.issue()->message.c_str());
      ImGui::PopTextWrapPos();
    } else {
      ImGui::TextDisabled("Open a scenario from the list to edit it.");
    }
    return;
  }
  ImGui::Text("%s", form.file().c_str());
  if (ImGui::Button("Validate")) form.validate(app.data());
  ImGui::SameLine();
  if (ImGui::Button("Run")) app.run_scenario(app.scenario_path());
  ImGui::SameLine();
  ImGui::SetNextItemWidth(220);
  ImGui::InputTextWithHint("##savename", "new-scenario.json", view.save_name, sizeof view.save_name);
  ImGui::SameLine();
  const bool can_save = !form.has_local_errors() && view.save_name[0] != '\0';
  if (!can_save) ImGui::BeginDisabled();
  if (ImGui::Button("Save as new")) {
    std::filesystem::path p = app.data().scenarios() / view.save_name;
    if (p.extension() != ".json") p += ".json";
    try {
      form.save_as(p, p.stem().string());
      app.set_banner("Saved " + p.string(), false);
      app.refresh_scenarios();
    } catch (const std::exception& e) {
      app.set_banner(std::string("Save failed: ") + e.what(), true);
    }
  }
  if (!can_save) ImGui::EndDisabled();
  if (form.issue()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.4f, 0.4f, 1));
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(form.issue()->message.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  } else {
    ImGui::TextColored(ImVec4(0.5f, 0.85f, 0.5f, 1), "valid (checked by the scenario loader)");
  }
  ImGui::Separator();
  ImGui::BeginChild("fields");
  auto& fields = form.fields();
  for (const std::string& section : form.sections()) {
    const char* title = section.empty() ? "general" : section.c_str();
    if (!ImGui::CollapsingHeader(title, ImGuiTreeNodeFlags_DefaultOpen)) continue;
    if (ImGui::BeginTable(title, 3, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) {
      ImGui::TableSetupColumn("setting", ImGuiTableColumnFlags_WidthStretch, 0.35f);
      ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch, 0.35f);
      ImGui::TableSetupColumn("unit / check", ImGuiTableColumnFlags_WidthStretch, 0.30f);
      for (std::size_t i = 0; i < fields.size(); ++i) {
        FormField& f = fields[i];
        if (f.section != section) continue;
        ImGui::PushID(static_cast<int>(i));
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(f.label.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", f.pointer.c_str());
        ImGui::TableNextColumn();
        ImGui::SetNextItemWidth(-1);
        if (f.kind == FieldKind::boolean) {
          bool v = f.flag;
          if (ImGui::Checkbox("##v", &v)) form.set_flag(i, v);
        } else {
          std::string text = f.text;
          if (!f.error.empty()) ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4(0.45f, 0.1f, 0.12f, 1));
          if (ImGui::InputText("##v", &text)) form.set_text(i, text);
          if (!f.error.empty()) ImGui::PopStyleColor();
        }
        ImGui::TableNextColumn();
        if (!f.error.empty()) {
          ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.4f, 0.4f, 1));
          ImGui::PushTextWrapPos(0);
          ImGui::TextUnformatted(f.error.c_str());
          ImGui::PopTextWrapPos();
          ImGui::PopStyleColor();
        } else {
          ImGui::TextDisabled("%s", kind_tag(f));
        }
        ImGui::PopID();
      }
      ImGui::EndTable();
    }
  }
  ImGui::EndChild();
}

}  // namespace

void ScenariosView::Draw(App& app) {
  auto& list = app.scenarios();
  if (compare_pick.size() != list.size()) compare_pick.assign(list.size(), 0);
  ImGui::BeginChild("list", ImVec2(ImGui::GetContentRegionAvail().x * 0.32f, 0), true);
  ImGui::Text("scenarios/ (%zu)", list.size());
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint("##filter", "filter", filter, sizeof filter);
  int picked = 0;
  for (char c : compare_pick) picked += c ? 1 : 0;
  if (picked < 2) ImGui::BeginDisabled();
  if (ImGui::Button("Compare checked (2-4)")) {
    std::vector<std::filesystem::path> paths;
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (compare_pick[i] && paths.size() < 4) paths.push_back(list[i].path);
    }
    app.queue_compare(paths);
  }
  if (picked < 2) ImGui::EndDisabled();
  ImGui::Separator();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& e = list[i];
    const std::string rel = std::filesystem::relative(e.path, app.data().scenarios()).string();
    if (filter[0] && rel.find(filter) == std::string::npos && e.name.find(filter) == std::string::npos) continue;
    ImGui::PushID(static_cast<int>(i));
    bool pick = compare_pick[i] != 0;
    if (ImGui::Checkbox("##pick", &pick)) compare_pick[i] = pick ? 1 : 0;
    ImGui::SameLine();
    const bool is_open = !app.scenario_path().empty() && app.scenario_path() == e.path;
    if (ImGui::Selectable(rel.c_str(), is_open || selected == static_cast<int>(i))) {
      selected = static_cast<int>(i);
      app.open_scenario(e.path);
    }
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::Text("%s", e.name.c_str());
      if (!e.description.empty()) ImGui::TextWrapped("%s", e.description.c_str());
      std::string secs;
      for (const auto& s : e.sections) secs += (secs.empty() ? "" : ", ") + s;
      ImGui::Text("sections: %s", secs.c_str());
      if (!e.readable) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "not valid JSON");
      ImGui::EndTooltip();
    }
    ImGui::PopID();
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("editor", ImVec2(0, 0), true);
  draw_form(app, *this);
  ImGui::EndChild();
}

}  // namespace cs::gui
