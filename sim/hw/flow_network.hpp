#pragma once
// FlowNetwork: flows on fixed paths through capacitated links, sharing bandwidth max-min
// fairly, with incremental recomputation. No engine and no topology knowledge: NetworkSim
// drives it; benchmarks and tests use it directly.
//
// Model. A flow has a path (link ids), a size in bytes and a rate. Rates are the max-min
// fair allocation (progressive filling): no flow can get more without taking from a flow
// with an equal or smaller rate on a saturated link.
//
// Incremental update. Changes (flows added or removed) are queued and applied by update().
// Only flows whose rate can change are re-solved. A change on a link reaches the flows
// *bottlenecked* there (frozen at that link by the last solve); from an affected flow it
// spreads, transitively, to the flows bottlenecked at its saturated links (an unsaturated
// link passes nothing on, and a flow limited elsewhere keeps its rate unless this link's
// share falls below it). The affected set is solved with the capacity the other flows
// leave; then each link it touched is checked: an outside flow faster than every affected
// flow on a link that became saturated, or an outside flow bottlenecked at a link that now
// has capacity left, would not be max-min, so it joins and the set is solved again. The
// outcome equals a full re-solve (tests compare them, including after long random
// sequences); the work is proportional to the affected set, a subset of the flows that
// share links with the change, transitively.
//
// Completion times. Each flow's remaining bytes are settled lazily (only when its rate
// changes); a min-heap of (completion time, flow, version) gives the next completion.
// Times are integer nanoseconds (SimTime); a completion is rounded up to the next ns.
#include <cstdint>
#include <queue>
#include <span>
#include <vector>

#include "sim/core/time.hpp"

namespace cs::hw {

class FlowNetwork {
 public:
  explicit FlowNetwork(std::vector<double> capacities);

  // Queues a flow (bytes > 0, non-empty path); its rate is 0 until update(). Returns its id
  // (ids are reused after remove()).
  int add(std::span<const int> path, double bytes, sim::SimTime now);
  // Queues the removal of an active flow (completed or cancelled).
  void remove(int id, sim::SimTime now);
  // Applies queued changes: incremental max-min re-solve of the affected flows.
  void update(sim::SimTime now);
  // Re-solves every active flow from scratch (benchmarks; tests compare with update()).
  void solve_all(sim::SimTime now);

  // Next completion (SimTime::max() when none) and the flows completing at that time.
  sim::SimTime next_completion();
  // Pops the flows whose completion time is <= now into `out` (they stay active until
  // remove()).
  void pop_completed(sim::SimTime now, std::vector<int>& out);

  bool active(int id) const { return id >= 0 && id < static_cast<int>(flows_.size()) && flows_[static_cast<std::size_t>(id)].active; }
  double rate(int id) const { return flows_[static_cast<std::size_t>(id)].rate; }
  double remaining(int id, sim::SimTime now) const;
  std::span<const int> path(int id) const { return flows_[static_cast<std::size_t>(id)].path; }
  std::size_t active_flows() const { return active_count_; }
  int links() const { return static_cast<int>(links_.size()); }
  double link_load(int link) const { return links_[static_cast<std::size_t>(link)].load; }
  double link_capacity(int link) const { return links_[static_cast<std::size_t>(link)].capacity; }
  // Active flows per link (adaptive routing reads it).
  std::span<const int> link_flow_counts() const { return flow_counts_; }

  std::uint64_t updates() const { return updates_; }
  std::uint64_t flows_resolved() const { return flows_resolved_; }  // summed affected-set sizes

 private:
  struct Flow {
    std::vector<int> path;
    std::vector<int> slot;      // position of this flow in each path link's list
    double remaining = 0;       // bytes at `settled`
    double rate = 0;            // bytes/s
    double new_rate = 0;        // scratch for solves
    sim::SimTime settled;
    std::uint32_t version = 0;
    std::uint32_t mark = 0;     // epoch of the affected-set search
    int bottleneck = -1;        // link where the last solve froze this flow
    bool active = false;
    bool frozen = false;        // scratch for solves
  };
  struct LinkState {
    double capacity = 0;
    double load = 0;            // sum of the rates of its flows
    double residual = 0;        // scratch
    int unfrozen = 0;           // scratch
    std::uint32_t mark = 0;     // epoch: in the current link set
    std::uint32_t seed = 0;     // epoch: a removed flow crossed it (its flows always join)
    std::vector<int> flows;
  };
  struct Completion {
    std::int64_t time;
    int flow;
    std::uint32_t version;
    bool operator>(const Completion& o) const { return time != o.time ? time > o.time : flow > o.flow; }
  };

  bool saturated(const LinkState& l) const { return l.load >= l.capacity * (1.0 - 1e-9); }
  void collect(std::vector<int>& affected, std::vector<int>& touched);
  // Marks flow `id` as affected in this epoch, and each link on its path as touched,
  // queueing the saturated ones for collect().
  void mark_flow(int id, std::vector<int>& affected, std::vector<int>& touched);
  void solve(const std::vector<int>& affected, const std::vector<int>& touched);
  void apply(const std::vector<int>& affected, sim::SimTime now);
  void settle(Flow& f, sim::SimTime now);
  void schedule(int id);
  void detach(int id);

  std::vector<Flow> flows_;
  std::vector<int> free_;
  std::vector<LinkState> links_;
  std::vector<int> flow_counts_;
  std::size_t active_count_ = 0;
  std::uint32_t epoch_ = 0;
  std::vector<int> pending_added_;
  std::vector<int> pending_links_;  // links crossed by removed flows
  std::priority_queue<Completion, std::vector<Completion>, std::greater<>> heap_;
  std::uint64_t updates_ = 0;
  std::uint64_t flows_resolved_ = 0;
  // scratch
  std::vector<int> queue_;
};

}  // namespace cs::hw
