#pragma once
// Handler: a non-owning, trivially copyable delegate that an event calls when it fires.
//
// It binds a member function (or a free function) at compile time, so dispatch is one
// direct call through a generated thunk: no virtual call, no heap allocation, no
// std::function. The bound object must outlive every event scheduled with the handler;
// components own their handlers and cancel their events before they die.
#include <cstdint>

#include "sim/core/time.hpp"

namespace cs::sim {

struct EventId {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;  // 0 never names a live event
  constexpr bool valid() const { return generation != 0; }
  constexpr bool operator==(const EventId&) const = default;
};

// What a handler receives: the firing time (== engine.now()), the payload given at
// scheduling time, and the event's own id.
struct Event {
  SimTime time;
  std::uint64_t payload = 0;
  EventId id;
};

class Handler {
 public:
  constexpr Handler() = default;

  // Handler::member<&Component::on_event>(component) calls component.on_event(event).
  template <auto Method, class T>
  static constexpr Handler member(T& object) {
    return Handler(&member_thunk<Method, T>, static_cast<void*>(&object));
  }
  // Handler::function<&on_event>() calls on_event(event).
  template <void (*Fn)(const Event&)>
  static constexpr Handler function() {
    return Handler(&function_thunk<Fn>, nullptr);
  }

  void operator()(const Event& e) const { thunk_(target_, e); }
  constexpr explicit operator bool() const { return thunk_ != nullptr; }

 private:
  // The object pointer is type-erased only inside this class; the thunk restores the
  // exact type it was created with, so no caller ever sees or casts a void*.
  using Thunk = void (*)(void*, const Event&);
  constexpr Handler(Thunk thunk, void* target) : thunk_(thunk), target_(target) {}

  template <auto Method, class T>
  static void member_thunk(void* target, const Event& e) {
    (static_cast<T*>(target)->*Method)(e);
  }
  template <void (*Fn)(const Event&)>
  static void function_thunk(void*, const Event& e) {
    Fn(e);
  }

  Thunk thunk_ = nullptr;
  void* target_ = nullptr;
};

}  // namespace cs::sim
