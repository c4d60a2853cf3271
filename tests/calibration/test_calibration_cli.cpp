#include <doctest/doctest.h>

#include "tests/e2e/cli_harness.hpp"

using cs::test::run_cli;
using cs::test::source_path;

TEST_CASE("calibration refit turns recorded samples into tables that show applies") {
  const cs::test::TempDir dir;
  const std::string out = (dir.path() / "refit.json").string();
  const auto refit = run_cli({"calibration", "refit", source_path("tests/calibration/data/synthetic-h100-sxm.json"), "-o", out});
  REQUIRE(refit.code == 0);
  CHECK(refit.out.find("refitted 1 GEMM table(s), 2 memory curve(s)") != std::string::npos);
  const std::string text = cs::test::read_file(out);
  CHECK(text.find("\"fitted\": {") != std::string::npos);
  CHECK(text.find("\"flops_per_second\":[") != std::string::npos);

  const auto show = run_cli({"--data-dir", CLUSTERSIM_SOURCE_DIR, "calibration", "show", out});
  CAPTURE(show.err);
  REQUIRE(show.code == 0);
  CHECK(show.out.find("accelerator       h100-sxm") != std::string::npos);
  CHECK(show.out.find("device            SYNTHETIC (no GPU was measured)") != std::string::npos);
  CHECK(show.out.find("run               synthetic") != std::string::npos);
  CHECK(show.out.find("GEMM bf16         4 x 2 x 2 grid") != std::string::npos);
  CHECK(show.out.find("launch overhead   3.98 us") != std::string::npos);
  CHECK(show.out.find("compute model: measured (" + out + ")") != std::string::npos);

  // Refitting is deterministic: the same samples give the same bytes.
  const std::string again = (dir.path() / "again.json").string();
  REQUIRE(run_cli({"calibration", "refit", out, "-o", again}).code == 0);
  CHECK(cs::test::read_file(again) == text);
}

TEST_CASE("calibration reports bad input with exit 2") {
  const cs::test::TempDir dir;
  const auto missing = run_cli({"calibration", "show", "/nonexistent/profile.json"});
  CHECK(missing.code == 2);
  CHECK(missing.err.find("/nonexistent/profile.json") != std::string::npos);
  const std::string bad = dir.write("bad.json", R"({"schema_version": 1, "kind": "measured_accelerator"})");
  const auto r = run_cli({"calibration", "refit", bad});
  CHECK(r.code == 2);
  CHECK(r.err.find("accelerator") != std::string::npos);
  CHECK(run_cli({"calibration"}).code == 2);  // a subcommand is required
}
