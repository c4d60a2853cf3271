// One sweep across two MPI ranks on localhost writes the same CSV as one process.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "tests/planner/plan_fixture.hpp"

namespace {
std::string find_in_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (!path) return "";
  std::stringstream ss(path);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    const auto p = std::filesystem::path(dir) / name;
    if (std::filesystem::exists(p)) return p.string();
  }
  return "";
}
}  // namespace

TEST_CASE("mpirun -np 2 clustersim sweep == one process") {
  const std::string mpirun = find_in_path("mpirun");
  if (mpirun.empty()) {
    MESSAGE("skipped: mpirun is not installed (Debian: openmpi-bin)");
    return;
  }
  const char* bin_dir = std::getenv("CLUSTERSIM_BIN_DIR");
  REQUIRE(bin_dir != nullptr);
  const std::string bin = std::string(bin_dir) + "/clustersim";
  REQUIRE(std::filesystem::exists(bin));
  cs::test::PlanData d;
  const auto file = d.write("plan.json", cs::test::serving_plan("\"ttft_p99 <= 2s\""));
  const auto one = cs::test::run_cli({"--data-dir", d.root(), "sweep", file, "--csv", d.path("one.csv")});
  REQUIRE(one.code == 0);
  // Open MPI's own allocations outlive MPI_Finalize; leak checking (sanitizer builds) would
  // report them as ours, so the ranks run without it.
  const std::string cmd = "ASAN_OPTIONS=detect_leaks=0 " + mpirun +
                          " -x ASAN_OPTIONS --allow-run-as-root --oversubscribe -np 2 " + bin + " --data-dir " + d.root() +
                          " sweep " + file + " --csv " + d.path("mpi.csv") + " --threads 1 > " + d.path("mpi.log") +
                          " 2>&1";
  const int rc = std::system(cmd.c_str());
  INFO(cs::test::read_file(d.path("mpi.log")));
  REQUIRE(rc == 0);
  CHECK(cs::test::read_file(d.path("mpi.log")).find("(2 MPI ranks)") != std::string::npos);
  CHECK(cs::test::read_file(d.path("mpi.csv")) == cs::test::read_file(d.path("one.csv")));
}
