#include <doctest/doctest.h>

#include "tests/e2e/cli_harness.hpp"

using cs::test::run_cli;

TEST_CASE("help and version exit 0") {
  auto h = run_cli({"--help"});
  CHECK(h.code == 0);
  CHECK(h.out.find("check") != std::string::npos);
  auto v = run_cli({"--version"});
  CHECK(v.code == 0);
  CHECK(v.out.find("clustersim ") == 0);
}

TEST_CASE("usage errors exit 2") {
  CHECK(run_cli({}).code == 2);
  CHECK(run_cli({"frobnicate"}).code == 2);
  CHECK(run_cli({"check"}).code == 2);
}

TEST_CASE("check reports a missing file with exit 2") {
  auto r = run_cli({"check", "/nonexistent/scenario.json"});
  CHECK(r.code == 2);
  CHECK(r.err.find("/nonexistent/scenario.json: file not found") != std::string::npos);
}
