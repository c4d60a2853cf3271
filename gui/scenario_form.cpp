#include "gui/scenario_form.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "gui/result_model.hpp"
#include "loaders/json_reader.hpp"
#include "loaders/scenario_loader.hpp"
#include "sim/core/atomic_file.hpp"
#include "sim/core/error.hpp"

namespace cs::gui {

namespace {

std::string escape_segment(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::optional<double> parse_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::size_t used = 0;
  try {
    const double v = std::stod(text, &used);
    while (used < text.size() && text[used] == ' ') ++used;
    if (used != text.size() || !std::isfinite(v)) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string number_text(const OrderedJson& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  std::ostringstream s;
  s.precision(15);
  s << v.get<double>();
  return s.str();
}

// Splits "a, b, 3" into JSON values (numbers where they parse, else strings).
OrderedJson parse_list(const std::string& text) {
  OrderedJson arr = OrderedJson::array();
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ',')) {
    const auto b = item.find_first_not_of(' ');
    const auto e = item.find_last_not_of(' ');
    if (b == std::string::npos) continue;
    item = item.substr(b, e - b + 1);
    if (item == "true" || item == "false") arr.push_back(item == "true");
    else if (auto n = parse_number(item)) {
      if (std::floor(*n) == *n && std::fabs(*n) < 9e15) arr.push_back(static_cast<std::int64_t>(*n));
      else arr.push_back(*n);
    } else {
      arr.push_back(item);
    }
  }
  return arr;
}

bool is_scalar_array(const OrderedJson& v) {
  if (!v.is_array()) return false;
  for (const auto& x : v) {
    if (x.is_object() || x.is_array()) return false;
  }
  return true;
}

}  // namespace

std::optional<load::Dimension> guess_dimension(const std::string& text) {
  using load::Dimension;
  // Ordered so that the more specific units win ("400Gbps" is a bandwidth, "80GiB" bytes).
  static const Dimension order[] = {Dimension::bandwidth, Dimension::money_rate, Dimension::energy_price,
                                    Dimension::flop_rate, Dimension::frequency, Dimension::bytes,
                                    Dimension::duration, Dimension::power, Dimension::energy,
                                    Dimension::money, Dimension::rate, Dimension::ratio, Dimension::count};
  if (parse_number(text)) return std::nullopt;  // a bare number in a string is text here
  // "1B" / "300B" with no K/M/G/T prefix reads as a count (tokens, parameters), not bytes.
  if (text.size() >= 2 && text.back() == 'B' && parse_number(text.substr(0, text.size() - 1))) return Dimension::count;
  for (Dimension d : order) {
    try {
      (void)load::parse_quantity(text, d);
      return d;
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

ScenarioForm ScenarioForm::open(const std::filesystem::path& path) {
  ScenarioForm f;
  f.file_ = path.string();
  try {
    const load::Document d = load::read_json_file(path);  // strict: syntax, duplicate keys
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    f = from_json(OrderedJson::parse(ss.str()), path.string());
  } catch (const InputError& e) {
    f.issue_ = ScenarioIssue{e.file().empty() ? path.string() : e.file(), e.pointer(), e.what()};
  } catch (const std::exception& e) {
    f.issue_ = ScenarioIssue{path.string(), "", path.string() + ": " + e.what()};
  }
  return f;
}

ScenarioForm ScenarioForm::from_json(const OrderedJson& doc, std::string file) {
  ScenarioForm f;
  f.file_ = std::move(file);
  f.doc_ = doc;
  f.loaded_ = true;
  if (!doc.is_object()) {
    f.issue_ = ScenarioIssue{f.file_, "", f.file_ + ": expected a JSON object at the top level"};
    return f;
  }
  for (const auto& [k, v] : doc.items()) {
    const std::string ptr = "/" + escape_segment(k);
    if (v.is_object()) f.flatten(v, ptr, k, "", 1);
    else f.flatten(v, ptr, "", k, 1);
  }
  return f;
}

void ScenarioForm::flatten(const OrderedJson& v, const std::string& pointer, const std::string& section,
                           const std::string& label, int depth) {
  if (v.is_object() && depth < 12) {
    for (const auto& [k, x] : v.items()) {
      if (!k.empty() && k[0] == '_') continue;  // comments
      flatten(x, pointer + "/" + escape_segment(k), section, label.empty() ? k : label + "/" + k, depth + 1);
    }
    return;
  }
  if (v.is_array() && !is_scalar_array(v) && depth < 12) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      flatten(v[i], pointer + "/" + std::to_string(i), section, label + "/" + std::to_string(i), depth + 1);
    }
    return;
  }
  FormField f;
  f.pointer = pointer;
  f.section = section;
  f.label = label;
  if (v.is_boolean()) {
    f.kind = FieldKind::boolean;
    f.flag = v.get<bool>();
    f.text = f.flag ? "true" : "false";
  } else if (v.is_number_integer() || v.is_number_unsigned()) {
    f.kind = FieldKind::integer;
    f.text = v.dump();
  } else if (v.is_number()) {
    f.kind = FieldKind::number;
    f.text = number_text(v);
  } else if (v.is_string()) {
    f.text = v.get<std::string>();
    f.dimension = guess_dimension(f.text);
    f.kind = f.dimension ? FieldKind::quantity : FieldKind::text;
  } else if (v.is_array()) {
    f.kind = FieldKind::list;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) f.text += ", ";
      f.text += v[i].is_string() ? v[i].get<std::string>() : v[i].dump();
    }
  } else {
    f.kind = FieldKind::text;  // null: edited as text
  }
  const auto slash = pointer.rfind('/');
  if (f.kind == FieldKind::integer || f.kind == FieldKind::number) f.unit_hint = unit_for_key(pointer.substr(slash + 1));
  fields_.push_back(std::move(f));
}

std::vector<std::string> ScenarioForm::sections() const {
  std::vector<std::string> out;
  for (const auto& f : fields_) {
    if (std::find(out.begin(), out.end(), f.section) == out.end()) out.push_back(f.section);
  }
  return out;
}

bool ScenarioForm::set_text(std::size_t index, const std::string& text) {
  FormField& f = fields_.at(index);
  f.text = text;
  f.changed = true;
  f.error.clear();
  switch (f.kind) {
    case FieldKind::integer: {
      auto n = parse_number(text);
      if (!n || std::floor(*n) != *n) f.error = "expected a whole number";
      break;
    }
    case FieldKind::number:
      if (!parse_number(text)) f.error = "expected a number";
      break;
    case FieldKind::quantity:
      if (!parse_number(text)) {  // a bare number is the base unit, always accepted
        try {
          (void)load::parse_quantity(text, *f.dimension);
        } catch (const std::exception& e) {
          f.error = e.what();
        }
      }
      break;
    case FieldKind::text:
      break;
    case FieldKind::list:
      break;
    case FieldKind::boolean:
      if (text != "true" && text != "false") f.error = "expected true or false";
      else f.flag = text == "true";
      break;
  }
  return f.error.empty();
}

bool ScenarioForm::set_flag(std::size_t index, bool value) {
  FormField& f = fields_.at(index);
  f.flag = value;
  f.text = value ? "true" : "false";
  f.changed = true;
  f.error.clear();
  return true;
}

bool ScenarioForm::has_local_errors() const {
  for (const auto& f : fields_) {
    if (!f.error.empty() && f.changed) return true;
  }
  return false;
}

bool ScenarioForm::dirty() const {
  for (const auto& f : fields_) {
    if (f.changed) return true;
  }
  return false;
}

OrderedJson ScenarioForm::to_json() const {
  OrderedJson doc = doc_;
  for (const auto& f : fields_) {
    if (!f.changed || !f.error.empty()) continue;
    OrderedJson value;
    switch (f.kind) {
      case FieldKind::boolean: value = f.flag; break;
      case FieldKind::integer: value = static_cast<std::int64_t>(*parse_number(f.text)); break;
      case FieldKind::number: value = *parse_number(f.text); break;
      case FieldKind::quantity:
        if (auto n = parse_number(f.text)) value = *n;
        else value = f.text;
        break;
      case FieldKind::list: value = parse_list(f.text); break;
      case FieldKind::text: value = f.text; break;
    }
    doc[OrderedJson::json_pointer(f.pointer)] = value;
  }
  return doc;
}

void ScenarioForm::attach_issue(const ScenarioIssue& issue) {
  issue_ = issue;
  if (issue.pointer.empty()) return;
  // The field at the pointer, or the nearest field below or above it.
  FormField* best = nullptr;
  std::size_t best_len = 0;
  for (auto& f : fields_) {
    if (f.pointer == issue.pointer) {
      best = &f;
      break;
    }
    const bool above = issue.pointer.rfind(f.pointer + "/", 0) == 0;
    const bool below = f.pointer.rfind(issue.pointer + "/", 0) == 0;
    if ((above || below) && (!best || (above && f.pointer.size() > best_len))) {
      best = &f;
      best_len = f.pointer.size();
    }
  }
  if (best) best->error = issue.message;
}

std::optional<ScenarioIssue> ScenarioForm::validate(const load::DataPaths& data) {
  for (auto& f : fields_) {
    if (!f.changed) f.error.clear();
  }
  issue_.reset();
  try {
    const load::Document d = load::parse_json_text(to_json().dump(2), file_);
    (void)load::parse_scenario(d, data);
  } catch (const InputError& e) {
    attach_issue(ScenarioIssue{e.file(), e.pointer(), e.what()});
  } catch (const std::exception& e) {
    attach_issue(ScenarioIssue{file_, "", e.what()});
  }
  return issue_;
}

void ScenarioForm::save_as(const std::filesystem::path& path, const std::string& new_name) {
  if (path.empty() || path.extension() != ".json") {
    throw InputError(path.string(), "", "a scenario file name must end in .json");
  }
  if (std::filesystem::exists(path)) {
    throw InputError(path.string(), "", "file exists; save as a new file name");
  }
  OrderedJson doc = to_json();
  if (!new_name.empty()) doc["name"] = new_name;
  sim::write_file_atomically(path, doc.dump(2) + "\n");
}

std::vector<ScenarioEntry> list_scenarios(const std::filesystem::path& dir) {
  std::vector<ScenarioEntry> out;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return out;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_directory() && it->path().filename() == "traces") {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || it->path().extension() != ".json") continue;
    ScenarioEntry e;
    e.path = it->path();
    try {
      std::ifstream in(e.path);
      const auto j = nlohmann::ordered_json::parse(in);
      if (j.is_object()) {
        e.name = j.value("name", "");
        e.description = j.value("description", "");
        for (const auto& [k, v] : j.items()) {
          if (v.is_object()) e.sections.push_back(k);
        }
      }
    } catch (const std::exception&) {
      e.readable = false;
    }
    if (e.name.empty()) e.name = e.path.stem().string();
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), [](const ScenarioEntry& a, const ScenarioEntry& b) { return a.path < b.path; });
  return out;
}

}  // namespace cs::gui
