#include <doctest/doctest.h>

#include <string>

#include "loaders/json_reader.hpp"

using namespace cs::load;

namespace {
// Returns the error message of `f`, or "" when it does not throw an InputError.
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const cs::InputError& e) {
    return e.what();
  }
  return {};
}
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("syntax errors name the file, line and column") {
  const auto msg = error_of([] { parse_json_text("{\n  \"a\": 1,\n  \"b\": \n", "t.json"); });
  CHECK(contains(msg, "t.json: "));
  CHECK(contains(msg, "line 4"));
  CHECK(contains(msg, "invalid JSON"));
}

TEST_CASE("duplicate keys are errors with their pointer") {
  const auto msg = error_of([] { parse_json_text(R"({"a": {"x": [1, {"k": 1, "k": 2}]}})", "d.json"); });
  CHECK(contains(msg, "d.json: /a/x/1/k: duplicate key \"k\""));
}

TEST_CASE("typed accessors check type and range and name the pointer") {
  const Document doc = parse_json_text(
      R"({"n": -3, "f": 2.5, "s": "x", "bw": "400Gbs", "big": 1e3, "list": [1, "two"], "mode": "rign"})", "c.json");
  ObjectReader top(Node::root(doc));
  CHECK(contains(error_of([&] { top.required("n").as_int(1); }), "c.json: /n: expected an integer >= 1, got a number -3"));
  CHECK(contains(error_of([&] { top.required("f").as_int(); }), "/f: expected an integer"));
  CHECK(top.required("big").as_int() == 1000);
  CHECK(contains(error_of([&] { top.required("s").as_number(); }), "/s: expected a number, got a string \"x\""));
  CHECK(contains(error_of([&] { top.required("bw").as_quantity(Dimension::bandwidth); }),
                 "/bw: expected a bandwidth in bytes/s"));
  CHECK(contains(error_of([&] { top.required("list").at(1).as_int(); }), "/list/1: expected an integer"));
  CHECK(contains(error_of([&] { top.required("mode").as_enum({"ring", "tree"}); }),
                 "/mode: unknown value \"rign\" (did you mean \"ring\"?)"));
  CHECK(contains(error_of([&] { top.required("missing", "a count"); }), "missing required key \"missing\" (a count)"));
  top.finish();
}

TEST_CASE("unknown keys are rejected with a suggestion; comment keys are allowed") {
  const Document doc = parse_json_text(R"({"nodes": 4, "nodez": 5, "_note": "ok"})", "u.json");
  ObjectReader top(Node::root(doc));
  CHECK(top.required("nodes").as_int() == 4);
  const auto msg = error_of([&] { top.finish(); });
  CHECK(contains(msg, "u.json: /nodez: unknown key \"nodez\" (did you mean \"nodes\"?)"));
}

TEST_CASE("quantities accept numbers in the base unit or strings with units, range-checked") {
  const Document doc = parse_json_text(R"({"a": 5e10, "b": "50GB/s", "c": "-3W", "d": true, "t": "1.5us"})", "q.json");
  ObjectReader top(Node::root(doc));
  CHECK(top.required("a").as_quantity(Dimension::bandwidth) == 5e10);
  CHECK(top.required("b").as_quantity(Dimension::bandwidth) == 5e10);
  CHECK(contains(error_of([&] { top.required("c").as_quantity(Dimension::power); }), "/c: expected a power"));
  CHECK(contains(error_of([&] { top.required("d").as_quantity(Dimension::power); }), "/d: expected a power"));
  CHECK(top.required("t").as_duration().ns() == 1500);
  top.finish();
}

TEST_CASE("count strings and one_of") {
  const Document doc = parse_json_text(R"({"tokens": "15T", "x": 1, "y": 2})", "k.json");
  ObjectReader top(Node::root(doc));
  CHECK(top.required("tokens").as_count() == 15'000'000'000'000LL);
  CHECK(contains(error_of([&] { top.one_of({"x", "y"}); }), "either \"x\" or \"y\", not both"));
  top.finish();
}

TEST_CASE("reading a missing file or a directory is an input error") {
  CHECK(contains(error_of([] { read_json_file("/nonexistent/s.json"); }), "/nonexistent/s.json: file not found"));
  CHECK(contains(error_of([] { read_json_file("/tmp"); }), "is a directory"));
}
