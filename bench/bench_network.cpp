// Flow-level network benchmark (issue 4).
//
// 1. Builds a 16,384-GPU rail-optimised three-tier fat tree (2,048 DGX-H100-like nodes,
//    8 x 400G NICs each, 64-port switches), starts 16,384 concurrent flows (a random
//    permutation of the GPUs, sizes 16-256 MB) and times one full max-min solve.
// 2. Processes flow completions: each completion removes its flow and a new flow arrives
//    (random source and destination), then the incremental update runs; times the mean
//    update over the events.
// 3. Simulates one ring all-reduce of 1 GiB over 1,024 GPUs (128 nodes) on that fabric
//    with NetworkSim and times it (wall clock).
// Last line: full_solve_ms=F incremental_update_us=U
// Targets: U <= 1000; the all-reduce in < 2 s of wall time.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/core/engine.hpp"
#include "sim/core/random.hpp"
#include "sim/hw/collectives.hpp"
#include "sim/hw/flow_network.hpp"
#include "sim/hw/network.hpp"
#include "sim/hw/topology.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using cs::sim::SimTime;
using namespace cs::hw;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

ClusterSpec dgx_h100_cluster(int nodes) {
  ClusterSpec c;
  c.accelerator.name = "h100-sxm";
  c.accelerator.scale_up.bandwidth_per_direction = 450e9;
  c.accelerator.host_link.bandwidth_per_direction = 63e9;
  c.node.name = "dgx-h100-like";
  c.node.accelerators = 8;
  c.node.scale_up.kind = ScaleUpKind::nvswitch;
  c.node.scale_up.domain_size = 8;
  c.node.scale_up.bandwidth_per_accelerator = 450e9;
  c.node.scale_up.latency_s = 0.5e-6;
  c.node.nics = 8;
  c.node.nic_rate = 50e9;
  c.nic.name = "cx7-ndr-400g";
  c.nic.port_rate = 50e9;
  c.nic.latency_s = 1e-6;
  c.nodes = nodes;
  c.accelerators = nodes * 8;
  c.fabric.topology = FabricTopology::rail_optimized;
  c.fabric.tiers = 3;
  SwitchSpec sw;
  sw.name = "quantum2-like";
  sw.radix = 64;
  sw.port_rate = 50e9;
  sw.latency_s = 0.5e-6;
  c.fabric_switch = sw;
  return c;
}

struct Done {
  bool fired = false;
  SimTime at;
  void on_done(const cs::sim::Event& e) {
    fired = true;
    at = e.time;
  }
};

}  // namespace

int main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const int gpus = 16384;
  const auto t_build = Clock::now();
  const auto fabric = build_fabric(dgx_h100_cluster(gpus / 8));
  std::printf("fabric: %s (built in %.1f ms)\n", fabric->describe().c_str(), ms_since(t_build));

  // 1. 16,384 concurrent flows, one full solve.
  std::vector<double> caps;
  for (const Link& l : fabric->links()) caps.push_back(l.capacity);
  FlowNetwork net(caps);
  cs::sim::RandomStream rng(2024);
  std::vector<int> perm(static_cast<std::size_t>(gpus));
  for (int i = 0; i < gpus; ++i) perm[static_cast<std::size_t>(i)] = i;
  for (int i = gpus - 1; i > 0; --i) std::swap(perm[static_cast<std::size_t>(i)], perm[rng.uniform_index(static_cast<std::uint64_t>(i) + 1)]);
  std::vector<int> path;
  std::uint64_t key = 0;
  auto add_flow = [&](int src, int dst, SimTime now) {
    path.clear();
    fabric->route(src, dst, key++, path);
    return net.add(path, rng.uniform(16e6, 256e6), now);
  };
  for (int i = 0; i < gpus; ++i) {
    int dst = perm[static_cast<std::size_t>(i)];
    if (dst == i) dst = (i + 1) % gpus;
    add_flow(i, dst, SimTime::zero());
  }
  const auto t_full = Clock::now();
  net.solve_all(SimTime::zero());
  const double full_ms = ms_since(t_full);
  std::printf("flows=%zu full_solve_ms=%.2f\n", net.active_flows(), full_ms);

  // 2. Completions and arrivals, incremental updates.
  const int events = std::getenv("CLUSTERSIM_REDUCED") ? 2000 : 20000;
  std::vector<int> done;
  double update_ms = 0;
  std::uint64_t affected_before = net.flows_resolved();
  SimTime now = SimTime::zero();
  for (int e = 0; e < events; ++e) {
    now = net.next_completion();
    done.clear();
    net.pop_completed(now, done);
    for (int id : done) net.remove(id, now);
    for (std::size_t k = 0; k < done.size(); ++k) {
      const int src = static_cast<int>(rng.uniform_index(gpus));
      int dst = static_cast<int>(rng.uniform_index(gpus - 1));
      if (dst >= src) ++dst;
      add_flow(src, dst, now);
    }
    const auto t0 = Clock::now();
    net.update(now);
    update_ms += ms_since(t0);
  }
  const double mean_us = update_ms * 1000.0 / events;
  std::printf("events=%d simulated=%.3f s mean_affected_flows=%.1f mean_update_us=%.1f\n", events, now.seconds(),
              static_cast<double>(net.flows_resolved() - affected_before) / events, mean_us);

  // 3. Ring all-reduce of 1 GiB over 1,024 GPUs (128 nodes) on the same fabric.
  {
    cs::sim::Engine engine;
    NetworkSim sim(engine, fabric);
    Done d;
    CollectiveSpec s;
    s.kind = CollectiveKind::all_reduce;
    s.algorithm = CollectiveAlgorithm::ring;
    s.bytes = 1024.0 * 1024 * 1024;
    for (int r = 0; r < 1024; ++r) s.ranks.push_back(r);
    const auto t0 = Clock::now();
    sim.start_collective(s, cs::sim::Handler::member<&Done::on_done>(d), 0);
    engine.run();
    const double wall = ms_since(t0);
    const double closed = estimate_collective(*fabric, s).seconds;
    std::printf("ring_allreduce_1GiB_1024gpus: simulated=%.3f ms closed_form=%.3f ms flows=%llu wall=%.1f ms (target < 2000)\n",
                d.at.ms(), closed * 1e3, static_cast<unsigned long long>(sim.stats().flows_completed), wall);
  }
  // 4. The planner's fast path: closed-form all-reduce over all 16,384 GPUs (automatic choice).
  {
    CollectiveSpec s;
    s.kind = CollectiveKind::all_reduce;
    s.bytes = 1024.0 * 1024 * 1024;
    for (int r = 0; r < gpus; ++r) s.ranks.push_back(r);
    const int reps = 5;
    CollectiveEstimate e;
    const auto t0 = Clock::now();
    for (int i = 0; i < reps; ++i) e = estimate_collective(*fabric, s);
    std::printf("estimate_allreduce_1GiB_16384gpus: algorithm=%s busbw=%.1f GB/s time=%.3f ms wall_per_call=%.2f ms\n",
                std::string(to_string(e.algorithm)).c_str(), e.busbw / 1e9, e.seconds * 1e3, ms_since(t0) / reps);
  }
  std::printf("full_solve_ms=%.2f incremental_update_us=%.1f\n", full_ms, mean_us);
  return 0;
}
