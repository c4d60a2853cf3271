#pragma once
// Message building for the network layer (sim/ does not link a formatting library).
#include <sstream>
#include <string>

namespace cs::hw::detail {

// Concatenates the arguments as an ostream would print them.
template <class... Args>
std::string cat(const Args&... args) {
  std::ostringstream out;
  (out << ... << args);
  return out.str();
}

}  // namespace cs::hw::detail
