#pragma once
// The Scenarios view's editor model: a scenario file's settings as a flat list of form
// fields (one per JSON leaf, grouped by section), each edited as text and checked as it is
// typed: numbers must be numbers, quantities must parse in the same dimension as the value
// they replace ("80GiB" stays bytes, "$2.10/h" stays a money rate). Then the whole document
// is checked by the library's own scenario loader (what `clustersim check` runs), and its
// error, which names a JSON pointer, is shown next to that field. Save-as writes a new file.
// No ImGui here.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loaders/data_paths.hpp"
#include "loaders/units.hpp"

namespace cs::gui {

using OrderedJson = nlohmann::ordered_json;

enum class FieldKind { text, integer, number, boolean, quantity, list };

struct FormField {
  std::string pointer;  // RFC 6901, "/cluster/accelerators"
  std::string section;  // first path segment, "" for top-level keys
  std::string label;    // path below the section, "fabric/oversubscription"
  FieldKind kind = FieldKind::text;
  std::optional<load::Dimension> dimension;  // for quantities
  std::string unit_hint;  // shown beside plain numbers whose key names a unit ("_s" -> s)
  std::string text;       // the edit buffer
  bool flag = false;      // for booleans
  std::string error;      // local check or the loader's message for this pointer
  bool changed = false;
};

struct ScenarioIssue {
  std::string file;
  std::string pointer;
  std::string message;  // full "file: /pointer: detail"
};

class ScenarioForm {
 public:
  ScenarioForm() = default;
  // Reads a scenario file. Syntax errors (line and column) come back as the issue, with an
  // empty form; the app keeps running.
  static ScenarioForm open(const std::filesystem::path& path);
  static ScenarioForm from_json(const OrderedJson& doc, std::string file);

  const std::string& file() const { return file_; }
  bool loaded() const { return loaded_; }
  std::vector<FormField>& fields() { return fields_; }
  const std::vector<FormField>& fields() const { return fields_; }
  std::vector<std::string> sections() const;

  // Sets a field's text (or flag) and checks it locally; returns true when it is valid.
  bool set_text(std::size_t index, const std::string& text);
  bool set_flag(std::size_t index, bool value);
  bool has_local_errors() const;
  bool dirty() const;

  // The document with every valid edit applied.
  OrderedJson to_json() const;
  // Runs the library's scenario loader on to_json(); the error (if any) is attached to the
  // field whose pointer matches (or its nearest enclosing field) and returned.
  std::optional<ScenarioIssue> validate(const load::DataPaths& data);
  // The issue found when opening or validating last (syntax or loader error).
  const std::optional<ScenarioIssue>& issue() const { return issue_; }

  // Writes to_json() to `path`, which must not exist yet (save as *new* file); sets "name"
  // to `new_name` when given. Throws cs::InputError on a bad path or existing file.
  void save_as(const std::filesystem::path& path, const std::string& new_name = {});

 private:
  void flatten(const OrderedJson& v, const std::string& pointer, const std::string& section,
               const std::string& label, int depth);
  void attach_issue(const ScenarioIssue& issue);

  std::string file_;
  bool loaded_ = false;
  OrderedJson doc_;
  std::vector<FormField> fields_;
  std::optional<ScenarioIssue> issue_;
};

// Which dimension a unit string belongs to, trying each in a fixed order; nullopt for
// plain text. Used to type a field from the value it holds.
std::optional<load::Dimension> guess_dimension(const std::string& text);

// Scenario files under `dir` (recursively, *.json, skipping traces/), sorted by path, with
// their "name" and "description" read leniently for the browser list.
struct ScenarioEntry {
  std::filesystem::path path;
  std::string name;
  std::string description;
  std::vector<std::string> sections;  // top-level sections present
  bool readable = true;               // false when the file is not valid JSON
};
std::vector<ScenarioEntry> list_scenarios(const std::filesystem::path& dir);

}  // namespace cs::gui
