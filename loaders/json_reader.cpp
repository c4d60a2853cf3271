#include "loaders/json_reader.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <fstream>
#include <sstream>

#include "sim/core/assert.hpp"
#include "sim/core/text.hpp"

namespace cs::load {
namespace {

std::string type_name(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "a number";
    default: return "an unsupported value";
  }
}

std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t byte) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

// Tracks where the SAX-style parse callback is, so a duplicate key can be reported with
// its JSON pointer (nlohmann/json would otherwise keep the last value silently).
class DuplicateKeyCheck {
 public:
  bool operator()(int /*depth*/, Json::parse_event_t event, Json& parsed) {
    using E = Json::parse_event_t;
    switch (event) {
      case E::object_start:
      case E::array_start:
        enter_value();
        frames_.push_back(Frame{event == E::object_start, {}, {}, 0, false});
        break;
      case E::object_end:
      case E::array_end:
        frames_.pop_back();
        break;
      case E::key: {
        Frame& f = frames_.back();
        const std::string key = parsed.get<std::string>();
        if (!f.keys.insert(key).second) {
          duplicate_pointer = pointer() + "/" + key;
          duplicate_key = key;
          throw Found{};
        }
        f.current_key = key;
        break;
      }
      case E::value:
        enter_value();
        break;
    }
    return true;
  }
  struct Found {};
  std::string duplicate_pointer;
  std::string duplicate_key;

 private:
  struct Frame {
    bool is_object;
    std::set<std::string> keys;
    std::string current_key;
    std::size_t next_index;
    bool started;
  };
  void enter_value() {
    if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().next_index;
  }
  std::string pointer() const {
    std::string p;
    for (std::size_t i = 0; i < frames_.size(); ++i) {
      // The last frame is the object holding the duplicate; its own key is in its parent.
      if (i + 1 == frames_.size()) break;
      const Frame& f = frames_[i];
      p = f.is_object ? pointer_join(p, f.current_key) : pointer_join(p, f.next_index - 1);
    }
    return p;
  }
  std::vector<Frame> frames_;
};

}  // namespace

std::string pointer_join(const std::string& pointer, std::string_view key) {
  std::string out = pointer;
  out += '/';
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string pointer_join(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

std::string describe_value(const Json& v) {
  std::string s = v.dump();
  if (s.size() > 48) s = s.substr(0, 45) + "...";
  return type_name(v) + " " + s;
}

Document parse_json_text(std::string_view text, std::string name) {
  Document doc;
  doc.file = std::move(name);
  DuplicateKeyCheck check;
  try {
    doc.root = Json::parse(text.begin(), text.end(), std::ref(check));
  } catch (const DuplicateKeyCheck::Found&) {
    throw InputError(doc.file, check.duplicate_pointer,
                     "duplicate key \"" + check.duplicate_key + "\" (each key may appear once)");
  } catch (const Json::parse_error& e) {
    const std::size_t byte = e.byte > 0 ? e.byte - 1 : 0;
    const auto [line, col] = line_column(text, byte);
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix.
    if (const auto pos = what.find(": "); pos != std::string::npos) {
      const auto pos2 = what.find(": ", pos + 2);
      what = what.substr(pos2 != std::string::npos ? pos2 + 2 : pos + 2);
    }
    throw InputError(doc.file, "",
                     "line " + std::to_string(line) + ", column " + std::to_string(col) +
                         ": invalid JSON: " + what);
  }
  return doc;
}

Document read_json_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw InputError(path.string(), "", "file not found");
  }
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(path.string(), "", "is a directory, expected a JSON file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "", "cannot open file for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw InputError(path.string(), "", "error while reading file");
  return parse_json_text(ss.str(), path.string());
}

// ---------------------------------------------------------------------------------- Node

void Node::fail(const std::string& detail) const { throw InputError(*file_, pointer_, detail); }

void Node::expected(std::string_view what) const {
  fail("expected " + std::string(what) + ", got " + describe_value(*value_));
}

std::string Node::as_string() const {
  if (!value_->is_string()) expected("a string");
  return value_->get<std::string>();
}

std::string Node::as_nonempty_string() const {
  std::string s = as_string();
  if (s.empty()) fail("expected a non-empty string");
  return s;
}

std::string Node::as_enum(std::initializer_list<std::string_view> allowed) const {
  return as_enum(std::vector<std::string>(allowed.begin(), allowed.end()));
}

std::string Node::as_enum(const std::vector<std::string>& allowed) const {
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "\"" : ", \"") + a + "\"";
  if (!value_->is_string()) expected("one of " + list);
  const std::string s = value_->get<std::string>();
  if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) return s;
  const std::string near = nearest_match(s, allowed);
  fail("unknown value \"" + s + "\"" + (near.empty() ? "" : " (did you mean \"" + near + "\"?)") +
       "; expected one of " + list);
}

bool Node::as_bool() const {
  if (!value_->is_boolean()) expected("true or false");
  return value_->get<bool>();
}

namespace {
std::string int_range_text(std::int64_t min, std::int64_t max) {
  if (min == std::numeric_limits<std::int64_t>::min() && max == std::numeric_limits<std::int64_t>::max()) {
    return "an integer";
  }
  if (max == std::numeric_limits<std::int64_t>::max()) return "an integer >= " + std::to_string(min);
  if (min == std::numeric_limits<std::int64_t>::min()) return "an integer <= " + std::to_string(max);
  return "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
}

std::string num_text(double x) {
  std::ostringstream o;
  o << x;
  return o.str();
}

std::string range_text(double min, double max) {
  const bool lo = std::isfinite(min);
  const bool hi = std::isfinite(max);
  if (lo && hi) return " in [" + num_text(min) + ", " + num_text(max) + "]";
  if (lo) return " >= " + num_text(min);
  if (hi) return " <= " + num_text(max);
  return "";
}
}  // namespace

std::int64_t Node::as_int(std::int64_t min, std::int64_t max) const {
  const std::string want = int_range_text(min, max);
  std::int64_t v = 0;
  if (value_->is_number_integer()) {
    if (value_->is_number_unsigned() && value_->get<std::uint64_t>() >
                                            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      expected(want);
    }
    v = value_->get<std::int64_t>();
  } else if (value_->is_number_float()) {
    const double d = value_->get<double>();
    if (!(std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18)) expected(want);
    v = static_cast<std::int64_t>(d);
  } else {
    expected(want);
  }
  if (v < min || v > max) expected(want);
  return v;
}

std::int64_t Node::as_count(std::int64_t min, std::int64_t max) const {
  if (!value_->is_string()) return as_int(min, max);
  const std::string want = int_range_text(min, max);
  double d = 0.0;
  try {
    d = parse_quantity(value_->get<std::string>(), Dimension::count);
  } catch (const std::invalid_argument& e) {
    fail(e.what());
  }
  if (!(d == std::floor(d)) || d < static_cast<double>(min) || d > static_cast<double>(max)) expected(want);
  return static_cast<std::int64_t>(d);
}

double Node::as_number(double min, double max) const {
  if (!value_->is_number()) expected("a number" + range_text(min, max));
  const double v = value_->get<double>();
  if (!std::isfinite(v) || v < min || v > max) expected("a number" + range_text(min, max));
  return v;
}

double Node::as_quantity(Dimension dim, double min, double max) const {
  double v = 0.0;
  if (value_->is_number()) {
    v = value_->get<double>();
  } else if (value_->is_string()) {
    try {
      v = parse_quantity(value_->get<std::string>(), dim);
    } catch (const std::invalid_argument& e) {
      fail(e.what());
    }
  } else {
    expected("a " + std::string(dimension_name(dim)) + " (" + std::string(dimension_examples(dim)) + ")");
  }
  if (!std::isfinite(v) || v < min || v > max) {
    std::string range;
    if (std::isfinite(max)) {
      range = " between " + format_quantity(min, dim) + " and " + format_quantity(max, dim);
    } else {
      range = " of at least " + format_quantity(min, dim);
    }
    expected("a " + std::string(dimension_name(dim)) + range);
  }
  return v;
}

double Node::as_positive_quantity(Dimension dim) const {
  const double v = as_quantity(dim, 0.0);
  if (v <= 0.0) expected("a positive " + std::string(dimension_name(dim)));
  return v;
}

sim::SimTime Node::as_duration(sim::SimTime min, sim::SimTime max) const {
  const double max_s = max == sim::SimTime::max() ? 9.2e9 : max.seconds();
  const double s = as_quantity(Dimension::duration, min.seconds(), max_s);
  return sim::SimTime::from_seconds(s);
}

std::size_t Node::size() const {
  if (!value_->is_array()) expected("an array");
  return value_->size();
}

Node Node::at(std::size_t index) const {
  CS_ASSERT(value_->is_array() && index < value_->size(), "Node::at: index out of range");
  return Node((*value_)[index], *file_, pointer_join(pointer_, index));
}

std::vector<Node> Node::items() const {
  const std::size_t n = size();
  std::vector<Node> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(at(i));
  return out;
}

std::vector<Node> Node::nonempty_items() const {
  auto out = items();
  if (out.empty()) fail("expected a non-empty array");
  return out;
}

// ------------------------------------------------------------------------- ObjectReader

ObjectReader::ObjectReader(const Node& node) : node_(node) {
  if (!node.is_object()) {
    node.fail("expected an object, got " + describe_value(node.json()));
  }
}

ObjectReader::~ObjectReader() {
  // Forgetting finish() would let unknown keys through; catch it in tests. When an
  // exception is already unwinding, the reader was abandoned on purpose.
  if (!finished_ && std::uncaught_exceptions() == 0) {
    CS_DEBUG_ASSERT(false, "ObjectReader at " + node_.pointer() + " destroyed without finish()");
  }
}

bool ObjectReader::has(std::string_view key) const { return node_.json().contains(key); }

Node ObjectReader::required(std::string_view key, std::string_view what) {
  known_.emplace(key);
  const auto it = node_.json().find(key);
  if (it == node_.json().end()) {
    node_.fail("missing required key \"" + std::string(key) + "\"" +
               (what.empty() ? std::string() : " (" + std::string(what) + ")"));
  }
  return Node(*it, node_.file(), pointer_join(node_.pointer(), key));
}

std::optional<Node> ObjectReader::optional(std::string_view key) {
  known_.emplace(key);
  const auto it = node_.json().find(key);
  if (it == node_.json().end() || it->is_null()) return std::nullopt;
  return Node(*it, node_.file(), pointer_join(node_.pointer(), key));
}

std::string ObjectReader::string_or(std::string_view key, std::string fallback) {
  auto n = optional(key);
  return n ? n->as_string() : fallback;
}

bool ObjectReader::bool_or(std::string_view key, bool fallback) {
  auto n = optional(key);
  return n ? n->as_bool() : fallback;
}

std::int64_t ObjectReader::int_or(std::string_view key, std::int64_t fallback, std::int64_t min,
                                  std::int64_t max) {
  auto n = optional(key);
  return n ? n->as_int(min, max) : fallback;
}

double ObjectReader::number_or(std::string_view key, double fallback, double min, double max) {
  auto n = optional(key);
  return n ? n->as_number(min, max) : fallback;
}

double ObjectReader::quantity_or(std::string_view key, Dimension dim, double fallback, double min,
                                 double max) {
  auto n = optional(key);
  return n ? n->as_quantity(dim, min, max) : fallback;
}

void ObjectReader::skip(std::string_view key) { known_.emplace(key); }

std::string ObjectReader::one_of(std::initializer_list<std::string_view> keys) {
  std::string found;
  for (auto k : keys) {
    known_.emplace(k);
    if (node_.json().contains(k)) {
      if (!found.empty()) {
        node_.fail("give either \"" + found + "\" or \"" + std::string(k) + "\", not both");
      }
      found = std::string(k);
    }
  }
  return found;
}

void ObjectReader::finish() {
  finished_ = true;
  std::vector<std::string> allowed(known_.begin(), known_.end());
  for (const auto& [key, value] : node_.json().items()) {
    if (!key.empty() && key[0] == '_') continue;  // comment keys
    if (known_.count(key)) continue;
    const std::string near = nearest_match(key, allowed);
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    throw InputError(node_.file(), pointer_join(node_.pointer(), key),
                     "unknown key \"" + key + "\"" +
                         (near.empty() ? std::string() : " (did you mean \"" + near + "\"?)") +
                         "; allowed keys here: " + list);
  }
}

}  // namespace cs::load
