// Max-min fair flow network with incremental updates (flow_network.hpp).
#include "sim/hw/flow_network.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/assert.hpp"

namespace cs::hw {
namespace {
constexpr double kSatTol = 1e-9;   // relative: a link this close to capacity is saturated
constexpr double kRateTol = 1e-9;  // relative: rates this close are equal
}  // namespace

FlowNetwork::FlowNetwork(std::vector<double> capacities) {
  links_.resize(capacities.size());
  flow_counts_.assign(capacities.size(), 0);
  for (std::size_t i = 0; i < capacities.size(); ++i) {
    CS_ASSERT(capacities[i] > 0, "link capacities must be positive");
    links_[i].capacity = capacities[i];
  }
}

int FlowNetwork::add(std::span<const int> path, double bytes, sim::SimTime now) {
  CS_ASSERT(!path.empty() && bytes > 0, "a flow needs a path and bytes");
  int id;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
  } else {
    id = static_cast<int>(flows_.size());
    flows_.emplace_back();
  }
  Flow& f = flows_[static_cast<std::size_t>(id)];
  f.path.assign(path.begin(), path.end());
  f.slot.resize(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    LinkState& l = links_[static_cast<std::size_t>(path[i])];
    f.slot[i] = static_cast<int>(l.flows.size());
    l.flows.push_back(id);
    ++flow_counts_[static_cast<std::size_t>(path[i])];
  }
  f.remaining = bytes;
  f.rate = 0;
  f.settled = now;
  ++f.version;
  f.active = true;
  f.mark = 0;
  ++active_count_;
  pending_added_.push_back(id);
  return id;
}

void FlowNetwork::detach(int id) {
  Flow& f = flows_[static_cast<std::size_t>(id)];
  for (std::size_t i = 0; i < f.path.size(); ++i) {
    const int li = f.path[i];
    LinkState& l = links_[static_cast<std::size_t>(li)];
    const int pos = f.slot[i];
    const int moved = l.flows.back();
    l.flows[static_cast<std::size_t>(pos)] = moved;
    l.flows.pop_back();
    if (moved != id) {
      Flow& m = flows_[static_cast<std::size_t>(moved)];
      for (std::size_t k = 0; k < m.path.size(); ++k) {
        if (m.path[k] == li) {
          m.slot[k] = pos;
          break;
        }
      }
    }
    l.load -= f.rate;
    if (l.flows.empty() || l.load < 0) l.load = std::max(0.0, l.flows.empty() ? 0.0 : l.load);
    --flow_counts_[static_cast<std::size_t>(li)];
    pending_links_.push_back(li);
  }
}

void FlowNetwork::remove(int id, sim::SimTime now) {
  CS_ASSERT(active(id), "removing an inactive flow");
  Flow& f = flows_[static_cast<std::size_t>(id)];
  settle(f, now);
  detach(id);
  f.active = false;
  f.rate = 0;
  ++f.version;
  --active_count_;
  free_.push_back(id);
}

double FlowNetwork::remaining(int id, sim::SimTime now) const {
  const Flow& f = flows_[static_cast<std::size_t>(id)];
  return std::max(0.0, f.remaining - f.rate * (now - f.settled).seconds());
}

void FlowNetwork::settle(Flow& f, sim::SimTime now) {
  if (now > f.settled) {
    f.remaining = std::max(0.0, f.remaining - f.rate * (now - f.settled).seconds());
    f.settled = now;
  }
}

void FlowNetwork::schedule(int id) {
  const Flow& f = flows_[static_cast<std::size_t>(id)];
  if (!(f.rate > 0)) return;
  const sim::SimTime done = f.settled + sim::SimTime::transfer(f.remaining, f.rate);
  heap_.push(Completion{done.ns(), id, f.version});
}

void FlowNetwork::mark_flow(int id, std::vector<int>& affected, std::vector<int>& touched) {
  Flow& f = flows_[static_cast<std::size_t>(id)];
  f.mark = epoch_;
  affected.push_back(id);
  for (int m : f.path) {
    LinkState& lm = links_[static_cast<std::size_t>(m)];
    if (lm.mark == epoch_) continue;
    lm.mark = epoch_;
    touched.push_back(m);
    if (saturated(lm)) queue_.push_back(m);
  }
}

// Breadth-first search from the queued links: every flow of a queued link joins; the links
// of a joining flow are touched, and queued when saturated.
void FlowNetwork::collect(std::vector<int>& affected, std::vector<int>& touched) {
  std::size_t head = 0;
  while (head < queue_.size()) {
    const int li = queue_[head++];
    for (int g : links_[static_cast<std::size_t>(li)].flows) {
      Flow& fg = flows_[static_cast<std::size_t>(g)];
      if (fg.mark == epoch_ || fg.bottleneck != li) continue;
      mark_flow(g, affected, touched);
    }
  }
  queue_.clear();
}

void FlowNetwork::solve(const std::vector<int>& affected, const std::vector<int>& touched) {
  struct Entry {
    double share;
    int link;
    bool operator>(const Entry& o) const { return share != o.share ? share > o.share : link > o.link; }
  };
  for (int li : touched) {
    LinkState& l = links_[static_cast<std::size_t>(li)];
    l.residual = l.capacity - l.load;
    l.unfrozen = 0;
  }
  for (int id : affected) {
    Flow& f = flows_[static_cast<std::size_t>(id)];
    f.frozen = false;
    f.new_rate = 0;
    for (int li : f.path) {
      LinkState& l = links_[static_cast<std::size_t>(li)];
      l.residual += f.rate;
      ++l.unfrozen;
    }
  }
  std::vector<Entry> heap;
  heap.reserve(touched.size());
  for (int li : touched) {
    LinkState& l = links_[static_cast<std::size_t>(li)];
    l.residual = std::max(0.0, l.residual);
    if (l.unfrozen > 0) heap.push_back(Entry{l.residual / l.unfrozen, li});
  }
  std::make_heap(heap.begin(), heap.end(), std::greater<>());
  std::size_t left = affected.size();
  while (left > 0 && !heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<>());
    const Entry e = heap.back();
    heap.pop_back();
    LinkState& l = links_[static_cast<std::size_t>(e.link)];
    if (l.unfrozen == 0) continue;
    const double share = std::max(0.0, l.residual / l.unfrozen);
    if (share > e.share) {  // stale entry: the link's share grew since it was pushed
      heap.push_back(Entry{share, e.link});
      std::push_heap(heap.begin(), heap.end(), std::greater<>());
      continue;
    }
    for (int id : l.flows) {
      Flow& f = flows_[static_cast<std::size_t>(id)];
      if (f.mark != epoch_ || f.frozen) continue;
      f.frozen = true;
      f.new_rate = share;
      --left;
      f.bottleneck = e.link;
      // A link's fair share only grows as flows freeze at the (smallest) current share, so
      // heap entries are lower bounds: they are refreshed when popped, never on each change.
      for (int m : f.path) {
        LinkState& lm = links_[static_cast<std::size_t>(m)];
        lm.residual -= share;
        --lm.unfrozen;
      }
    }
  }
}

void FlowNetwork::apply(const std::vector<int>& affected, sim::SimTime now) {
  for (int id : affected) {
    Flow& f = flows_[static_cast<std::size_t>(id)];
    const double old = f.rate;
    const double nr = f.new_rate;
    if (std::abs(nr - old) <= kRateTol * std::max(nr, old) && old > 0) continue;
    settle(f, now);
    const double delta = nr - old;
    for (int li : f.path) links_[static_cast<std::size_t>(li)].load += delta;
    f.rate = nr;
    ++f.version;
    schedule(id);
  }
}

void FlowNetwork::update(sim::SimTime now) {
  if (pending_added_.empty() && pending_links_.empty()) return;
  ++updates_;
  ++epoch_;
  std::vector<int> affected, touched;
  for (int id : pending_added_) {
    Flow& f = flows_[static_cast<std::size_t>(id)];
    if (!f.active || f.mark == epoch_) continue;
    mark_flow(id, affected, touched);
  }
  for (int li : pending_links_) {  // a removed flow freed capacity here: every flow may grow
    LinkState& l = links_[static_cast<std::size_t>(li)];
    if (l.mark != epoch_) {
      l.mark = epoch_;
      touched.push_back(li);
    }
    queue_.push_back(li);
  }
  pending_added_.clear();
  pending_links_.clear();
  collect(affected, touched);
  for (;;) {
    solve(affected, touched);
    // An outside flow faster than an affected flow on a link the solve saturated would no
    // longer be max-min: such links' flows join, and the set is solved again.
    for (int li : touched) {
      LinkState& l = links_[static_cast<std::size_t>(li)];
      if (l.residual > l.capacity * kSatTol) {
        // Capacity left: an outside flow limited here could now grow.
        for (int id : l.flows) {
          const Flow& f = flows_[static_cast<std::size_t>(id)];
          if (f.mark != epoch_ && f.bottleneck == li) {
            queue_.push_back(li);
            break;
          }
        }
        continue;
      }
      double max_in = 0, max_out = 0;
      bool outside = false;
      for (int id : l.flows) {
        const Flow& f = flows_[static_cast<std::size_t>(id)];
        if (f.mark == epoch_) max_in = std::max(max_in, f.new_rate);
        else {
          max_out = std::max(max_out, f.rate);
          outside = true;
        }
      }
      if (outside && max_out > max_in * (1 + 1e-7) + 1e-3) {
        // Outside flows faster than the affected ones on a saturated link must share it.
        for (int id : l.flows) {
          Flow& f = flows_[static_cast<std::size_t>(id)];
          if (f.mark != epoch_ && f.rate > max_in * (1 + 1e-7)) f.bottleneck = li;
        }
        queue_.push_back(li);
      }
    }
    if (queue_.empty()) break;
    collect(affected, touched);
  }
  flows_resolved_ += affected.size();
  apply(affected, now);
}

void FlowNetwork::solve_all(sim::SimTime now) {
  ++updates_;
  ++epoch_;
  pending_added_.clear();
  pending_links_.clear();
  std::vector<int> affected, touched;
  for (int id = 0; id < static_cast<int>(flows_.size()); ++id) {
    Flow& f = flows_[static_cast<std::size_t>(id)];
    if (!f.active) continue;
    f.mark = epoch_;
    affected.push_back(id);
    for (int m : f.path) {
      LinkState& lm = links_[static_cast<std::size_t>(m)];
      if (lm.mark == epoch_) continue;
      lm.mark = epoch_;
      touched.push_back(m);
    }
  }
  solve(affected, touched);
  flows_resolved_ += affected.size();
  apply(affected, now);
}

sim::SimTime FlowNetwork::next_completion() {
  while (!heap_.empty()) {
    const Completion& c = heap_.top();
    const Flow& f = flows_[static_cast<std::size_t>(c.flow)];
    if (f.active && f.version == c.version) return sim::SimTime::from_ns(c.time);
    heap_.pop();
  }
  return sim::SimTime::max();
}

void FlowNetwork::pop_completed(sim::SimTime now, std::vector<int>& out) {
  while (!heap_.empty()) {
    const Completion c = heap_.top();
    const Flow& f = flows_[static_cast<std::size_t>(c.flow)];
    if (!(f.active && f.version == c.version)) {
      heap_.pop();
      continue;
    }
    if (c.time > now.ns()) break;
    heap_.pop();
    out.push_back(c.flow);
  }
}

}  // namespace cs::hw
