#pragma once
// Two kinds of error (docs/architecture.md): a broken invariant is our bug and raises
// cs::InternalError through CS_ASSERT; bad input is the user's and raises cs::InputError
// (sim/core/error.hpp). Neither ever exits the process: the GUI and planner must survive.
#include <stdexcept>
#include <string>

namespace cs {

class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] void assertion_failed(const char* expr, const char* file, int line, const std::string& msg);

}  // namespace cs

// Always-on check for invariants that are cheap relative to the work around them.
#define CS_ASSERT(cond, msg)                                              \
  do {                                                                    \
    if (!(cond)) [[unlikely]]                                             \
      ::cs::assertion_failed(#cond, __FILE__, __LINE__, (msg));           \
  } while (false)

// Hot-path check, compiled out of release builds.
#ifdef NDEBUG
#define CS_DEBUG_ASSERT(cond, msg) \
  do {                             \
  } while (false)
#else
#define CS_DEBUG_ASSERT(cond, msg) CS_ASSERT(cond, msg)
#endif
