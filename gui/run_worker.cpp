#include "gui/run_worker.hpp"

#include <sstream>
#include <streambuf>

#include "cli/commands.hpp"

namespace cs::gui {

const char* run_kind_name(RunKind k) {
  switch (k) {
    case RunKind::check: return "check";
    case RunKind::simulate: return "simulate";
    case RunKind::plan: return "plan";
  }
  return "?";
}

std::vector<std::string> run_arguments(const RunRequest& r) {
  std::vector<std::string> args;
  if (r.data_dir) {
    args.push_back("--data-dir");
    args.push_back(r.data_dir->string());
  }
  args.push_back(run_kind_name(r.kind));
  args.push_back(r.scenario.string());
  switch (r.kind) {
    case RunKind::check:
      args.push_back("--json");
      break;
    case RunKind::simulate:
      args.push_back("--out");
      args.push_back((r.out_dir / "result.json").string());
      args.push_back("--trace");
      args.push_back((r.out_dir / "trace.json").string());
      break;
    case RunKind::plan:
      args.push_back("--out");
      args.push_back((r.out_dir / "result.json").string());
      break;
  }
  args.insert(args.end(), r.extra_args.begin(), r.extra_args.end());
  return args;
}

namespace {

// A stream buffer that keeps everything and hands each complete line to a sink.
class LineBuf : public std::streambuf {
 public:
  explicit LineBuf(const LineSink& sink) : sink_(sink) {}
  std::string all() const { return all_; }

 protected:
  int overflow(int ch) override {
    if (ch == traits_type::eof()) return 0;
    const char c = static_cast<char>(ch);
    all_ += c;
    if (c == '\n' || c == '\r') {
      if (!line_.empty() && sink_) sink_(line_);
      line_.clear();
    } else {
      line_ += c;
    }
    return ch;
  }

 private:
  const LineSink& sink_;
  std::string all_;
  std::string line_;
};

}  // namespace

RunOutcome run_with_cli(const RunRequest& r, const LineSink& sink) {
  const auto t0 = std::chrono::steady_clock::now();
  std::filesystem::create_directories(r.out_dir);
  std::vector<std::string> store{"clustersim"};
  for (auto& a : run_arguments(r)) store.push_back(std::move(a));
  std::vector<const char*> argv;
  for (const auto& s : store) argv.push_back(s.c_str());
  LineBuf out_buf(sink), err_buf(sink);
  std::ostream out(&out_buf), err(&err_buf);
  RunOutcome o;
  o.exit_code = cs::cli::run(static_cast<int>(argv.size()), argv.data(), out, err);
  out.flush();
  err.flush();
  o.out = out_buf.all();
  o.err = err_buf.all();
  if (r.kind != RunKind::check) {
    if (std::filesystem::exists(r.out_dir / "result.json")) o.result_json = r.out_dir / "result.json";
    if (std::filesystem::exists(r.out_dir / "trace.json")) o.trace_json = r.out_dir / "trace.json";
  }
  o.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return o;
}

RunOutcome run_and_read(const RunRequest& r, const LineSink& sink) {
  RunOutcome o = run_with_cli(r, sink);
  if (o.exit_code != 0 || o.result_json.empty()) return o;
  try {
    if (sink) sink("reading " + o.result_json.string());
    auto model = std::make_shared<ResultModel>(load_result_file(o.result_json));
    if (!o.trace_json.empty()) {
      if (sink) sink("reading " + o.trace_json.string());
      model->timeline = load_trace_file(o.trace_json);
    }
    if (model->name.empty()) model->name = r.scenario.stem().string();
    o.model = std::move(model);
  } catch (const std::exception& e) {
    o.read_error = e.what();
  }
  return o;
}

RunWorker::RunWorker(RunFunction fn) : fn_(std::move(fn)) {}

RunWorker::~RunWorker() {
  // A finished run is joined; a running one is abandoned (its state outlives us).
  if (thread_.joinable()) {
    if (current_ && current_->done) thread_.join();
    else thread_.detach();
  }
}

bool RunWorker::start(RunRequest request) {
  if (running()) return false;
  if (thread_.joinable()) thread_.join();
  request_ = std::move(request);
  current_ = std::make_shared<Shared>();
  started_ = std::chrono::steady_clock::now();
  auto shared = current_;
  auto fn = fn_;
  RunRequest req = request_;
  thread_ = std::thread([shared, fn, req]() {
    const auto t0 = std::chrono::steady_clock::now();
    LineSink sink = [shared](const std::string& line) {
      std::lock_guard<std::mutex> lock(shared->mutex);
      shared->log.push_back(line);
    };
    RunOutcome o;
    try {
      o = fn(req, sink);
    } catch (const std::exception& e) {
      o.exit_code = 1;
      o.err = std::string("error: ") + e.what() + "\n";
    }
    o.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    {
      std::lock_guard<std::mutex> lock(shared->mutex);
      shared->outcome = std::move(o);
    }
    shared->done = true;
  });
  return true;
}

bool RunWorker::running() const { return current_ && !current_->done; }

void RunWorker::cancel() {
  if (!running()) return;
  abandoned_.push_back(current_);
  current_.reset();
  thread_.detach();
}

std::optional<RunOutcome> RunWorker::take_result() {
  if (!current_ || !current_->done) return std::nullopt;
  if (thread_.joinable()) thread_.join();
  std::optional<RunOutcome> o;
  {
    std::lock_guard<std::mutex> lock(current_->mutex);
    o = std::move(current_->outcome);
  }
  current_.reset();
  return o;
}

double RunWorker::elapsed_s() const {
  if (!running()) return 0.0;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

std::vector<std::string> RunWorker::log_tail(std::size_t max_lines) const {
  if (!current_) return {};
  std::lock_guard<std::mutex> lock(current_->mutex);
  const auto& log = current_->log;
  const std::size_t from = log.size() > max_lines ? log.size() - max_lines : 0;
  return {log.begin() + static_cast<std::ptrdiff_t>(from), log.end()};
}

std::string RunWorker::progress_text() const {
  auto tail = log_tail(1);
  return tail.empty() ? std::string() : tail.back();
}

bool RunWorker::abandoned_running() const {
  for (const auto& s : abandoned_) {
    if (!s->done) return true;
  }
  return false;
}

}  // namespace cs::gui
