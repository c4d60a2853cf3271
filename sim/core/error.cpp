#include "sim/core/error.hpp"

#include "sim/core/assert.hpp"

namespace cs {

std::string format_input_error(const std::string& file, const std::string& pointer,
                               const std::string& detail) {
  std::string out;
  if (!file.empty()) out += file + ": ";
  if (!pointer.empty()) out += pointer + ": ";
  out += detail;
  return out;
}

InputError::InputError(std::string file, std::string pointer, std::string detail)
    : std::runtime_error(format_input_error(file, pointer, detail)),
      file_(std::move(file)),
      pointer_(std::move(pointer)),
      detail_(std::move(detail)) {}

void assertion_failed(const char* expr, const char* file, int line, const std::string& msg) {
  throw InternalError(std::string("internal error (a clustersim bug): ") + msg + " [" + expr +
                      " at " + file + ":" + std::to_string(line) + "]");
}

}  // namespace cs
