// clustersim-gui rendered under Xvfb: every view drawn to a PNG and checked to be a real
// image (right size, not blank, plot areas drawn), shipped scenarios open cleanly, and a
// malformed scenario shows its error (file and JSON path) while the app keeps running.
// Skips, saying so, when xvfb-run is not installed.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <stb_image.h>

#include "tests/e2e/cli_harness.hpp"

namespace {

bool have_xvfb() { return std::system("command -v xvfb-run >/dev/null 2>&1") == 0; }

std::string gui_binary() {
  const char* bin = std::getenv("CLUSTERSIM_BIN_DIR");
  return std::string(bin ? bin : ".") + "/clustersim-gui";
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

struct GuiRun {
  int code = -1;
  std::string output;
};

GuiRun run_gui(const std::string& args, const std::filesystem::path& log) {
  const std::string cmd = "xvfb-run -a -s '-screen 0 1600x1000x24' " + quote(gui_binary()) + " --data-dir " +
                          quote(CLUSTERSIM_SOURCE_DIR) + " --size 1200x800 " + args + " > " + quote(log.string()) +
                          " 2>&1";
  GuiRun r;
  const int status = std::system(cmd.c_str());
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(log);
  std::stringstream ss;
  ss << in.rdbuf();
  r.output = ss.str();
  return r;
}

struct ImageStats {
  int width = 0, height = 0;
  std::size_t colours = 0;          // distinct RGB values (capped)
  double non_background = 0.0;      // share of pixels not the most common colour
  std::size_t plot_background = 0;  // pixels of the plot widgets' background colour
  std::size_t saturated = 0;        // strongly coloured pixels (bars, markers, lines)
  std::size_t error_red = 0;        // pixels of the error banner's fill
};

ImageStats analyse(const std::filesystem::path& png) {
  ImageStats s;
  int n = 0;
  unsigned char* px = stbi_load(png.c_str(), &s.width, &s.height, &n, 3);
  REQUIRE_MESSAGE(px != nullptr, "cannot decode " << png);
  std::map<unsigned, std::size_t> count;
  const std::size_t total = static_cast<std::size_t>(s.width) * static_cast<std::size_t>(s.height);
  for (std::size_t i = 0; i < total; ++i) {
    const unsigned char r = px[3 * i], g = px[3 * i + 1], b = px[3 * i + 2];
    if (count.size() < 100000) ++count[(r << 16) | (g << 8) | b];
    if (r == 25 && g == 27 && b == 32) ++s.plot_background;
    const int mx = std::max({r, g, b}), mn = std::min({r, g, b});
    if (mx - mn > 90 && mx > 150) ++s.saturated;
    if (r == 110 && g == 20 && b == 24) ++s.error_red;
  }
  stbi_image_free(px);
  s.colours = count.size();
  std::size_t top = 0;
  for (const auto& [c, k] : count) top = std::max(top, k);
  s.non_background = 1.0 - static_cast<double>(top) / static_cast<double>(total);
  return s;
}

void check_real_image(const ImageStats& s) {
  CHECK(s.width == 1200);
  CHECK(s.height == 800);
  CHECK(s.colours > 20);
  CHECK(s.non_background > 0.02);
}

const std::string kData = std::string(CLUSTERSIM_SOURCE_DIR) + "/tests/gui/data/";

}  // namespace

TEST_CASE("every view renders to a real PNG") {
  if (!have_xvfb()) {
    MESSAGE("SKIPPED: xvfb-run is not installed; the GUI render tests need a virtual X display");
    return;
  }
  cs::test::TempDir dir;
  struct Case {
    std::string view;
    std::string result;
    std::size_t min_plot_background;  // pixels: how much plot area the view must draw
    std::size_t min_saturated;        // bars / markers / spans
  };
  const std::vector<Case> cases = {
      {"results", "training_result.json", 0, 20000},  // stacked bars
      {"results", "inference_result.json", 100000, 500},  // time series plots
      {"planner", "plan_result.json", 150000, 400},       // frontier scatter
      {"compare", "plan_result.json", 5000, 2000},        // cost bars on a shared scale
      {"timeline", "training_result.json", 200000, 20000},  // Gantt
      {"run", "training_result.json", 0, 0},
  };
  for (const auto& c : cases) {
    CAPTURE(c.view);
    CAPTURE(c.result);
    const auto png = dir.path() / (c.view + "-" + c.result + ".png");
    const GuiRun r = run_gui("--result " + quote(kData + c.result) + " --view " + c.view + " --screenshot " +
                                 quote(png.string()),
                             dir.path() / "log.txt");
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK(r.output.find("view: " + c.view) != std::string::npos);
    CHECK(r.output.find("status: ok") != std::string::npos);
    const ImageStats s = analyse(png);
    check_real_image(s);
    CHECK(s.plot_background >= c.min_plot_background);
    CHECK(s.saturated >= c.min_saturated);
  }
}

TEST_CASE("a training scenario is simulated through the library and its views drawn from the real result") {
  if (!have_xvfb()) {
    MESSAGE("SKIPPED: xvfb-run is not installed; the GUI render tests need a virtual X display");
    return;
  }
  cs::test::TempDir dir;
  const std::string scenario = kData + "train-llama3-8b-16xh100.json";
  struct Case {
    std::string view;
    std::size_t min_plot_background, min_saturated;
  };
  for (const Case& c : {Case{"results", 0, 20000}, Case{"timeline", 200000, 10000}, Case{"run", 0, 0}}) {
    CAPTURE(c.view);
    const auto png = dir.path() / ("train-" + c.view + ".png");
    const GuiRun r = run_gui("--scenario " + quote(scenario) + " --view " + c.view + " --screenshot " +
                                 quote(png.string()),
                             dir.path() / "log.txt");
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK(r.output.find("status: ok: Loaded result") != std::string::npos);  // simulate ran and wrote its JSON
    CHECK(r.output.find("view: " + c.view) != std::string::npos);
    const ImageStats s = analyse(png);
    check_real_image(s);
    CHECK(s.plot_background >= c.min_plot_background);
    CHECK(s.saturated >= c.min_saturated);
    CHECK(s.error_red == 0);
  }
}

TEST_CASE("shipped scenarios run through the library and draw their views") {
  if (!have_xvfb()) {
    MESSAGE("SKIPPED: xvfb-run is not installed; the GUI render tests need a virtual X display");
    return;
  }
  cs::test::TempDir dir;
  const std::string root = std::string(CLUSTERSIM_SOURCE_DIR) + "/scenarios/";
  struct Case {
    std::string scenario, view;
    std::size_t min_plot_background, min_saturated;
  };
  const std::vector<Case> cases = {
      {"default.json", "planner", 150000, 300},              // plan: frontier scatter
      {"default.json", "compare", 0, 2000},                  // frontier side by side, cost bars
      {"infer-llama3-8b-h100-azure-conv.json", "results", 100000, 2000},  // percentiles, series
      {"infer-llama3-8b-h100-azure-conv.json", "timeline", 200000, 1000},
  };
  for (const auto& c : cases) {
    CAPTURE(c.scenario);
    CAPTURE(c.view);
    if (!std::filesystem::exists(root + c.scenario)) {
      MESSAGE("scenario not shipped: " << c.scenario);
      continue;
    }
    const auto png = dir.path() / (c.view + ".png");
    const GuiRun r = run_gui("--scenario " + quote(root + c.scenario) + " --view " + c.view + " --screenshot " +
                                 quote(png.string()),
                             dir.path() / "log.txt");
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK(r.output.find("status: ok: Loaded result") != std::string::npos);
    const ImageStats s = analyse(png);
    check_real_image(s);
    CHECK(s.plot_background >= c.min_plot_background);
    CHECK(s.saturated >= c.min_saturated);
    CHECK(s.error_red == 0);
  }
}

TEST_CASE("shipped scenarios open in the Scenarios view without errors") {
  if (!have_xvfb()) {
    MESSAGE("SKIPPED: xvfb-run is not installed; the GUI render tests need a virtual X display");
    return;
  }
  cs::test::TempDir dir;
  std::vector<std::filesystem::path> shipped;
  for (const auto& e : std::filesystem::directory_iterator(std::string(CLUSTERSIM_SOURCE_DIR) + "/scenarios")) {
    if (e.path().extension() == ".json") shipped.push_back(e.path());
  }
  std::sort(shipped.begin(), shipped.end());
  if (shipped.size() > 3) shipped.resize(3);  // keep the suite short
  if (shipped.empty()) MESSAGE("no scenarios/*.json shipped yet");
  for (const auto& s : shipped) {
    CAPTURE(s);
    const auto png = dir.path() / (s.stem().string() + ".png");
    const GuiRun r = run_gui("--scenario " + quote(s.string()) + " --run check --view scenarios --screenshot " +
                                 quote(png.string()),
                             dir.path() / "log.txt");
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK(r.output.find("status: error") == std::string::npos);
    const ImageStats st = analyse(png);
    check_real_image(st);
    CHECK(st.error_red == 0);
  }
}

TEST_CASE("a malformed scenario shows its error with file and JSON path, and the app keeps running") {
  if (!have_xvfb()) {
    MESSAGE("SKIPPED: xvfb-run is not installed; the GUI render tests need a virtual X display");
    return;
  }
  cs::test::TempDir dir;
  const std::string bad = dir.write("bad-scenario.json", R"({"schema_version": 1, "name": "bad", "seed": "seven"})");
  const auto png = dir.path() / "bad.png";
  const GuiRun r = run_gui("--scenario " + quote(bad) + " --view scenarios --frames 5 --screenshot " + quote(png.string()),
                           dir.path() / "log.txt");
  INFO(r.output);
  REQUIRE(r.code == 0);  // drew its frames and saved the screenshot: it kept running
  CHECK(r.output.find("status: error") != std::string::npos);
  CHECK(r.output.find("bad-scenario.json") != std::string::npos);
  CHECK(r.output.find("/seed") != std::string::npos);
  const ImageStats s = analyse(png);
  check_real_image(s);
  CHECK(s.error_red > 2000);  // the red error banner is on screen

  const std::string broken = dir.write("broken.json", "{\"schema_version\": 1,\n \"name\": ");
  const GuiRun r2 = run_gui("--scenario " + quote(broken) + " --view scenarios --screenshot " +
                                quote((dir.path() / "broken.png").string()),
                            dir.path() / "log2.txt");
  INFO(r2.output);
  REQUIRE(r2.code == 0);
  CHECK(r2.output.find("status: error") != std::string::npos);
  CHECK(r2.output.find("broken.json") != std::string::npos);
  CHECK(r2.output.find("line 2") != std::string::npos);
  CHECK(analyse(dir.path() / "broken.png").error_red > 2000);
}
