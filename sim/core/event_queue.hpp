#pragma once
// EventQueue: the pending-event set of one Engine.
//
// Order: total, by (time, priority, insertion sequence), so equal-time events run in a
// fixed order and a seed fully determines a run.
//
// Structure: an implicit 4-ary min-heap of 16-byte keys, laid out so the four children of a
// node share one 64-byte cache line. A key is {time, order} with
//   order = priority (4 bits) | sequence (32 bits) | slot (28 bits),
// so every comparison is two integer compares inside the key, ties included. The event
// bodies (handler, payload) live in a slot array reused LIFO through a free list. When the
// 32-bit sequence runs out, the pending keys are renumbered in their existing order, which
// leaves the heap valid: the order stays exactly (time, priority, insertion sequence).
// push and pop are O(log4 n), with no allocation once capacity is reached (reserve()).
// Limits: 2^28 (268 million) pending events.
// cancel() is O(1): it retires the slot's generation and the stale key is dropped when it
// surfaces; when stale keys exceed half the heap, the heap is rebuilt in O(n), so memory
// stays bounded by twice the live events.
//
// Deferred pop: pop_for_execution() leaves the fired key at the root, and the next push()
// overwrites it with a single sift-down. A handler that schedules one follow-up event
// (the common case: a timer, a flow, a step) thus costs one heap operation, not two.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/core/handler.hpp"

namespace cs::sim {

// Lower runs first among events at the same time.
enum class Priority : std::uint8_t { first = 0, high = 4, normal = 8, low = 12, last = 15 };

class EventQueue {
 public:
  EventQueue();
  ~EventQueue();
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  EventId push(SimTime time, Priority priority, Handler handler, std::uint64_t payload);
  // True if the event was pending and is now cancelled; false if it already fired, was
  // cancelled before, or the id is stale.
  bool cancel(EventId id);
  bool is_pending(EventId id) const;

  std::size_t size() const { return live_; }
  bool empty() const { return live_ == 0; }
  // Time of the earliest pending event; SimTime::max() when empty.
  SimTime next_time();

  // Takes the earliest pending event out of the queue for execution. Returns false when
  // the queue is empty. The key stays at the heap root until the next push or pop.
  bool pop_for_execution(Event& event, Handler& handler);

  void reserve(std::size_t events);
  void clear();

  std::uint64_t pushed_total() const { return pushed_total_; }
  // Keys held, live and cancelled-but-not-yet-dropped (for tests and diagnostics).
  std::size_t keys_held() const { return size_; }

 private:
  struct Key {
    std::int64_t time;
    std::uint64_t order;
  };
  struct Slot {
    Handler handler;
    std::uint64_t payload = 0;
    std::uint32_t generation = 1;
    std::uint32_t next_free = kNoSlot;
    bool pending = false;
  };
  static constexpr std::uint32_t kNoSlot = 0xffffffffu;
  static constexpr std::size_t kArity = 4;
  static constexpr unsigned kSlotBits = 28;
  static constexpr unsigned kSeqBits = 32;
  static constexpr std::uint64_t kSlotMask = (std::uint64_t{1} << kSlotBits) - 1;
  static constexpr std::uint64_t kSeqMask = (std::uint64_t{1} << kSeqBits) - 1;

  // One 128-bit unsigned comparison (cmp + sbb): branch-free, so the unpredictable
  // child selections in sift_down compile to conditional moves. Times in the queue are
  // never negative (events are not scheduled before time zero), so the unsigned view of
  // the time orders correctly.
  static bool before(const Key& a, const Key& b) {
    __extension__ using U128 = unsigned __int128;
    const U128 ka = (static_cast<U128>(static_cast<std::uint64_t>(a.time)) << 64) | a.order;
    const U128 kb = (static_cast<U128>(static_cast<std::uint64_t>(b.time)) << 64) | b.order;
    return ka < kb;
  }
  static std::uint32_t slot_of(const Key& k) { return static_cast<std::uint32_t>(k.order & kSlotMask); }
  void reserve_keys(std::size_t keys);
  void renumber();
  void sift_up(std::size_t i, Key k);
  void sift_down(std::size_t i, Key k);
  void settle();              // performs a deferred pop
  void drop_stale_root();     // removes cancelled keys at the root
  void remove_root();
  void release_slot(std::uint32_t slot);
  std::uint32_t acquire_slot();
  void rebuild();

  // keys_ points 3 keys past a 64-byte aligned block, so the children 4i+1..4i+4 of any
  // node i start on a cache-line boundary.
  Key* keys_ = nullptr;
  Key* block_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
  std::vector<Slot> slots_;
  std::uint32_t free_head_ = kNoSlot;
  std::uint64_t next_seq_ = 0;     // within the current numbering epoch
  std::uint64_t pushed_total_ = 0;
  std::size_t live_ = 0;
  std::size_t stale_ = 0;       // cancelled keys still in the heap
  bool root_fired_ = false;     // heap_[0] is an executed event awaiting removal
};

}  // namespace cs::sim
