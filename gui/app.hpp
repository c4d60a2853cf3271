#pragma once
// The app's state and its views. One App per window; the main loop (main.cpp) calls
// App::draw() once per frame on the UI thread. Runs happen on the RunWorker's thread and
// come back through poll(); the views only read App state and call App actions.
//
// [SECTION] index: App state · actions (open, run, export) · views (views.hpp, view_*.cpp)
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gui/compare.hpp"
#include "gui/plot.hpp"
#include "gui/result_model.hpp"
#include "gui/run_worker.hpp"
#include "gui/scenario_form.hpp"
#include "loaders/data_paths.hpp"

namespace cs::gui {

enum class ViewId { scenarios, run, results, planner, compare, timeline };
constexpr ViewId kAllViews[] = {ViewId::scenarios, ViewId::run, ViewId::results,
                                ViewId::planner, ViewId::compare, ViewId::timeline};
const char* view_name(ViewId v);                       // "scenarios", ...
std::optional<ViewId> parse_view(const std::string& s);  // from --view

struct Banner {
  std::string text;
  bool error = false;
};

// A queued or finished run and what it produced.
struct RunRecord {
  RunRequest request;
  std::optional<RunOutcome> outcome;
  std::string error;  // why no result: the command's message or a result-reading error
};

class App;

struct ScenariosView {
  int selected = -1;
  char filter[128] = "";
  char save_name[256] = "";
  std::vector<char> compare_pick;  // per scenario entry
  void Draw(App& app);
};
struct RunView {
  int kind = 1;  // RunKind index
  void Draw(App& app);
};
struct ResultsView {
  void Draw(App& app);
};
struct PlannerView {
  int x_metric = -1, y_metric = -1;
  bool log_x = false, log_y = false;
  bool frontier_only = false;
  int sort_column = -1;
  bool sort_ascending = true;
  std::optional<std::size_t> hovered;
  int auto_selected_generation = -1;
  int axes_generation = -1;  // the result whose default axes were chosen  // the result whose cheapest point was preselected
  void Draw(App& app);
};
struct CompareView {
  void Draw(App& app);
};
struct TimelineView {
  GanttView gantt_view;
  void Draw(App& app);
};

class App {
 public:
  explicit App(load::DataPaths data);

  // Per frame: collect a finished run, then draw the menu bar and the tabbed views.
  void draw(float width, float height);

  // Actions.
  void refresh_scenarios();
  void open_scenario(const std::filesystem::path& path);
  void run_scenario(const std::filesystem::path& path, std::optional<RunKind> kind = std::nullopt);
  void queue_compare(const std::vector<std::filesystem::path>& paths);
  void open_result(const std::filesystem::path& result, const std::filesystem::path& trace = {});
  void add_compare_column(CompareColumn column);
  void export_result_json(const std::filesystem::path& path);
  void export_result_csv(const std::filesystem::path& path);
  void request_screenshot(const std::filesystem::path& path) { screenshot_path_ = path; }
  void select_view(ViewId v) { requested_view_ = v; }
  void set_banner(std::string text, bool error) { banner_ = Banner{std::move(text), error}; }

  // State the views read.
  const load::DataPaths& data() const { return data_; }
  std::vector<ScenarioEntry>& scenarios() { return scenarios_; }
  ScenarioForm& form() { return form_; }
  const std::filesystem::path& scenario_path() const { return scenario_path_; }
  RunWorker& worker() { return worker_; }
  const std::optional<RunRecord>& last_run() const { return last_run_; }
  bool has_result() const { return result_.has_value(); }
  const ResultModel& result() const { return *result_; }
  int result_generation() const { return result_generation_; }  // +1 per result opened
  std::vector<CompareColumn>& compare_columns() { return compare_; }
  std::optional<std::size_t>& selected_candidate() { return selected_candidate_; }
  const std::optional<Banner>& banner() const { return banner_; }
  std::size_t queued_runs() const { return queue_.size(); }
  ViewId current_view() const { return current_view_; }
  std::filesystem::path output_dir() const;

  // Headless/screenshot support: true once nothing is running or queued.
  bool idle() const { return !worker_.running() && queue_.empty(); }
  std::optional<std::filesystem::path> take_screenshot_request();

 private:
  void poll_worker();
  void start_next();
  void draw_menu();
  std::filesystem::path run_dir();

  load::DataPaths data_;
  std::vector<ScenarioEntry> scenarios_;
  std::filesystem::path scenario_path_;
  ScenarioForm form_;
  RunWorker worker_;
  std::vector<RunRequest> queue_;
  bool queue_is_compare_ = false;
  std::optional<RunRecord> last_run_;
  std::optional<ResultModel> result_;
  std::vector<CompareColumn> compare_;
  std::optional<std::size_t> selected_candidate_;
  std::optional<Banner> banner_;
  std::optional<ViewId> requested_view_;
  ViewId current_view_ = ViewId::scenarios;
  std::optional<std::filesystem::path> screenshot_path_;
  int run_counter_ = 0;
  int result_generation_ = 0;
  char export_path_[512] = "";
  char open_path_[512] = "";

  ScenariosView scenarios_view_;
  RunView run_view_;
  ResultsView results_view_;
  PlannerView planner_view_;
  CompareView compare_view_;
  TimelineView timeline_view_;
};

}  // namespace cs::gui
