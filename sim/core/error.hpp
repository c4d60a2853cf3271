#pragma once
// User-facing input errors. Every error that a user can cause carries where it happened
// (file and JSON pointer when it came from a file) and what was expected, so the CLI can
// print one actionable line and exit 2, and the GUI can show it next to the field.
#include <stdexcept>
#include <string>

namespace cs {

class InputError : public std::runtime_error {
 public:
  // `file` may be empty (input not from a file); `pointer` is an RFC 6901 JSON pointer
  // ("" for the document root, or empty when not applicable).
  InputError(std::string file, std::string pointer, std::string detail);
  explicit InputError(std::string detail) : InputError({}, {}, std::move(detail)) {}

  const std::string& file() const { return file_; }
  const std::string& pointer() const { return pointer_; }
  const std::string& detail() const { return detail_; }

 private:
  std::string file_;
  std::string pointer_;
  std::string detail_;
};

// Formats "file: /json/pointer: detail", leaving out the parts that are empty.
std::string format_input_error(const std::string& file, const std::string& pointer,
                               const std::string& detail);

}  // namespace cs
