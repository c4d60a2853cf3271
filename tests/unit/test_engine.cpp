#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "sim/core/assert.hpp"
#include "sim/core/engine.hpp"
#include "sim/core/random.hpp"

using namespace cs::sim;

namespace {

// A component that re-arms itself: each firing records the time and schedules the next
// firing after an exponential delay (the classic hold model).
struct Hold {
  Engine& engine;
  RandomStream rng;
  double mean_ns;
  std::uint64_t fired = 0;
  std::uint64_t checksum = 0;

  void on_fire(const Event& e) {
    ++fired;
    checksum = checksum * 1099511628211ULL + static_cast<std::uint64_t>(e.time.ns()) + e.payload;
    const auto delay = SimTime::from_seconds_ceil(rng.exponential(mean_ns) * 1e-9);
    engine.schedule_in(delay, Handler::member<&Hold::on_fire>(*this), e.payload);
  }
};

std::uint64_t run_hold(std::uint64_t seed, int pending, std::uint64_t events) {
  Engine engine;
  Hold hold{engine, RandomStream::derive(seed, "hold"), 1000.0};
  for (int i = 0; i < pending; ++i) {
    engine.schedule_at(SimTime::from_ns(static_cast<std::int64_t>(hold.rng.uniform_index(1000))),
                       Handler::member<&Hold::on_fire>(hold), static_cast<std::uint64_t>(i));
  }
  engine.run(SimTime::max(), events);
  // Every event re-arms once, so the pending count is invariant; fold both into the result.
  return hold.checksum ^ (engine.events_executed() << 1) ^ (engine.pending() << 33);
}

struct Recorder {
  std::vector<std::uint64_t> seen;
  void on_event(const Event& e) { seen.push_back(e.payload); }
};

}  // namespace

TEST_CASE("engine runs events in order and advances time") {
  Engine engine;
  Recorder r;
  const auto h = Handler::member<&Recorder::on_event>(r);
  engine.schedule_at(SimTime::from_ns(30), h, 3);
  engine.schedule_at(SimTime::from_ns(10), h, 1);
  engine.schedule_at(SimTime::from_ns(20), h, 2);
  CHECK(engine.run() == StopReason::queue_empty);
  CHECK(r.seen == std::vector<std::uint64_t>{1, 2, 3});
  CHECK(engine.now() == SimTime::from_ns(30));
  CHECK(engine.events_executed() == 3);
}

TEST_CASE("run stops at a time limit and resumes") {
  Engine engine;
  Recorder r;
  const auto h = Handler::member<&Recorder::on_event>(r);
  engine.schedule_at(SimTime::from_ns(10), h, 1);
  engine.schedule_at(SimTime::from_ns(100), h, 2);
  CHECK(engine.run(SimTime::from_ns(50)) == StopReason::time_limit);
  CHECK(engine.now() == SimTime::from_ns(50));
  CHECK(r.seen.size() == 1);
  CHECK(engine.run() == StopReason::queue_empty);
  CHECK(r.seen.size() == 2);
}

TEST_CASE("stop() ends the run after the current event; cancel prevents firing") {
  struct Stopper {
    Engine& engine;
    int count = 0;
    void on_event(const Event&) {
      if (++count == 2) engine.stop();
    }
  };
  Engine engine;
  Stopper s{engine};
  const auto h = Handler::member<&Stopper::on_event>(s);
  for (int i = 0; i < 5; ++i) engine.schedule_at(SimTime::from_ns(i), h);
  const EventId doomed = engine.schedule_at(SimTime::from_ns(10), h);
  CHECK(engine.run() == StopReason::stopped);
  CHECK(s.count == 2);
  CHECK(engine.cancel(doomed));
  CHECK(engine.run() == StopReason::queue_empty);
  CHECK(s.count == 5);
}

TEST_CASE("scheduling into the past is a bug and is reported") {
  Engine engine;
  Recorder r;
  engine.schedule_at(SimTime::from_ns(10), Handler::member<&Recorder::on_event>(r));
  engine.run();
  CHECK_THROWS_AS(engine.schedule_at(SimTime::from_ns(5), Handler::member<&Recorder::on_event>(r)),
                  cs::InternalError);
}

TEST_CASE("handler that schedules several events and cancels others keeps order") {
  struct Fan {
    Engine& engine;
    std::vector<std::int64_t> times;
    EventId victim;
    void on_event(const Event& e) {
      times.push_back(e.time.ns());
      if (e.payload == 0) {
        engine.schedule_in(SimTime::from_ns(5), Handler::member<&Fan::on_event>(*this), 1);
        engine.schedule_in(SimTime::from_ns(1), Handler::member<&Fan::on_event>(*this), 1);
        victim = engine.schedule_in(SimTime::from_ns(3), Handler::member<&Fan::on_event>(*this), 1);
        engine.cancel(victim);
      }
    }
  };
  Engine engine;
  Fan f{engine, {}, {}};
  engine.schedule_at(SimTime::from_ns(10), Handler::member<&Fan::on_event>(f), 0);
  engine.schedule_at(SimTime::from_ns(12), Handler::member<&Fan::on_event>(f), 2);
  engine.run();
  CHECK(f.times == std::vector<std::int64_t>{10, 11, 12, 15});
}

TEST_CASE("same seed gives the same run; a different seed does not") {
  const auto a = run_hold(42, 1000, 100000);
  const auto b = run_hold(42, 1000, 100000);
  const auto c = run_hold(43, 1000, 100000);
  CHECK(a == b);
  CHECK(a != c);
}

TEST_CASE("engines on concurrent threads give the same results as run alone") {
  std::vector<std::uint64_t> alone;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) alone.push_back(run_hold(seed, 500, 50000));
  std::vector<std::uint64_t> threaded(4);
  {
    std::vector<std::thread> threads;
    for (std::uint64_t t = 0; t < 2; ++t) {
      threads.emplace_back([&threaded, t] {
        for (std::uint64_t seed = 1 + t; seed <= 4; seed += 2) {
          threaded[seed - 1] = run_hold(seed, 500, 50000);
        }
      });
    }
    for (auto& th : threads) th.join();
  }
  CHECK(threaded == alone);
}
