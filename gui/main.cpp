// clustersim-gui: the app loop (GLFW window, OpenGL 3 context, Dear ImGui frame), command
// line options, and the screenshot path used by tests and documentation:
//
//   clustersim-gui [--data-dir DIR] [--scenario FILE] [--result FILE [--trace FILE]]
//                  [--compare FILE]... [--run check|simulate|plan] [--view NAME]
//                  [--screenshot OUT.png [--frames N]] [--size WxH]
//
// With --screenshot the app opens the scenario, runs it (unless it is malformed), waits for
// the run, draws the chosen view for N frames, saves a PNG of the window, prints the status
// line and exits 0 (1 if the PNG could not be written or the run did not finish in time).
#include <chrono>
#include <cfloat>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "gui/app.hpp"
#include "gui/png.hpp"
#include "sim/core/error.hpp"

namespace {

void glfw_error(int code, const char* text) { std::fprintf(stderr, "clustersim-gui: GLFW error %d: %s\n", code, text); }

cs::gui::Image read_framebuffer(int w, int h) {
  cs::gui::Image img;
  img.width = w;
  img.height = h;
  img.rgba.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, img.rgba.data());
  cs::gui::flip_rows(img);
  for (std::size_t i = 3; i < img.rgba.size(); i += 4) img.rgba[i] = 255;  // opaque PNG
  return img;
}

struct Options {
  std::string data_dir, scenario, result, trace, view, screenshot, size = "1400x900", run;
  std::vector<std::string> compare;
  int frames = 3;
  double timeout_s = 300.0;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App cli{"clustersim-gui: the clustersim desktop app (Dear ImGui)"};
  cli.add_option("--data-dir", o.data_dir, "Folder holding hardware-profiles/, models/catalog/ and scenarios/");
  cli.add_option("--scenario", o.scenario, "Scenario file to open (and run, with --screenshot)");
  cli.add_option("--result", o.result, "Result JSON to open (from clustersim simulate/plan --out)");
  cli.add_option("--trace", o.trace, "Chrome trace JSON to show in the Timeline view");
  cli.add_option("--compare", o.compare, "Scenario to run and compare (2-4, repeatable)");
  cli.add_option("--run", o.run, "What to run on --scenario: check, simulate or plan (default: plan when the scenario has a plan section, else simulate)")
      ->check(CLI::IsMember({"check", "simulate", "plan"}));
  cli.add_option("--view", o.view, "View to show: scenarios, run, results, planner, compare, timeline")
      ->check(CLI::IsMember({"scenarios", "run", "results", "planner", "compare", "timeline"}));
  cli.add_option("--screenshot", o.screenshot, "Save a PNG of the view once the run finished, then exit");
  cli.add_option("--frames", o.frames, "Frames to draw before the screenshot (default 3)")->check(CLI::Range(1, 1000));
  cli.add_option("--size", o.size, "Window size WxH (default 1400x900)");
  cli.add_option("--timeout", o.timeout_s, "Seconds to wait for runs in screenshot mode (default 300)");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  int width = 1400, height = 900;
  if (std::sscanf(o.size.c_str(), "%dx%d", &width, &height) != 2 || width < 200 || height < 150) {
    std::cerr << "clustersim-gui: --size must be WxH, at least 200x150\n";
    return 2;
  }

  cs::load::DataPaths data;
  try {
    data = cs::load::DataPaths::locate(o.data_dir.empty() ? std::nullopt
                                                          : std::optional<std::filesystem::path>(o.data_dir));
  } catch (const std::exception& e) {
    std::cerr << "clustersim-gui: " << e.what() << "\n";
    return 2;
  }

  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) {
    std::cerr << "clustersim-gui: cannot initialise GLFW (no display? try xvfb-run)\n";
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  const bool headless = !o.screenshot.empty();
  GLFWwindow* window = glfwCreateWindow(width, height, "clustersim", nullptr, nullptr);
  if (!window) {
    std::cerr << "clustersim-gui: cannot create an OpenGL 3 window\n";
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(headless ? 0 : 1);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no imgui.ini litter; layout is fixed
  ImGui::StyleColorsDark();
  ImGui::GetStyle().FrameRounding = 3.0f;
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 130");

  int exit_code = 0;
  {
    cs::gui::App app(data);
    if (!o.scenario.empty()) {
      app.open_scenario(o.scenario);
      const bool openable = app.form().loaded() && !app.form().issue();
      if (headless && openable) {
        std::optional<cs::gui::RunKind> kind;
        if (o.run == "check") kind = cs::gui::RunKind::check;
        if (o.run == "simulate") kind = cs::gui::RunKind::simulate;
        if (o.run == "plan") kind = cs::gui::RunKind::plan;
        app.run_scenario(o.scenario, kind);
      }
    }
    if (!o.compare.empty()) {
      std::vector<std::filesystem::path> paths(o.compare.begin(), o.compare.end());
      app.queue_compare(paths);
    }
    if (!o.result.empty()) app.open_result(o.result, o.trace.empty() ? std::filesystem::path(o.result).parent_path() / "trace.json" : std::filesystem::path(o.trace));
    const bool has_view = !o.view.empty() && cs::gui::parse_view(o.view).has_value();
    const cs::gui::ViewId view = has_view ? *cs::gui::parse_view(o.view) : cs::gui::ViewId::scenarios;
    if (has_view) app.select_view(view);

    const auto started = std::chrono::steady_clock::now();
    int frames_after_idle = 0;
    bool selected_after_idle = false;
    while (!glfwWindowShouldClose(window)) {
      if (headless || app.worker().running()) glfwPollEvents();
      else glfwWaitEventsTimeout(0.25);
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      // Headless screenshots: no pointer over the window, so no stray hover tooltips.
      if (headless) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
      ImGui::NewFrame();
      int fb_w = 0, fb_h = 0;
      glfwGetFramebufferSize(window, &fb_w, &fb_h);
      app.draw(io.DisplaySize.x, io.DisplaySize.y);
      ImGui::Render();
      glViewport(0, 0, fb_w, fb_h);
      glClearColor(0.08f, 0.08f, 0.1f, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

      std::optional<std::filesystem::path> shot = app.take_screenshot_request();
      if (headless) {
        const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (app.idle()) {
          // Finishing a run switches views; put the requested one back once, then settle.
          if (!selected_after_idle && has_view) app.select_view(view);
          selected_after_idle = true;
          if (++frames_after_idle > o.frames) shot = o.screenshot;
        } else if (waited > o.timeout_s) {
          std::cerr << "clustersim-gui: the run did not finish within " << o.timeout_s << " s\n";
          exit_code = 1;
          shot = o.screenshot;
        }
      }
      if (shot) {
        try {
          cs::gui::write_png(*shot, read_framebuffer(fb_w, fb_h));
          if (!headless) app.set_banner("Wrote " + shot->string(), false);
        } catch (const std::exception& e) {
          std::cerr << "clustersim-gui: " << e.what() << "\n";
          if (headless) exit_code = 1;
          else app.set_banner(std::string("Screenshot failed: ") + e.what(), true);
        }
        if (headless) {
          std::cout << "view: " << cs::gui::view_name(app.current_view()) << "\n";
          if (app.banner()) std::cout << (app.banner()->error ? "status: error: " : "status: ok: ") << app.banner()->text << "\n";
          std::cout << "screenshot: " << *shot << " " << fb_w << "x" << fb_h << "\n";
          glfwSwapBuffers(window);
          break;
        }
      }
      glfwSwapBuffers(window);
    }
    if (app.worker().running()) app.worker().cancel();
    if (app.worker().abandoned_running()) {
      // A cancelled run is still computing on its thread; the library has no cancellation
      // point, so leave without waiting for it.
      std::cout.flush();
      std::_Exit(exit_code);
    }
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_code;
}
