#pragma once
// Runs a simulation, a plan or a check on a worker thread, so the UI thread never blocks
// (STYLE habit 11). The work is the CLI's own command run in-process (cs::cli::run with
// the arguments the user would type), writing its result files into a fresh folder; the
// views then read those files. Output lines the command prints go to a log the UI shows
// while it runs.
//
// Cancel abandons the run: the UI gets control back at once and the result is discarded.
// The library has no cancellation point inside a run, so the abandoned thread finishes in
// the background (its state is shared, never dangling); abandoned_running() says whether
// any is still going, so the app can exit without waiting for it.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gui/result_model.hpp"

namespace cs::gui {

enum class RunKind { check, simulate, plan };
const char* run_kind_name(RunKind k);

struct RunRequest {
  RunKind kind = RunKind::simulate;
  std::filesystem::path scenario;
  std::filesystem::path out_dir;  // created if missing; result.json, trace.json go here
  std::optional<std::filesystem::path> data_dir;
  std::vector<std::string> extra_args;  // appended after the scenario
};

struct RunOutcome {
  int exit_code = -1;
  std::string out;  // the command's stdout
  std::string err;  // its stderr (errors, warnings)
  std::filesystem::path result_json;  // set when the file exists after the run
  std::filesystem::path trace_json;
  double elapsed_s = 0.0;
  // Filled by run_and_read: the result (and trace) already read, off the UI thread.
  std::shared_ptr<ResultModel> model;
  std::string read_error;
};

// The argv (without the program name) for a request: what the CLI would be given.
std::vector<std::string> run_arguments(const RunRequest& r);

// Receives output lines while a run is going (called from the worker thread).
using LineSink = std::function<void(const std::string&)>;
using RunFunction = std::function<RunOutcome(const RunRequest&, const LineSink&)>;
// The default: cs::cli::run in-process with run_arguments(r).
RunOutcome run_with_cli(const RunRequest& r, const LineSink& sink);
// run_with_cli, then reads result.json and trace.json into `model` (large traces take
// seconds to read: that too stays on the worker thread).
RunOutcome run_and_read(const RunRequest& r, const LineSink& sink);

class RunWorker {
 public:
  explicit RunWorker(RunFunction fn = run_with_cli);
  ~RunWorker();
  RunWorker(const RunWorker&) = delete;
  RunWorker& operator=(const RunWorker&) = delete;

  // Starts a run; false (and nothing started) when one is already running.
  bool start(RunRequest request);
  bool running() const;
  // Abandons the current run (no-op when idle).
  void cancel();
  // The finished run's outcome, once; nullopt while running, idle or after cancel.
  std::optional<RunOutcome> take_result();

  double elapsed_s() const;  // of the current run (0 when idle)
  std::vector<std::string> log_tail(std::size_t max_lines) const;
  std::string progress_text() const;  // the latest line, for the progress bar
  const RunRequest& request() const { return request_; }
  bool abandoned_running() const;

 private:
  struct Shared {
    std::mutex mutex;
    std::vector<std::string> log;
    std::optional<RunOutcome> outcome;
    std::atomic<bool> done{false};
  };
  RunFunction fn_;
  RunRequest request_;
  std::shared_ptr<Shared> current_;
  std::thread thread_;
  std::chrono::steady_clock::time_point started_;
  std::vector<std::shared_ptr<Shared>> abandoned_;
};

}  // namespace cs::gui
