// Run view: start a check, simulation or plan of the open scenario on the worker thread;
// progress bar, elapsed time, cancel, the command's output as it arrives.
#include <cmath>

#include <imgui.h>

#include "gui/app.hpp"

namespace cs::gui {

void RunView::Draw(App& app) {
  RunWorker& w = app.worker();
  const char* kinds[] = {"check", "simulate", "plan"};
  ImGui::SetNextItemWidth(140);
  ImGui::Combo("command", &kind, kinds, 3);
  ImGui::SameLine();
  const bool can_start = !w.running() && !app.scenario_path().empty();
  if (!can_start) ImGui::BeginDisabled();
  if (ImGui::Button("Start")) app.run_scenario(app.scenario_path(), static_cast<RunKind>(kind));
  if (!can_start) ImGui::EndDisabled();
  ImGui::SameLine();
  if (!w.running()) ImGui::BeginDisabled();
  if (ImGui::Button("Cancel")) {
    w.cancel();
    app.set_banner("Run cancelled; its result will be discarded", false);
  }
  if (!w.running()) ImGui::EndDisabled();
  if (app.scenario_path().empty()) ImGui::TextDisabled("Open a scenario in the Scenarios view first.");

  if (w.running()) {
    // No run reports a fraction done, so the bar sweeps while it runs (indeterminate).
    const double t = w.elapsed_s();
    const float phase = static_cast<float>(std::fmod(t, 2.0) / 2.0);
    ImGui::Text("%s %s", run_kind_name(w.request().kind), w.request().scenario.string().c_str());
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::ProgressBar(0.0f, ImVec2(-1, 0), "");
    const float h = ImGui::GetItemRectSize().y;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float x0 = p.x + phase * width * 0.8f;
    dl->AddRectFilled(ImVec2(x0, p.y), ImVec2(x0 + width * 0.2f, p.y + h), ImGui::GetColorU32(ImGuiCol_PlotHistogram), 3);
    ImGui::Text("elapsed %.1f s%s", t, app.queued_runs() ? "" : "");
    if (app.queued_runs()) ImGui::Text("%zu more queued", app.queued_runs());
    const std::string line = w.progress_text();
    if (!line.empty()) ImGui::TextWrapped("%s", line.c_str());
    ImGui::Separator();
    ImGui::BeginChild("log");
    for (const auto& l : w.log_tail(200)) ImGui::TextUnformatted(l.c_str());
    ImGui::SetScrollHereY(1.0f);
    ImGui::EndChild();
    return;
  }
  const auto& last = app.last_run();
  if (!last) {
    ImGui::TextDisabled("No run yet.");
    return;
  }
  const RunOutcome* o = last->outcome ? &*last->outcome : nullptr;
  ImGui::Separator();
  ImGui::Text("last: %s %s", run_kind_name(last->request.kind), last->request.scenario.string().c_str());
  if (o) {
    ImGui::ProgressBar(1.0f, ImVec2(-1, 0), o->exit_code == 0 ? "done" : "failed");
    ImGui::Text("exit code %d, %.2f s", o->exit_code, o->elapsed_s);
    if (!o->result_json.empty()) ImGui::Text("result: %s", o->result_json.string().c_str());
    if (!o->trace_json.empty()) ImGui::Text("trace: %s", o->trace_json.string().c_str());
  }
  if (!last->error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.4f, 0.4f, 1));
    ImGui::TextWrapped("%s", last->error.c_str());
    ImGui::PopStyleColor();
  }
  if (o) {
    ImGui::Separator();
    ImGui::BeginChild("out");
    ImGui::TextUnformatted(o->out.c_str());
    ImGui::EndChild();
  }
}

}  // namespace cs::gui
