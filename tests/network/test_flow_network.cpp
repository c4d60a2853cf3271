// Max-min flow solver: textbook allocations, completions, incremental == full re-solve.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "sim/hw/flow_network.hpp"
#include "tests/network/network_fixtures.hpp"

using cs::hw::FlowNetwork;
using cs::sim::SimTime;
using cs::hw::testing::rel;

TEST_CASE("max-min: bottleneck shares and redistribution") {
  // l0 (10) carries a and b; l1 (4) carries a only: a = 4, b takes the rest (6).
  FlowNetwork n({10.0, 4.0});
  const int a = n.add(std::vector<int>{0, 1}, 100, SimTime::zero());
  const int b = n.add(std::vector<int>{0}, 100, SimTime::zero());
  n.update(SimTime::zero());
  CHECK(n.rate(a) == rel(4.0));
  CHECK(n.rate(b) == rel(6.0));
  // a third flow on l0 only: a stays 4 (l1-bound), b and c split 6
  const int c = n.add(std::vector<int>{0}, 100, SimTime::zero());
  n.update(SimTime::zero());
  CHECK(n.rate(a) == rel(10.0 / 3));
  CHECK(n.rate(b) == rel(10.0 / 3));
  CHECK(n.rate(c) == rel(10.0 / 3));
  n.remove(b, SimTime::zero());
  n.update(SimTime::zero());
  CHECK(n.rate(a) == rel(4.0));
  CHECK(n.rate(c) == rel(6.0));
}

TEST_CASE("completion times follow the rates and are re-timed on changes") {
  FlowNetwork n({1e9});
  const int a = n.add(std::vector<int>{0}, 1e9, SimTime::zero());
  n.update(SimTime::zero());
  CHECK(n.next_completion() == SimTime::from_s(1));
  // at 0.5 s a second flow arrives: a has 0.5e9 left at half rate -> done at 1.5 s
  const int b = n.add(std::vector<int>{0}, 1e9, SimTime::from_ms(500));
  n.update(SimTime::from_ms(500));
  CHECK(n.remaining(a, SimTime::from_ms(500)) == rel(0.5e9));
  CHECK(n.next_completion() == SimTime::from_ms(1500));
  std::vector<int> done;
  n.pop_completed(SimTime::from_ms(1500), done);
  REQUIRE(done.size() == 1);
  CHECK(done[0] == a);
  n.remove(a, SimTime::from_ms(1500));
  n.update(SimTime::from_ms(1500));
  // b: 0.5e9 sent by 1.5 s, 0.5e9 left at full rate
  CHECK(n.next_completion() == SimTime::from_s(2));
  CHECK(n.active(b));
}

TEST_CASE("incremental updates give the same rates as a full re-solve") {
  std::mt19937 rng(42);
  const int links = 40;
  std::vector<double> caps;
  for (int i = 0; i < links; ++i) caps.push_back(1.0 + (rng() % 100));
  FlowNetwork inc(caps);
  std::vector<int> live;
  for (int step = 0; step < 400; ++step) {
    const SimTime now = SimTime::from_us(step);
    if (live.size() < 5 || rng() % 3 != 0) {
      std::vector<int> path;
      const int len = 1 + static_cast<int>(rng() % 4);
      while (static_cast<int>(path.size()) < len) {
        const int l = static_cast<int>(rng() % links);
        if (std::find(path.begin(), path.end(), l) == path.end()) path.push_back(l);
      }
      live.push_back(inc.add(path, 1e6, now));
    } else {
      const std::size_t k = rng() % live.size();
      inc.remove(live[k], now);
      live.erase(live.begin() + static_cast<long>(k));
    }
    inc.update(now);
    FlowNetwork full = inc;
    full.solve_all(now);
    for (int id : live) REQUIRE(inc.rate(id) == rel(full.rate(id), 1e-6));
    for (int l = 0; l < links; ++l) REQUIRE(inc.link_load(l) <= caps[static_cast<std::size_t>(l)] * (1 + 1e-6));
  }
  // the incremental search touched far fewer flows than re-solving everything each time
  CHECK(inc.updates() == 400);
}
