#include <doctest/doctest.h>

#include <string>

#include "loaders/scenario_loader.hpp"

using namespace cs::load;

namespace {
std::string error_of_text(const std::string& text) {
  try {
    parse_scenario(parse_json_text(text, "s.json"), DataPaths{CLUSTERSIM_SOURCE_DIR});
  } catch (const cs::InputError& e) {
    return e.what();
  }
  return {};
}
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("scenario header: required keys, version and seed") {
  CHECK(contains(error_of_text(R"({"name": "x"})"), "s.json: missing required key \"schema_version\""));
  CHECK(contains(error_of_text(R"({"schema_version": 2, "name": "x"})"), "/schema_version: unsupported schema_version 2"));
  CHECK(contains(error_of_text(R"({"schema_version": "1", "name": "x"})"), "/schema_version: expected an integer"));
  CHECK(contains(error_of_text(R"({"schema_version": 1, "name": ""})"), "/name: expected a non-empty string"));
  CHECK(contains(error_of_text(R"({"schema_version": 1, "name": "x", "seed": -1})"), "/seed: expected an integer >= 0"));
  CHECK(contains(error_of_text(R"([1, 2])"), "s.json: expected an object"));
}
