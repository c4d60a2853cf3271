// `clustersim check`: every kind of bad input fails with exit 2 and a message naming the
// file, the JSON pointer and what was expected; a good scenario passes and reads back.
#include <doctest/doctest.h>

#include <string>

#include "tests/e2e/cli_harness.hpp"

using cs::test::read_file;
using cs::test::run_cli;
using cs::test::TempDir;

namespace {

const std::string kGood = R"({
  "schema_version": 1,
  "name": "eight-h100-nodes",
  "seed": 7,
  "cluster": {
    "node": "dgx-h100",
    "nodes": 8,
    "fabric": { "topology": "rail_optimized", "oversubscription": 1 },
    "prices": { "node_purchase": "$350000" }
  }
})";

// Replaces the first occurrence of `from` in the good scenario.
std::string good_with(const std::string& from, const std::string& to) {
  std::string s = kGood;
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  s.replace(at, from.size(), to);
  return s;
}

struct Bad {
  const char* what;
  std::string text;
  std::string message;  // must appear in stderr (after the file name)
};

}  // namespace

TEST_CASE("a valid scenario checks with exit 0 and a readable summary") {
  TempDir dir;
  const auto file = dir.write("good.json", kGood);
  auto r = run_cli({"check", file});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.find("8 x dgx-h100") != std::string::npos);
  CHECK(r.out.find("64 accelerators in use") != std::string::npos);
  CHECK(r.out.find("rail_optimized") != std::string::npos);
  auto j = run_cli({"check", "--json", file});
  CHECK(j.code == 0);
  CHECK(j.out.find("\"accelerators\": 64") != std::string::npos);
}

TEST_CASE("check output is byte-identical across runs") {
  TempDir dir;
  const auto file = dir.write("good.json", kGood);
  CHECK(run_cli({"check", "--json", file}).out == run_cli({"check", "--json", file}).out);
}

TEST_CASE("bad scenarios fail with exit 2, naming file, pointer and what was expected") {
  const std::vector<Bad> cases = {
      {"truncated JSON", kGood.substr(0, kGood.size() / 2), "bad.json:"},
      {"misspelled top-level key", good_with("\"cluster\"", "\"clsuter\""), "unknown key \"clsuter\""},
      {"misspelled nested key", good_with("\"oversubscription\"", "\"oversubscribtion\""),
       "/cluster/fabric/oversubscribtion: unknown key \"oversubscribtion\""},
      {"wrong type", good_with("\"nodes\": 8", "\"nodes\": \"eight\""), "/cluster/nodes: expected an integer"},
      {"negative count", good_with("\"nodes\": 8", "\"nodes\": -1"), "/cluster/nodes: expected an integer in [1, "},
      {"bad unit", good_with("\"$350000\"", "\"350000 bananas\""), "/cluster/prices/node_purchase"},
      {"unknown node", good_with("\"dgx-h100\"", "\"dgx-h1000\""), "/cluster/node: unknown node \"dgx-h1000\""},
      {"unsupported schema version", good_with("\"schema_version\": 1", "\"schema_version\": 9"),
       "/schema_version: unsupported schema_version 9"},
      {"missing name", good_with("\"name\": \"eight-h100-nodes\",", ""), "missing required key \"name\""},
      {"too many accelerators", good_with("\"nodes\": 8,", "\"nodes\": 8, \"accelerators\": 65,"),
       "/cluster/accelerators: 65 accelerators do not fit"},
      {"bad enum", good_with("\"rail_optimized\"", "\"rail_optimised\""), "/cluster/fabric/topology"},
      {"out of range", good_with("\"oversubscription\": 1", "\"oversubscription\": 0.5"),
       "/cluster/fabric/oversubscription"},
      {"duplicate key", good_with("\"seed\": 7,", "\"seed\": 7, \"seed\": 8,"), "duplicate key \"seed\""},
      {"not an object", "[1, 2, 3]", "expected an object"},
      {"empty file", "", "bad.json:"},
  };
  TempDir dir;
  for (const auto& c : cases) {
    CAPTURE(std::string(c.what));
    const auto file = dir.write("bad.json", c.text);
    auto r = run_cli({"check", file});
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find(file) != std::string::npos);
    CHECK(r.err.find(c.message) != std::string::npos);
  }
}

TEST_CASE("missing files and directories are bad input") {
  TempDir dir;
  auto missing = run_cli({"check", (dir.path() / "nope.json").string()});
  CHECK(missing.code == 2);
  CHECK(missing.err.find("nope.json: file not found") != std::string::npos);
  auto directory = run_cli({"check", dir.path().string()});
  CHECK(directory.code == 2);
}

TEST_CASE("every shipped scenario passes check") {
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(cs::test::source_path("scenarios"))) {
    if (entry.path().extension() != ".json") continue;
    CAPTURE(entry.path().string());
    auto r = run_cli({"check", entry.path().string()});
    INFO(r.err);
    CHECK(r.code == 0);
    ++checked;
  }
  CHECK(checked >= 3);
}
