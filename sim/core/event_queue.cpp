#include "sim/core/event_queue.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <vector>

#include "sim/core/assert.hpp"

namespace cs::sim {

namespace {
constexpr std::align_val_t kLine{64};
constexpr std::size_t kPad = 3;  // keys before index 0, so children groups align
}  // namespace

EventQueue::EventQueue() = default;

EventQueue::~EventQueue() { ::operator delete[](block_, kLine); }

void EventQueue::reserve(std::size_t events) {
  slots_.reserve(events);
  reserve_keys(events);
}

void EventQueue::reserve_keys(std::size_t events) {
  if (events <= capacity_) return;
  static_assert(sizeof(Key) == 16, "heap keys must stay 16 bytes");
  auto* block = static_cast<Key*>(::operator new[]((events + kPad) * sizeof(Key), kLine));
  if (size_ > 0) std::memcpy(static_cast<void*>(block + kPad), keys_, size_ * sizeof(Key));
  ::operator delete[](block_, kLine);
  block_ = block;
  keys_ = block + kPad;
  capacity_ = events;
}

void EventQueue::clear() {
  size_ = 0;
  slots_.clear();
  free_head_ = kNoSlot;
  live_ = 0;
  stale_ = 0;
  root_fired_ = false;
}

std::uint32_t EventQueue::acquire_slot() {
  if (free_head_ != kNoSlot) {
    const std::uint32_t s = free_head_;
    free_head_ = slots_[s].next_free;
    return s;
  }
  CS_ASSERT(slots_.size() < kSlotMask, "EventQueue: more than 2^28 pending events");
  slots_.emplace_back();
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

void EventQueue::release_slot(std::uint32_t s) {
  Slot& slot = slots_[s];
  slot.pending = false;
  // Generation 0 is reserved for "no event", so skip it on wrap-around.
  if (++slot.generation == 0) slot.generation = 1;
  slot.next_free = free_head_;
  free_head_ = s;
}

EventId EventQueue::push(SimTime time, Priority priority, Handler handler, std::uint64_t payload) {
  CS_DEBUG_ASSERT(static_cast<bool>(handler), "EventQueue::push: empty handler");
  CS_DEBUG_ASSERT(static_cast<unsigned>(priority) < 16, "EventQueue::push: priority out of range");
  CS_DEBUG_ASSERT(time >= SimTime::zero(), "EventQueue::push: negative time");
  if (next_seq_ > kSeqMask) renumber();
  if (!root_fired_ && size_ == capacity_) reserve_keys(capacity_ < 64 ? 64 : capacity_ * 2);
  const std::uint32_t s = acquire_slot();
  Slot& slot = slots_[s];
  slot.handler = handler;
  slot.payload = payload;
  slot.pending = true;
  const Key key{time.ns(), (static_cast<std::uint64_t>(priority) << (kSeqBits + kSlotBits)) |
                               (next_seq_++ << kSlotBits) | s};
  ++pushed_total_;
  ++live_;
  if (root_fired_) {
    // Reuse the fired root's place: one sift-down instead of a pop plus a push.
    root_fired_ = false;
    sift_down(0, key);
  } else {
    ++size_;
    sift_up(size_ - 1, key);
  }
  return EventId{s, slot.generation};
}

bool EventQueue::is_pending(EventId id) const {
  return id.valid() && id.slot < slots_.size() && slots_[id.slot].generation == id.generation &&
         slots_[id.slot].pending;
}

bool EventQueue::cancel(EventId id) {
  if (!is_pending(id)) return false;
  Slot& slot = slots_[id.slot];
  slot.pending = false;
  slot.handler = Handler();
  --live_;
  ++stale_;
  // The slot itself is released when its key leaves the heap. Rebuild when stale keys
  // dominate, so cancel-heavy components (flow re-timing) cannot grow the heap unboundedly.
  if (stale_ > 64 && stale_ * 2 > size_) rebuild();
  return true;
}

void EventQueue::sift_up(std::size_t i, Key k) {
  while (i > 0) {
    const std::size_t parent = (i - 1) / kArity;
    if (!before(k, keys_[parent])) break;
    keys_[i] = keys_[parent];
    i = parent;
  }
  keys_[i] = k;
}

void EventQueue::sift_down(std::size_t i, Key k) {
  const std::size_t n = size_;
  for (;;) {
    const std::size_t first = i * kArity + 1;
    if (first >= n) break;
    std::size_t best = first;
    // Fetch the four grandchild groups while this level's comparisons run.
    const std::size_t grand = first * kArity + 1;
    if (grand < n) {
      for (std::size_t g = 0; g < kArity * kArity && grand + g < n; g += kArity) __builtin_prefetch(&keys_[grand + g]);
    }
    if (first + kArity <= n) {
      // Full group: the common case, unrolled.
      const std::size_t a = before(keys_[first + 1], keys_[first]) ? first + 1 : first;
      const std::size_t b = before(keys_[first + 3], keys_[first + 2]) ? first + 3 : first + 2;
      best = before(keys_[b], keys_[a]) ? b : a;
    } else {
      for (std::size_t c = first + 1; c < n; ++c) {
        if (before(keys_[c], keys_[best])) best = c;
      }
    }
    if (!before(keys_[best], k)) break;
    keys_[i] = keys_[best];
    i = best;
  }
  keys_[i] = k;
}

void EventQueue::remove_root() {
  const Key last = keys_[--size_];
  if (size_ > 0) sift_down(0, last);
}

void EventQueue::settle() {
  if (!root_fired_) return;
  root_fired_ = false;
  remove_root();
}

void EventQueue::drop_stale_root() {
  while (size_ > 0 && !slots_[slot_of(keys_[0])].pending) {
    release_slot(slot_of(keys_[0]));
    --stale_;
    remove_root();
  }
}

void EventQueue::rebuild() {
  settle();
  std::size_t out = 0;
  for (std::size_t i = 0; i < size_; ++i) {
    if (slots_[slot_of(keys_[i])].pending) {
      keys_[out++] = keys_[i];
    } else {
      release_slot(slot_of(keys_[i]));
    }
  }
  size_ = out;
  stale_ = 0;
  if (size_ > 1) {
    for (std::size_t i = (size_ - 2) / kArity + 1; i-- > 0;) sift_down(i, keys_[i]);
  }
}

void EventQueue::renumber() {
  // Give the pending keys sequences 0..n-1 in their current order. Relative order is
  // unchanged, so every parent still precedes its children and the heap needs no repair.
  settle();
  std::vector<std::pair<std::uint64_t, std::size_t>> by_seq;
  by_seq.reserve(size_);
  for (std::size_t i = 0; i < size_; ++i) by_seq.emplace_back((keys_[i].order >> kSlotBits) & kSeqMask, i);
  std::sort(by_seq.begin(), by_seq.end());
  const std::uint64_t keep = ~((kSeqMask << kSlotBits));
  for (std::size_t r = 0; r < by_seq.size(); ++r) {
    Key& k = keys_[by_seq[r].second];
    k.order = (k.order & keep) | (static_cast<std::uint64_t>(r) << kSlotBits);
  }
  next_seq_ = by_seq.size();
}

SimTime EventQueue::next_time() {
  settle();
  drop_stale_root();
  return size_ == 0 ? SimTime::max() : SimTime::from_ns(keys_[0].time);
}

bool EventQueue::pop_for_execution(Event& event, Handler& handler) {
  settle();
  drop_stale_root();
  if (size_ == 0) return false;
  const Key& k = keys_[0];
  const std::uint32_t s = slot_of(k);
  Slot& slot = slots_[s];
  event.time = SimTime::from_ns(k.time);
  event.payload = slot.payload;
  event.id = EventId{s, slot.generation};
  handler = slot.handler;
  release_slot(s);
  // One of the root's children becomes the next root: start fetching their slot bodies
  // now, while the handler runs, to hide the cache miss of the next pop.
  for (std::size_t c = 1; c <= kArity && c < size_; ++c) __builtin_prefetch(&slots_[slot_of(keys_[c])]);
  --live_;
  root_fired_ = true;
  return true;
}

}  // namespace cs::sim
