#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <tuple>
#include <vector>

#include "sim/core/event_queue.hpp"
#include "sim/core/random.hpp"

using namespace cs::sim;

namespace {
void noop(const Event&) {}
const Handler kNoop = Handler::function<&noop>();

// Pops everything, returning payloads in execution order.
std::vector<std::uint64_t> drain(EventQueue& q) {
  std::vector<std::uint64_t> out;
  Event e;
  Handler h;
  while (q.pop_for_execution(e, h)) out.push_back(e.payload);
  return out;
}
}  // namespace

TEST_CASE("events come out by time, then priority, then insertion order") {
  EventQueue q;
  q.push(SimTime::from_ns(10), Priority::normal, kNoop, 1);
  q.push(SimTime::from_ns(5), Priority::normal, kNoop, 2);
  q.push(SimTime::from_ns(10), Priority::high, kNoop, 3);
  q.push(SimTime::from_ns(10), Priority::normal, kNoop, 4);
  q.push(SimTime::from_ns(10), Priority::low, kNoop, 5);
  q.push(SimTime::from_ns(0), Priority::last, kNoop, 6);
  CHECK(q.size() == 6);
  CHECK(drain(q) == std::vector<std::uint64_t>{6, 2, 3, 1, 4, 5});
  CHECK(q.empty());
}

TEST_CASE("cancel removes exactly the named event, once") {
  EventQueue q;
  const EventId a = q.push(SimTime::from_ns(1), Priority::normal, kNoop, 1);
  const EventId b = q.push(SimTime::from_ns(2), Priority::normal, kNoop, 2);
  const EventId c = q.push(SimTime::from_ns(3), Priority::normal, kNoop, 3);
  CHECK(q.cancel(b));
  CHECK_FALSE(q.cancel(b));
  CHECK_FALSE(q.is_pending(b));
  CHECK(q.is_pending(a));
  CHECK(q.size() == 2);
  CHECK(q.next_time() == SimTime::from_ns(1));
  CHECK(drain(q) == std::vector<std::uint64_t>{1, 3});
  CHECK_FALSE(q.cancel(a));  // already fired
  CHECK_FALSE(q.cancel(c));
  CHECK_FALSE(q.cancel(EventId{}));
}

TEST_CASE("a stale id never cancels the event that reuses its slot") {
  EventQueue q;
  const EventId a = q.push(SimTime::from_ns(1), Priority::normal, kNoop, 1);
  drain(q);
  const EventId b = q.push(SimTime::from_ns(2), Priority::normal, kNoop, 2);
  CHECK(a.slot == b.slot);
  CHECK_FALSE(q.cancel(a));
  CHECK(q.is_pending(b));
}

TEST_CASE("queue matches a reference ordered set under random pushes, pops and cancels") {
  EventQueue q;
  RandomStream rng(7);
  using Ref = std::tuple<std::int64_t, int, std::uint64_t>;  // time, priority, sequence
  std::set<Ref> ref;
  std::vector<std::pair<EventId, Ref>> ids;
  std::uint64_t seq = 0;
  std::int64_t now = 0;
  for (int step = 0; step < 200000; ++step) {
    const double u = rng.uniform();
    if (u < 0.5) {
      const std::int64_t t = now + static_cast<std::int64_t>(rng.uniform_index(50));
      const int pr = static_cast<int>(rng.uniform_index(3)) * 4;
      const Ref r{t, pr, seq};
      ids.emplace_back(q.push(SimTime::from_ns(t), static_cast<Priority>(pr), kNoop, seq), r);
      ref.insert(r);
      ++seq;
    } else if (u < 0.65 && !ids.empty()) {
      const std::size_t k = rng.uniform_index(ids.size());
      const bool was = ref.erase(ids[k].second) > 0;
      CHECK(q.cancel(ids[k].first) == was);
      ids[k] = ids.back();
      ids.pop_back();
    } else {
      Event e;
      Handler h;
      const bool got = q.pop_for_execution(e, h);
      REQUIRE(got == !ref.empty());
      if (!got) continue;
      const Ref expect = *ref.begin();
      ref.erase(ref.begin());
      CHECK(e.payload == std::get<2>(expect));
      CHECK(e.time.ns() == std::get<0>(expect));
      now = e.time.ns();
    }
    REQUIRE(q.size() == ref.size());
  }
}

TEST_CASE("heavy cancellation keeps the heap bounded") {
  EventQueue q;
  std::vector<EventId> ids;
  for (int round = 0; round < 100; ++round) {
    for (int i = 0; i < 1000; ++i) ids.push_back(q.push(SimTime::from_ns(1000 + i), Priority::normal, kNoop, 0));
    for (auto id : ids) q.cancel(id);
    ids.clear();
    CHECK(q.keys_held() <= 2 * q.size() + 130);
  }
  CHECK(q.size() == 0);
  CHECK(q.next_time() == SimTime::max());
  q.push(SimTime::from_ns(5), Priority::normal, kNoop, 42);
  CHECK(drain(q) == std::vector<std::uint64_t>{42});
}
