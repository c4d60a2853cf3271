// NetworkSim: flow-level simulation of transfers and collectives on an Engine (network.hpp).
//
// Every transfer is one flow; every collective runs its plan (collectives.hpp) phase by
// phase: a phase's flows start together, and when the last one has drained the phase's
// fixed latency passes before the next phase starts. The FlowNetwork shares link capacity
// max-min fairly among all flows of all transfers and collectives, so they slow each other.
// One engine event is kept armed at the next flow completion.
#include <limits>

#include "sim/core/assert.hpp"
#include "sim/hw/collectives.hpp"
#include "sim/hw/flow_network.hpp"
#include "sim/hw/network.hpp"
#include "sim/hw/topology.hpp"

namespace cs::hw {

namespace {
std::vector<double> capacities_of(const Fabric& f) {
  std::vector<double> c;
  c.reserve(f.links().size());
  for (const Link& l : f.links()) c.push_back(l.capacity);
  return c;
}
}  // namespace

struct NetworkSim::Impl {
  struct Transfer {
    sim::Handler done;
    std::uint64_t payload = 0;
    double latency_s = 0;
  };
  struct Run {
    CollectivePlan plan;
    std::size_t phase = 0;
    int outstanding = 0;
    sim::Handler done;
    std::uint64_t payload = 0;
    sim::EventId phase_event;
    bool active = false;
  };

  Impl(sim::Engine& e, std::shared_ptr<const Fabric> f) : engine(e), fabric(std::move(f)), net(capacities_of(*fabric)) {}

  sim::Engine& engine;
  std::shared_ptr<const Fabric> fabric;
  FlowNetwork net;
  NetworkStats stats;
  std::vector<int> owner;  // per flow id: >= 0 run index, < 0 -(transfer index + 1)
  std::vector<double> flow_bytes;  // per flow id
  std::vector<Transfer> transfers;
  std::vector<int> free_transfers;
  std::vector<Run> runs;
  std::vector<int> free_runs;
  sim::EventId next_event;
  sim::SimTime next_time = sim::SimTime::max();
  std::uint64_t serial = 0;
  std::vector<int> path, finished;

  // Starts one flow; false when it needs no network (same endpoint or no bytes).
  bool start_flow(int src, int dst, double bytes, int owner_tag) {
    if (src == dst || !(bytes > 0)) return false;
    path.clear();
    fabric->route(src, dst, serial++, path, net.link_flow_counts());
    if (path.empty()) return false;
    const int id = net.add(path, bytes, engine.now());
    if (static_cast<std::size_t>(id) >= owner.size()) {
      owner.resize(static_cast<std::size_t>(id) + 1, 0);
      flow_bytes.resize(static_cast<std::size_t>(id) + 1, 0.0);
    }
    owner[static_cast<std::size_t>(id)] = owner_tag;
    flow_bytes[static_cast<std::size_t>(id)] = bytes;
    ++stats.flows_started;
    return true;
  }

  void settle_network() {
    const auto before = net.updates();
    net.update(engine.now());
    stats.rate_updates += net.updates() - before;
    const sim::SimTime t = net.next_completion();
    if (t == next_time && (next_event.valid() || t == sim::SimTime::max())) return;
    if (next_event.valid()) engine.cancel(next_event);
    next_event = {};
    next_time = t;
    if (t != sim::SimTime::max()) next_event = engine.schedule_at(t, sim::Handler::member<&Impl::on_completion>(*this));
  }

  void on_completion(const sim::Event& e) {
    next_event = {};
    next_time = sim::SimTime::max();
    finished.clear();
    net.pop_completed(e.time, finished);
    for (int id : finished) {
      net.remove(id, e.time);
      ++stats.flows_completed;
      stats.bytes_delivered += flow_bytes[static_cast<std::size_t>(id)];
    }
    // The owners learn after the re-solve, so what they start sees the new rates.
    const std::vector<int> done = finished;
    settle_network();
    for (int id : done) {
      const int tag = owner[static_cast<std::size_t>(id)];
      if (tag < 0) finish_transfer(-tag - 1);
      else flow_of_run_done(tag);
    }
  }

  void finish_transfer(int t) {
    Transfer& tr = transfers[static_cast<std::size_t>(t)];
    engine.schedule_at(engine.now() + sim::SimTime::from_seconds_ceil(tr.latency_s), tr.done, tr.payload);
    free_transfers.push_back(t);
  }

  void flow_of_run_done(int r) {
    Run& run = runs[static_cast<std::size_t>(r)];
    if (--run.outstanding == 0) end_phase_after_latency(r);
  }

  void end_phase_after_latency(int r) {
    Run& run = runs[static_cast<std::size_t>(r)];
    const double lat = run.plan.phases[run.phase].latency_s;
    run.phase_event = engine.schedule_at(engine.now() + sim::SimTime::from_seconds_ceil(lat),
                                         sim::Handler::member<&Impl::on_phase_end>(*this), static_cast<std::uint64_t>(r));
  }

  void on_phase_end(const sim::Event& e) {
    const int r = static_cast<int>(e.payload);
    Run& run = runs[static_cast<std::size_t>(r)];
    run.phase_event = {};
    ++run.phase;
    if (run.phase < run.plan.phases.size()) {
      start_phase(r);
      return;
    }
    run.active = false;
    engine.schedule_at(engine.now(), run.done, run.payload);
    run.plan = {};
    free_runs.push_back(r);
  }

  void start_phase(int r) {
    Run& run = runs[static_cast<std::size_t>(r)];
    int started = 0;
    for (const FlowSpec& fs : run.plan.phases[run.phase].flows) {
      if (start_flow(fs.src, fs.dst, fs.bytes, r)) ++started;
    }
    runs[static_cast<std::size_t>(r)].outstanding = started;
    if (started == 0) end_phase_after_latency(r);
    else settle_network();
  }
};

NetworkSim::NetworkSim(sim::Engine& engine, std::shared_ptr<const Fabric> fabric)
    : impl_(std::make_unique<Impl>(engine, std::move(fabric))) {}

NetworkSim::~NetworkSim() {
  if (impl_->next_event.valid()) impl_->engine.cancel(impl_->next_event);
  for (auto& run : impl_->runs) {
    if (run.phase_event.valid()) impl_->engine.cancel(run.phase_event);
  }
}

void NetworkSim::start_collective(const CollectiveSpec& spec, sim::Handler done, std::uint64_t payload) {
  Impl& m = *impl_;
  CollectivePlan plan = plan_collective(*m.fabric, spec);
  if (plan.phases.empty()) {  // a single rank: nothing to move
    m.engine.schedule_at(m.engine.now(), done, payload);
    return;
  }
  int r;
  if (!m.free_runs.empty()) {
    r = m.free_runs.back();
    m.free_runs.pop_back();
  } else {
    r = static_cast<int>(m.runs.size());
    m.runs.emplace_back();
  }
  Impl::Run& run = m.runs[static_cast<std::size_t>(r)];
  run.plan = std::move(plan);
  run.phase = 0;
  run.outstanding = 0;
  run.done = done;
  run.payload = payload;
  run.active = true;
  m.start_phase(r);
}

void NetworkSim::start_transfer(int src, int dst, double bytes, sim::Handler done, std::uint64_t payload) {
  Impl& m = *impl_;
  CS_ASSERT(src >= 0 && src < m.fabric->endpoints() && dst >= 0 && dst < m.fabric->endpoints(),
            "transfer endpoints in range");
  int t;
  if (!m.free_transfers.empty()) {
    t = m.free_transfers.back();
    m.free_transfers.pop_back();
  } else {
    t = static_cast<int>(m.transfers.size());
    m.transfers.emplace_back();
  }
  Impl::Transfer& tr = m.transfers[static_cast<std::size_t>(t)];
  tr.done = done;
  tr.payload = payload;
  const NetworkProfile& p = m.fabric->profile();
  m.path.clear();
  if (src != dst) m.fabric->route(src, dst, m.serial, m.path);
  const bool local = src < m.fabric->accelerators() && dst < m.fabric->accelerators() &&
                     m.fabric->domain_of(src) == m.fabric->domain_of(dst) && m.fabric->domain_size() > 1;
  tr.latency_s = src == dst ? 0.0
                            : m.fabric->path_latency(m.path) +
                                  (local ? p.scale_up_overhead_s : p.message_overhead_s + m.fabric->cluster().nic.latency_s);
  if (m.start_flow(src, dst, bytes, -(t + 1))) {
    m.settle_network();
  } else {
    m.finish_transfer(t);
  }
}

const NetworkStats& NetworkSim::stats() const { return impl_->stats; }
const Fabric& NetworkSim::fabric() const { return *impl_->fabric; }
const FlowNetwork& NetworkSim::flows() const { return impl_->net; }

}  // namespace cs::hw
