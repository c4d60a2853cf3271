#include "gui/app.hpp"

#include <fstream>
#include <sstream>

#include <unistd.h>

#include <imgui.h>

#include "sim/core/atomic_file.hpp"
#include "sim/core/error.hpp"

namespace cs::gui {

const char* view_name(ViewId v) {
  switch (v) {
    case ViewId::scenarios: return "scenarios";
    case ViewId::run: return "run";
    case ViewId::results: return "results";
    case ViewId::planner: return "planner";
    case ViewId::compare: return "compare";
    case ViewId::timeline: return "timeline";
  }
  return "?";
}

std::optional<ViewId> parse_view(const std::string& s) {
  for (ViewId v : kAllViews) {
    if (s == view_name(v)) return v;
  }
  return std::nullopt;
}

App::App(load::DataPaths data) : data_(std::move(data)), worker_(run_and_read) { refresh_scenarios(); }

std::filesystem::path App::output_dir() const {
  return std::filesystem::temp_directory_path() / ("clustersim-gui-" + std::to_string(::getpid()));
}

std::filesystem::path App::run_dir() { return output_dir() / ("run-" + std::to_string(++run_counter_)); }

void App::refresh_scenarios() {
  scenarios_ = list_scenarios(data_.scenarios());
  scenarios_view_.compare_pick.assign(scenarios_.size(), 0);
}

void App::open_scenario(const std::filesystem::path& path) {
  scenario_path_ = path;
  form_ = ScenarioForm::open(path);
  if (form_.loaded()) form_.validate(data_);
  if (form_.issue()) {
    set_banner("Scenario has an error: " + form_.issue()->message, true);
  } else {
    set_banner("Opened " + path.string(), false);
  }
}

void App::run_scenario(const std::filesystem::path& path, std::optional<RunKind> kind) {
  RunRequest r;
  r.scenario = path;
  r.data_dir = data_.root;
  if (kind) {
    r.kind = *kind;
  } else {
    r.kind = RunKind::simulate;
    for (const auto& e : scenarios_) {
      if (std::filesystem::equivalent(e.path, path) &&
          std::find(e.sections.begin(), e.sections.end(), "plan") != e.sections.end()) {
        r.kind = RunKind::plan;
      }
    }
    if (!std::filesystem::exists(path)) r.kind = RunKind::simulate;
    else {
      // A scenario outside scenarios/: look at its sections directly.
      try {
        std::ifstream in(path);
        const auto j = nlohmann::json::parse(in);
        if (j.is_object() && j.contains("plan")) r.kind = RunKind::plan;
      } catch (const std::exception&) {
      }
    }
  }
  queue_is_compare_ = false;
  queue_.push_back(std::move(r));
  start_next();
}

void App::queue_compare(const std::vector<std::filesystem::path>& paths) {
  compare_.clear();
  for (const auto& p : paths) {
    run_scenario(p);
  }
  queue_is_compare_ = true;
}

void App::start_next() {
  if (worker_.running() || queue_.empty()) return;
  RunRequest r = queue_.front();
  queue_.erase(queue_.begin());
  r.out_dir = run_dir();
  worker_.start(r);
  select_view(ViewId::run);
}

void App::open_result(const std::filesystem::path& result, const std::filesystem::path& trace) {
  try {
    ResultModel r = load_result_file(result);
    if (!trace.empty() && std::filesystem::exists(trace)) r.timeline = load_trace_file(trace);
    if (r.name.empty()) r.name = result.stem().string();
    result_ = std::move(r);
    ++result_generation_;
    selected_candidate_.reset();
    set_banner("Loaded result " + result.string(), false);
  } catch (const std::exception& e) {
    set_banner(std::string("Could not read the result: ") + e.what(), true);
  }
}

void App::add_compare_column(CompareColumn column) {
  if (compare_.size() >= 4) compare_.erase(compare_.begin() + 1);  // keep the baseline
  compare_.push_back(std::move(column));
}

void App::poll_worker() {
  auto outcome = worker_.take_result();
  if (!outcome) return;
  RunRecord rec;
  rec.request = worker_.request();
  rec.outcome = outcome;
  if (outcome->exit_code != 0) {
    rec.error = outcome->err.empty() ? "exit code " + std::to_string(outcome->exit_code) : outcome->err;
    set_banner(std::string(run_kind_name(rec.request.kind)) + " failed: " + rec.error, true);
  } else if (rec.request.kind == RunKind::check) {
    set_banner("check: " + rec.request.scenario.string() + " is valid", false);
  } else if (outcome->result_json.empty()) {
    rec.error = "the command wrote no result file";
    set_banner(rec.error, true);
  } else if (!outcome->model) {
    rec.error = "could not read the result: " + outcome->read_error;
    set_banner(rec.error, true);
  } else {
    result_ = std::move(*outcome->model);
    outcome->model.reset();
    rec.outcome->model.reset();
    ++result_generation_;
    selected_candidate_.reset();
    set_banner("Loaded result " + outcome->result_json.string(), false);
    if (queue_is_compare_ && result_) {
      add_compare_column(column_from_result(rec.request.scenario.stem().string(), *result_));
    }
    if (!queue_is_compare_) select_view(result_ && !result_->candidates.empty() ? ViewId::planner : ViewId::results);
    else if (queue_.empty()) select_view(ViewId::compare);
  }
  last_run_ = std::move(rec);
  start_next();
}

void App::export_result_json(const std::filesystem::path& path) {
  if (!result_) return set_banner("Nothing to export: no result loaded", true);
  try {
    sim::write_file_atomically(path, result_->raw.dump(2) + "\n");
    set_banner("Wrote " + path.string(), false);
  } catch (const std::exception& e) {
    set_banner(std::string("Export failed: ") + e.what(), true);
  }
}

void App::export_result_csv(const std::filesystem::path& path) {
  if (!result_) return set_banner("Nothing to export: no result loaded", true);
  try {
    sim::write_file_atomically(path, result_to_csv(*result_));
    set_banner("Wrote " + path.string(), false);
  } catch (const std::exception& e) {
    set_banner(std::string("Export failed: ") + e.what(), true);
  }
}

std::optional<std::filesystem::path> App::take_screenshot_request() {
  auto p = screenshot_path_;
  screenshot_path_.reset();
  return p;
}

void App::draw_menu() {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Rescan scenarios/")) refresh_scenarios();
    ImGui::Separator();
    ImGui::TextUnformatted("Open a result JSON (and trace.json beside it):");
    ImGui::SetNextItemWidth(360);
    ImGui::InputText("##open", open_path_, sizeof open_path_);
    ImGui::SameLine();
    if (ImGui::Button("Open")) {
      std::filesystem::path p = open_path_;
      open_result(p, p.parent_path() / "trace.json");
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Export")) {
    if (export_path_[0] == '\0') {
      const std::string base = (std::filesystem::current_path() / "clustersim-export").string();
      std::snprintf(export_path_, sizeof export_path_, "%s", base.c_str());
    }
    ImGui::TextUnformatted("Path without extension:");
    ImGui::SetNextItemWidth(360);
    ImGui::InputText("##export", export_path_, sizeof export_path_);
    const std::string base = export_path_;
    if (ImGui::MenuItem("Result as JSON", nullptr, false, has_result())) export_result_json(base + ".json");
    if (ImGui::MenuItem("Result as CSV", nullptr, false, has_result())) export_result_csv(base + ".csv");
    if (ImGui::MenuItem("Current view as PNG")) request_screenshot(base + ".png");
    ImGui::EndMenu();
  }
  ImGui::EndMenuBar();
}

void App::draw(float width, float height) {
  poll_worker();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(width, height));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_MenuBar |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("clustersim", nullptr, flags);
  draw_menu();

  // Status line: what is open, what is running, the last message.
  ImGui::TextDisabled("scenario:");
  ImGui::SameLine();
  ImGui::TextUnformatted(scenario_path_.empty() ? "(none)" : scenario_path_.string().c_str());
  if (worker_.running()) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(0.95f, 0.8f, 0.3f, 1), "  running %s (%.1f s)", run_kind_name(worker_.request().kind),
                       worker_.elapsed_s());
  }
  if (banner_) {
    const ImVec4 colour = banner_->error ? ImVec4(1.0f, 0.35f, 0.35f, 1) : ImVec4(0.55f, 0.85f, 0.55f, 1);
    if (banner_->error) {
      ImDrawList* dl = ImGui::GetWindowDrawList();
      const ImVec2 p = ImGui::GetCursorScreenPos();
      const float h = ImGui::CalcTextSize(banner_->text.c_str(), nullptr, false, width - 40).y + 6;
      dl->AddRectFilled(p, ImVec2(p.x + width - 16, p.y + h), IM_COL32(110, 20, 24, 255), 3.0f);
    }
    ImGui::PushStyleColor(ImGuiCol_Text, colour);
    ImGui::PushTextWrapPos(width - 24);
    ImGui::TextUnformatted(banner_->text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }

  if (ImGui::BeginTabBar("views")) {
    for (ViewId v : kAllViews) {
      static const char* titles[] = {"Scenarios", "Run", "Results", "Planner", "Compare", "Timeline"};
      const ImGuiTabItemFlags tf = requested_view_ == v ? ImGuiTabItemFlags_SetSelected : 0;
      if (ImGui::BeginTabItem(titles[static_cast<int>(v)], nullptr, tf)) {
        current_view_ = v;
        ImGui::BeginChild("view", ImVec2(0, 0), false);
        switch (v) {
          case ViewId::scenarios: scenarios_view_.Draw(*this); break;
          case ViewId::run: run_view_.Draw(*this); break;
          case ViewId::results: results_view_.Draw(*this); break;
          case ViewId::planner: planner_view_.Draw(*this); break;
          case ViewId::compare: compare_view_.Draw(*this); break;
          case ViewId::timeline: timeline_view_.Draw(*this); break;
        }
        ImGui::EndChild();
        ImGui::EndTabItem();
      }
    }
    requested_view_.reset();
    ImGui::EndTabBar();
  }
  ImGui::End();
}

}  // namespace cs::gui
