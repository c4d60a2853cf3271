#pragma once
// Strict JSON reading for scenario, profile, catalog and result files.
//
// Node is a cursor: a JSON value plus where it is (file and RFC 6901 JSON pointer). Every
// accessor checks the type and range and, on failure, throws cs::InputError naming the file,
// the pointer and what was expected. ObjectReader walks an object's keys; finish() rejects
// keys nobody asked for ("did you mean ...?"), so a misspelled key is an error, never a
// silently ignored setting. Keys starting with '_' are comments and are skipped.
//
// Only loaders include this header; the layers below work on typed structs.
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loaders/units.hpp"
#include "sim/core/error.hpp"
#include "sim/core/text.hpp"
#include "sim/core/time.hpp"

namespace cs::load {

using Json = nlohmann::json;

struct Document {
  std::string file;  // as the user named it, for messages
  Json root;
};

// Reads and parses a JSON file. Missing/unreadable file, syntax errors (with line and
// column) and duplicate keys (with their pointer) are InputErrors.
Document read_json_file(const std::filesystem::path& path);
Document parse_json_text(std::string_view text, std::string name);

// "/a/b" + key, with '~' and '/' escaped as RFC 6901 requires.
std::string pointer_join(const std::string& pointer, std::string_view key);
std::string pointer_join(const std::string& pointer, std::size_t index);
// A short rendering of a JSON value for "got ..." in messages.
std::string describe_value(const Json& value);

class Node {
 public:
  Node(const Json& value, const std::string& file, std::string pointer)
      : value_(&value), file_(&file), pointer_(std::move(pointer)) {}
  static Node root(const Document& doc) { return Node(doc.root, doc.file, ""); }

  const Json& json() const { return *value_; }
  const std::string& file() const { return *file_; }
  const std::string& pointer() const { return pointer_; }
  [[noreturn]] void fail(const std::string& detail) const;

  bool is_object() const { return value_->is_object(); }
  bool is_array() const { return value_->is_array(); }
  bool is_string() const { return value_->is_string(); }
  bool is_number() const { return value_->is_number(); }
  bool is_bool() const { return value_->is_boolean(); }
  bool is_null() const { return value_->is_null(); }

  std::string as_string() const;
  std::string as_nonempty_string() const;
  // One of `allowed`; the error lists them and suggests the nearest.
  std::string as_enum(std::initializer_list<std::string_view> allowed) const;
  std::string as_enum(const std::vector<std::string>& allowed) const;
  bool as_bool() const;
  // An integral JSON number (8 or 8.0) in [min, max].
  std::int64_t as_int(std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                      std::int64_t max = std::numeric_limits<std::int64_t>::max()) const;
  // Like as_int but also accepts count strings with decimal multipliers ("15T", "2M").
  std::int64_t as_count(std::int64_t min = 0, std::int64_t max = std::numeric_limits<std::int64_t>::max()) const;
  // A plain JSON number in [min, max].
  double as_number(double min = -std::numeric_limits<double>::infinity(),
                   double max = std::numeric_limits<double>::infinity()) const;
  // A number in the base unit or a string with a unit, converted to the base unit, in [min, max].
  double as_quantity(Dimension dim, double min = 0.0,
                     double max = std::numeric_limits<double>::infinity()) const;
  // Like as_quantity but the value must be strictly positive.
  double as_positive_quantity(Dimension dim) const;
  // A duration converted to simulated time (rounded to the nearest ns), in [min, max].
  sim::SimTime as_duration(sim::SimTime min = sim::SimTime::zero(), sim::SimTime max = sim::SimTime::max()) const;

  std::size_t size() const;  // array length; error if not an array
  Node at(std::size_t index) const;
  std::vector<Node> items() const;  // error if not an array
  std::vector<Node> nonempty_items() const;

 private:
  [[noreturn]] void expected(std::string_view what) const;
  const Json* value_;
  const std::string* file_;
  std::string pointer_;
};

class ObjectReader {
 public:
  explicit ObjectReader(const Node& node);
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;
  ~ObjectReader();

  const Node& node() const { return node_; }
  bool has(std::string_view key) const;
  // A key that must be present; `what` describes the expected value for the message.
  Node required(std::string_view key, std::string_view what = {});
  std::optional<Node> optional(std::string_view key);

  // Convenience accessors for optional keys with defaults.
  std::string string_or(std::string_view key, std::string fallback);
  bool bool_or(std::string_view key, bool fallback);
  std::int64_t int_or(std::string_view key, std::int64_t fallback,
                      std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                      std::int64_t max = std::numeric_limits<std::int64_t>::max());
  double number_or(std::string_view key, double fallback,
                   double min = -std::numeric_limits<double>::infinity(),
                   double max = std::numeric_limits<double>::infinity());
  double quantity_or(std::string_view key, Dimension dim, double fallback, double min = 0.0,
                     double max = std::numeric_limits<double>::infinity());

  // Marks a key as consumed without reading it (e.g. handled by another loader).
  void skip(std::string_view key);
  // At most one of `keys` may be present; returns which (or empty).
  std::string one_of(std::initializer_list<std::string_view> keys);
  // Rejects keys that were never asked for, naming the nearest allowed key.
  void finish();

 private:
  Node node_;
  std::set<std::string, std::less<>> known_;  // keys asked for, present or not
  bool finished_ = false;
};

using cs::nearest_match;

}  // namespace cs::load
