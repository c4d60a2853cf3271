// Collective algorithms: closed forms and flow plans from one description (collectives.hpp).
#include "sim/hw/collectives.hpp"


#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "sim/core/assert.hpp"
#include "sim/core/error.hpp"
#include "sim/hw/network_text.hpp"

namespace cs::hw {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Ranks grouped by scale-up domain, in the order the spec lists them.
struct Groups {
  std::vector<std::vector<int>> domain_ranks;
  std::vector<std::vector<int>> domain_nics;  // distinct NICs of each domain's ranks, in rank order
};

Groups group_ranks(const Fabric& f, const std::vector<int>& ranks) {
  Groups g;
  std::map<int, std::size_t> index;
  for (int r : ranks) {
    const int d = f.domain_of(r);
    auto [it, fresh] = index.try_emplace(d, g.domain_ranks.size());
    if (fresh) {
      g.domain_ranks.emplace_back();
      g.domain_nics.emplace_back();
    }
    g.domain_ranks[it->second].push_back(r);
    if (f.has_scale_out() && f.nics_per_node() > 0) {
      const int nic = f.nic_of(r);
      auto& nics = g.domain_nics[it->second];
      if (std::find(nics.begin(), nics.end(), nic) == nics.end()) nics.push_back(nic);
    }
  }
  return g;
}

void check_ranks(const Fabric& f, const CollectiveSpec& spec) {
  if (spec.ranks.empty()) throw InputError("collective: no ranks");
  if (!(spec.bytes >= 0) || !std::isfinite(spec.bytes)) throw InputError(detail::cat("collective: bytes ", spec.bytes, " must be >= 0"));
  std::vector<int> seen(spec.ranks);
  std::sort(seen.begin(), seen.end());
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (seen[i] < 0 || seen[i] >= f.accelerators()) {
      throw InputError(detail::cat("collective: rank ", seen[i], " outside 0..", f.accelerators() - 1));
    }
    if (i > 0 && seen[i] == seen[i - 1]) throw InputError(detail::cat("collective: rank ", seen[i], " listed twice"));
  }
  if (spec.kind == CollectiveKind::send_recv && spec.ranks.size() != 2) {
    throw InputError("send_recv: ranks must be {src, dst}");
  }
  if (spec.root < 0 || spec.root >= static_cast<int>(spec.ranks.size())) {
    throw InputError(detail::cat("collective: root ", spec.root, " is not an index into the ", spec.ranks.size(), " ranks"));
  }
}

// One stage of an algorithm: `steps` synchronised steps of fixed latency `latency_s` in all,
// moving `volume` bytes per rank through a bottleneck of `bandwidth` bytes/s.
struct Stage {
  int steps = 0;
  double latency_s = 0;
  double volume = 0;
  double bandwidth = kInf;
};

// (payload + pipeline fill) / bandwidth fraction: the bytes a protocol puts on the wire.
double wire_bytes(double volume, int steps, const WireProtocol& p) {
  const double fill = steps > 1 ? (steps - 1) * std::min(volume / steps, p.chunk_bytes) : 0.0;
  return (volume + fill) / p.bandwidth_fraction;
}

WireProtocol plain_protocol() { return WireProtocol{"", 0.0, 0.0, 1.0, 0.0, 0.0}; }

double stages_time(const std::vector<Stage>& stages, const WireProtocol& p, double launch) {
  double t = launch + p.base_latency_s;
  for (const Stage& s : stages) {
    t += s.latency_s + s.steps * p.step_latency_s;
    if (s.volume > 0) t += wire_bytes(s.volume, s.steps, p) / s.bandwidth;
  }
  return t;
}

double volume_factor(CollectiveKind k, int n) {
  switch (k) {
    case CollectiveKind::all_reduce: return 2.0 * (n - 1) / n;
    case CollectiveKind::reduce_scatter:
    case CollectiveKind::all_gather:
    case CollectiveKind::all_to_all: return static_cast<double>(n - 1) / n;
    case CollectiveKind::broadcast:
    case CollectiveKind::reduce:
    case CollectiveKind::send_recv: return 1.0;
  }
  return 1.0;
}

int ring_steps(CollectiveKind k, int n) { return k == CollectiveKind::all_reduce ? 2 * (n - 1) : n - 1; }

bool pxn_or_shared(const Fabric& f) {
  // Cross-domain ring traffic also crosses the sender's scale-up port (PXN on rails, a
  // shared PCIe switch port): every GPU link then carries one flow per ring.
  return f.cluster().fabric.topology == FabricTopology::rail_optimized ||
         f.cluster().node.scale_up.kind == ScaleUpKind::pcie || f.cluster().node.scale_up.kind == ScaleUpKind::none ||
         !f.torus_dims().empty();
}

// Per-ring flow rate of the ring algorithm on an idle fabric.
double ring_rate(const Fabric& f, const GroupShape& s) {
  double r = kInf;
  const int c = s.channels;
  if (s.per_domain > 1) {
    int load = c;
    if (s.domains > 1 && c == s.per_domain && !pxn_or_shared(f)) load = std::max(1, c - 1);
    if (!f.torus_dims().empty()) load = 1;  // one ring in rank order along torus links
    const double up = f.torus_dims().empty() ? s.scale_up_bw : s.scale_up_bw / std::max<std::size_t>(1, 2 * f.torus_dims().size());
    r = std::min(r, up / load);
  }
  if (s.domains > 1) r = std::min(r, s.net_bw);
  return r;
}

struct TreeShape {
  std::vector<int> parent[2];  // per tree, parent domain index (-1 root)
  int depth = 0;
  int max_nic_flows = 0;  // flows out of one NIC, both trees, per channel
};

// NCCL's double binary tree over D domains: tree 0 is a binary tree in in-order layout,
// tree 1 the same shifted by one (mirrored when D is even), so interior nodes of one tree
// are leaves of the other.
TreeShape double_binary_tree(int d) {
  TreeShape t;
  for (int k = 0; k < 2; ++k) t.parent[k].assign(static_cast<std::size_t>(d), -1);
  // In-order binary tree on 0..d-1: root is the highest power of two <= d-1 region's middle.
  auto build = [&](auto&& self, int lo, int hi, int par, std::vector<int>& out, int level) -> void {
    if (lo > hi) return;
    const int mid = (lo + hi + 1) / 2;
    out[static_cast<std::size_t>(mid)] = par;
    t.depth = std::max(t.depth, level);
    self(self, lo, mid - 1, mid, out, level + 1);
    self(self, mid + 1, hi, mid, out, level + 1);
  };
  build(build, 0, d - 1, -1, t.parent[0], 1);
  std::vector<int> shifted(static_cast<std::size_t>(d), -1);
  build(build, 0, d - 1, -1, shifted, 1);
  for (int i = 0; i < d; ++i) {
    const int p = shifted[static_cast<std::size_t>(i)];
    t.parent[1][static_cast<std::size_t>((i + 1) % d)] = p < 0 ? -1 : (p + 1) % d;
  }
  std::vector<int> out(static_cast<std::size_t>(d), 0);
  for (int k = 0; k < 2; ++k) {
    for (int i = 0; i < d; ++i) {
      const int p = t.parent[k][static_cast<std::size_t>(i)];
      if (p < 0) continue;
      ++out[static_cast<std::size_t>(i)];  // reduce: child -> parent
      ++out[static_cast<std::size_t>(p)];  // broadcast: parent -> child
    }
  }
  t.max_nic_flows = *std::max_element(out.begin(), out.end());
  return t;
}

struct AlgorithmModel {
  std::vector<Stage> stages;
};

AlgorithmModel model(const Fabric& f, const CollectiveSpec& spec, CollectiveAlgorithm a, const GroupShape& s) {
  const int n = s.ranks;
  const double S = spec.bytes;
  AlgorithmModel m;
  const double alpha = s.domains > 1 ? s.alpha_net : s.alpha_up;
  switch (a) {
    case CollectiveAlgorithm::ring: {
      const int steps = ring_steps(spec.kind, n);
      const double rate = ring_rate(f, s);
      m.stages.push_back(Stage{steps, steps * alpha, volume_factor(spec.kind, n) * S, rate * s.channels});
      break;
    }
    case CollectiveAlgorithm::double_binary_tree: {
      const TreeShape t = double_binary_tree(s.domains);
      const int c = s.channels;
      const double per_tree = S / (2.0 * c);
      double time_per_byte = t.max_nic_flows * per_tree / s.net_bw;  // seconds for the NIC bottleneck
      if (s.per_domain > 1) {
        // A middle rank of a chain sends up and down in both trees (4 flows per channel); the
        // head and the tail send one way. With one channel per rank every rank is head once
        // and tail once.
        const int chain = s.per_domain >= 3 ? (c == s.per_domain ? 4 * c - 4 : 4 * c) : 2 * c;
        time_per_byte = std::max(time_per_byte, chain * per_tree / s.scale_up_bw);
      }
      const int steps = 2 * (t.depth - 1 + s.per_domain - 1) + 1;
      const double lat = 2 * ((t.depth - 1) * s.alpha_net + (s.per_domain - 1) * s.alpha_up) + s.alpha_net;
      m.stages.push_back(Stage{steps, lat, S, S > 0 ? S / time_per_byte : kInf});
      break;
    }
    case CollectiveAlgorithm::hierarchical: {
      const int q = s.per_domain, d = s.domains;
      const int nic_share = (q + s.channels - 1) / s.channels;  // ranks per NIC
      const double inter_bw = s.net_bw / nic_share;
      const double intra = (q - 1.0) / q * S;
      if (spec.kind == CollectiveKind::all_reduce) {
        m.stages.push_back(Stage{q - 1, (q - 1) * s.alpha_up, intra, s.scale_up_bw});
        m.stages.push_back(Stage{2 * (d - 1), 2 * (d - 1) * s.alpha_net, 2.0 * (d - 1) / d * S / q, inter_bw});
        m.stages.push_back(Stage{q - 1, (q - 1) * s.alpha_up, intra, s.scale_up_bw});
      } else {  // reduce_scatter: intra then inter; all_gather: inter then intra
        Stage in{q - 1, (q - 1) * s.alpha_up, intra, s.scale_up_bw};
        Stage out{d - 1, (d - 1) * s.alpha_net, (d - 1.0) / d * S / q, inter_bw};
        if (spec.kind == CollectiveKind::reduce_scatter) m.stages = {in, out};
        else m.stages = {out, in};
      }
      break;
    }
    case CollectiveAlgorithm::direct: {
      if (spec.kind == CollectiveKind::send_recv) {
        std::vector<int> path;
        f.route(spec.ranks[0], spec.ranks[1], 0, path);
        double bw = kInf;
        for (int l : path) bw = std::min(bw, f.link(l).capacity);
        const double lat = f.path_latency(path) +
                           (f.domain_of(spec.ranks[0]) == f.domain_of(spec.ranks[1]) ? f.profile().scale_up_overhead_s
                                                                                    : f.profile().message_overhead_s + f.cluster().nic.latency_s);
        m.stages.push_back(Stage{1, lat, S, bw});
        break;
      }
      // all_to_all: every rank sends S/n to every other rank at once. The last flow ends when
      // the most loaded link class drains: scale-up ports, NIC ports, leaf uplinks.
      const int q = s.per_domain, d = s.domains, c = s.channels;
      const double b = S / n;  // bytes per pair
      double t = 0;            // seconds per byte of S, bottleneck
      const bool rail = f.cluster().fabric.topology == FabricTopology::rail_optimized;
      if (q > 1) {
        double up_flows = q - 1;
        if (rail && d > 1) up_flows += (d - 1) * (q - static_cast<double>(q) / c);
        t = std::max(t, up_flows * b / s.scale_up_bw);
      }
      if (d > 1) {
        const double nic_flows = static_cast<double>(q) / c * (n - q);
        t = std::max(t, nic_flows * b / s.net_bw);
        if (s.leaves > 1) {
          // Bytes leaving each leaf over its uplinks, spread evenly (the fluid view of ECMP).
          std::map<int, int> per_leaf;
          for (int r : spec.ranks) ++per_leaf[f.leaf_of_nic(f.nic_of(r))];
          for (const auto& [leaf, count] : per_leaf) {
            const double cap = f.leaf_uplink_capacity(leaf);
            if (cap > 0) t = std::max(t, static_cast<double>(count) * (n - count) * b / cap);
          }
        }
      }
      const double lat = (d > 1 ? s.alpha_net : s.alpha_up) + (n - 2) * f.profile().message_overhead_s;
      m.stages.push_back(Stage{1, lat, S, t > 0 ? S / t : kInf});
      break;
    }
    case CollectiveAlgorithm::in_network: {
      const double nvls_bw = f.scale_up_line_rate() * f.profile().nvls_efficiency;
      double t_per_byte = 0;
      int steps = 2;
      double lat = 2 * s.alpha_up;
      if (s.per_domain > 1) t_per_byte = 1.0 / nvls_bw;
      if (s.domains > 1) {
        const double sharp_bw = s.channels * f.nic_line_rate() * f.profile().sharp_efficiency;
        t_per_byte = std::max(t_per_byte, 1.0 / sharp_bw);
        steps += 2;
        lat += 2 * s.alpha_net;
      }
      m.stages.push_back(Stage{steps, lat, S, 1.0 / t_per_byte});
      break;
    }
    case CollectiveAlgorithm::automatic: CS_ASSERT(false, "automatic is resolved before modelling");
  }
  return m;
}

}  // namespace

GroupShape group_shape(const Fabric& f, const std::vector<int>& ranks) {
  GroupShape s;
  const Groups g = group_ranks(f, ranks);
  s.ranks = static_cast<int>(ranks.size());
  s.domains = static_cast<int>(g.domain_ranks.size());
  s.per_domain = 0;
  int min_q = std::numeric_limits<int>::max();
  for (const auto& d : g.domain_ranks) {
    s.per_domain = std::max(s.per_domain, static_cast<int>(d.size()));
    min_q = std::min(min_q, static_cast<int>(d.size()));
  }
  s.uniform = min_q == s.per_domain;
  s.scale_up_bw = f.scale_up_bandwidth();
  const NetworkProfile& p = f.profile();
  s.alpha_up = f.scale_up_hop_latency() + p.scale_up_overhead_s;
  if (s.domains > 1) {
    int c = std::numeric_limits<int>::max();
    for (const auto& n : g.domain_nics) c = std::min(c, static_cast<int>(n.size()));
    s.channels = std::max(1, c);
    // The GPU -> NIC attachment may be narrower than the NIC.
    s.net_bw = std::min(f.nic_bandwidth(), f.nic_attach_capacity());
    const int a = g.domain_ranks.front().front();
    const int b = g.domain_ranks.back().front();
    s.alpha_net = f.scale_out_latency(f.node_of(a), f.node_of(b)) + p.message_overhead_s;
    std::vector<int> leaves;
    for (int r : ranks) leaves.push_back(f.leaf_of_nic(f.nic_of(r)));
    std::sort(leaves.begin(), leaves.end());
    s.leaves = static_cast<int>(std::unique(leaves.begin(), leaves.end()) - leaves.begin());
  } else {
    s.channels = std::max(1, s.per_domain);
    s.leaves = f.has_scale_out() ? 1 : 0;
  }
  return s;
}

namespace {

std::vector<CollectiveAlgorithm> applicable_for(const Fabric& f, const CollectiveSpec& spec, const GroupShape& s) {
  std::vector<CollectiveAlgorithm> out;
  const int n = s.ranks;
  switch (spec.kind) {
    case CollectiveKind::all_reduce:
      out.push_back(CollectiveAlgorithm::ring);
      if (s.domains > 2 || (s.domains == 2 && s.uniform)) out.push_back(CollectiveAlgorithm::double_binary_tree);
      if (s.domains > 1 && s.per_domain > 1 && s.uniform) out.push_back(CollectiveAlgorithm::hierarchical);
      if (n > 1 && ((s.domains == 1 && f.in_network_reduction_scale_up()) ||
                    (s.domains > 1 && f.in_network_reduction_scale_out() &&
                     (s.per_domain == 1 || f.in_network_reduction_scale_up())))) {
        out.push_back(CollectiveAlgorithm::in_network);
      }
      break;
    case CollectiveKind::reduce_scatter:
    case CollectiveKind::all_gather:
      out.push_back(CollectiveAlgorithm::ring);
      if (s.domains > 1 && s.per_domain > 1 && s.uniform) out.push_back(CollectiveAlgorithm::hierarchical);
      break;
    case CollectiveKind::broadcast:
    case CollectiveKind::reduce: out.push_back(CollectiveAlgorithm::ring); break;
    case CollectiveKind::all_to_all:
    case CollectiveKind::send_recv: out.push_back(CollectiveAlgorithm::direct); break;
  }
  return out;
}

double time_for(const Fabric& f, const CollectiveSpec& spec, CollectiveAlgorithm a, const GroupShape& s,
                std::string* protocol_out) {
  if (s.ranks == 1 || spec.bytes == 0) {
    if (protocol_out) protocol_out->clear();
    return s.ranks == 1 ? 0.0 : f.profile().collective_launch_s;
  }
  const AlgorithmModel m = model(f, spec, a, s);
  const NetworkProfile& p = f.profile();
  double best = kInf;
  std::string best_name;
  if (p.protocols.empty()) {
    best = stages_time(m.stages, plain_protocol(), p.collective_launch_s);
  }
  for (const WireProtocol& w : p.protocols) {
    if (w.max_bytes > 0 && spec.bytes > w.max_bytes) continue;
    const double t = stages_time(m.stages, w, p.collective_launch_s);
    if (t < best) {
      best = t;
      best_name = w.name;
    }
  }
  if (!(best < kInf)) best = stages_time(m.stages, plain_protocol(), p.collective_launch_s);
  if (protocol_out) *protocol_out = best_name;
  return best;
}

// The algorithm (the requested one, or the fastest applicable) and its closed-form time.
CollectiveAlgorithm resolve(const Fabric& f, const CollectiveSpec& spec, std::string* protocol, double* time) {
  check_ranks(f, spec);
  const GroupShape s = group_shape(f, spec.ranks);
  const auto algos = applicable_for(f, spec, s);
  if (spec.algorithm != CollectiveAlgorithm::automatic) {
    if (std::find(algos.begin(), algos.end(), spec.algorithm) == algos.end()) {
      std::string list;
      for (auto a : algos) list += (list.empty() ? "" : ", ") + std::string(to_string(a));
      throw InputError(detail::cat("collective ", to_string(spec.kind), ": algorithm ", to_string(spec.algorithm),
                                   " does not apply here (applicable: ", list, ")"));
    }
    *time = time_for(f, spec, spec.algorithm, s, protocol);
    return spec.algorithm;
  }
  CollectiveAlgorithm best = algos.front();
  double best_t = kInf;
  for (auto a : algos) {
    std::string p;
    const double t = time_for(f, spec, a, s, &p);
    if (t < best_t) {
      best_t = t;
      best = a;
      *protocol = p;
    }
  }
  *time = best_t;
  return best;
}

}  // namespace

std::vector<CollectiveAlgorithm> applicable_algorithms(const Fabric& f, const CollectiveSpec& spec) {
  check_ranks(f, spec);
  return applicable_for(f, spec, group_shape(f, spec.ranks));
}

double collective_time(const Fabric& f, const CollectiveSpec& spec, CollectiveAlgorithm a, std::string* protocol_out) {
  check_ranks(f, spec);
  return time_for(f, spec, a, group_shape(f, spec.ranks), protocol_out);
}

CollectiveEstimate estimate_collective(const Fabric& fabric, const CollectiveSpec& spec) {
  CollectiveEstimate e;
  std::string protocol;
  e.algorithm = resolve(fabric, spec, &protocol, &e.seconds);
  e.algbw = e.seconds > 0 ? spec.bytes / e.seconds : 0.0;
  e.busbw = e.algbw * bus_factor(spec.kind, static_cast<int>(spec.ranks.size()));
  return e;
}

// ---- flow plans --------------------------------------------------------------------------

namespace {

const WireProtocol& find_protocol(const NetworkProfile& p, const std::string& name, const WireProtocol& plain) {
  for (const auto& w : p.protocols) {
    if (w.name == name) return w;
  }
  return plain;
}

// The ranks of one ring channel inside a single domain: rotated by the channel, so that
// every GPU port carries one flow of every ring.
std::vector<int> ring_order(const Groups& g, int channel, bool /*single_domain*/) {
  std::vector<int> order;
  const auto& rk = g.domain_ranks.front();
  const std::size_t start = static_cast<std::size_t>(channel) % rk.size();
  for (std::size_t i = 0; i < rk.size(); ++i) order.push_back(rk[(start + i) % rk.size()]);
  return order;
}

}  // namespace

CollectivePlan plan_collective(const Fabric& f, const CollectiveSpec& spec) {
  CollectivePlan plan;
  std::string protocol;
  plan.algorithm = resolve(f, spec, &protocol, &plan.estimate_s);
  plan.protocol = protocol;
  const GroupShape s = group_shape(f, spec.ranks);
  const NetworkProfile& p = f.profile();
  if (s.ranks == 1) return plan;
  if (spec.bytes == 0) {
    plan.phases.push_back(CollectivePhase{{}, p.collective_launch_s});
    return plan;
  }
  const WireProtocol plain = plain_protocol();
  const WireProtocol& w = find_protocol(p, protocol, plain);
  const AlgorithmModel m = model(f, spec, plan.algorithm, s);
  const Groups g = group_ranks(f, spec.ranks);
  auto scale = [&](const Stage& st) { return st.volume > 0 ? wire_bytes(st.volume, st.steps, w) / st.volume : 1.0; };
  auto phase_latency = [&](const Stage& st, bool first) {
    return st.latency_s + st.steps * w.step_latency_s + (first ? p.collective_launch_s + w.base_latency_s : 0.0);
  };
  const int n = s.ranks;
  const double S = spec.bytes;

  // Entry index of each domain for channel ch: the first rank whose NIC is the ch-th NIC.
  auto entry = [&](std::size_t d, int ch) -> std::size_t {
    const auto& rk = g.domain_ranks[d];
    const auto& nics = g.domain_nics[d];
    if (nics.empty()) return 0;
    const int want = nics[static_cast<std::size_t>(ch) % nics.size()];
    for (std::size_t i = 0; i < rk.size(); ++i) {
      if (f.nic_of(rk[i]) == want) return i;
    }
    return 0;
  };
  auto channel_order = [&](int ch) {
    if (s.domains == 1) return ring_order(g, ch, true);
    std::vector<int> order;
    for (std::size_t d = 0; d < g.domain_ranks.size(); ++d) {
      const auto& rk = g.domain_ranks[d];
      const std::size_t start = entry(d, ch);
      for (std::size_t i = 0; i < rk.size(); ++i) order.push_back(rk[(start + i) % rk.size()]);
    }
    return order;
  };

  switch (plan.algorithm) {
    case CollectiveAlgorithm::ring: {
      const Stage& st = m.stages.front();
      CollectivePhase ph;
      ph.latency_s = phase_latency(st, true);
      const int c = s.channels;
      const double bytes = st.volume * scale(st) / c;
      const bool chain = spec.kind == CollectiveKind::broadcast || spec.kind == CollectiveKind::reduce;
      for (int ch = 0; ch < c; ++ch) {
        std::vector<int> order = channel_order(ch);
        if (chain) {  // rotate so the chain starts at the root
          const auto it = std::find(order.begin(), order.end(), spec.ranks[static_cast<std::size_t>(spec.root)]);
          std::rotate(order.begin(), it, order.end());
          if (spec.kind == CollectiveKind::reduce) std::reverse(order.begin(), order.end());
        }
        const std::size_t edges = chain ? order.size() - 1 : order.size();
        for (std::size_t i = 0; i < edges; ++i) {
          ph.flows.push_back(FlowSpec{order[i], order[(i + 1) % order.size()], bytes});
        }
      }
      plan.phases.push_back(std::move(ph));
      break;
    }
    case CollectiveAlgorithm::double_binary_tree: {
      const Stage& st = m.stages.front();
      CollectivePhase ph;
      ph.latency_s = phase_latency(st, true);
      const TreeShape t = double_binary_tree(s.domains);
      const int c = s.channels;
      const double per_tree = S / (2.0 * c) * scale(st);
      for (int ch = 0; ch < c; ++ch) {
        for (int k = 0; k < 2; ++k) {
          // the domain's chain for this channel starts at its head (the rank on the channel's NIC)
          auto head = [&](std::size_t d) { return g.domain_ranks[d][entry(d, ch)]; };
          for (std::size_t d = 0; d < g.domain_ranks.size(); ++d) {
            const int par = t.parent[k][d];
            if (par >= 0) {
              ph.flows.push_back(FlowSpec{head(d), head(static_cast<std::size_t>(par)), per_tree});
              ph.flows.push_back(FlowSpec{head(static_cast<std::size_t>(par)), head(d), per_tree});
            }
            const auto& rk = g.domain_ranks[d];
            const std::size_t e = entry(d, ch);
            for (std::size_t i = 0; i + 1 < rk.size(); ++i) {
              const int a = rk[(e + i) % rk.size()];
              const int b = rk[(e + i + 1) % rk.size()];
              ph.flows.push_back(FlowSpec{a, b, per_tree});
              ph.flows.push_back(FlowSpec{b, a, per_tree});
            }
          }
        }
      }
      plan.phases.push_back(std::move(ph));
      break;
    }
    case CollectiveAlgorithm::hierarchical: {
      bool first = true;
      for (const Stage& st : m.stages) {
        CollectivePhase ph;
        ph.latency_s = phase_latency(st, first);
        first = false;
        const bool intra = st.bandwidth == s.scale_up_bw && st.steps == s.per_domain - 1 && st.latency_s == (s.per_domain - 1) * s.alpha_up;
        if (intra) {  // per domain, q rotated rings
          const int q = s.per_domain;
          const double bytes = st.volume * scale(st) / q;
          for (const auto& rk : g.domain_ranks) {
            for (int ch = 0; ch < q; ++ch) {
              for (int i = 0; i < q; ++i) {
                ph.flows.push_back(FlowSpec{rk[static_cast<std::size_t>((ch + i) % q)], rk[static_cast<std::size_t>((ch + i + 1) % q)], bytes});
              }
            }
          }
        } else {  // q rings across domains, one per local index
          const double bytes = st.volume * scale(st);
          for (int i = 0; i < s.per_domain; ++i) {
            for (std::size_t d = 0; d < g.domain_ranks.size(); ++d) {
              const std::size_t nd = (d + 1) % g.domain_ranks.size();
              ph.flows.push_back(FlowSpec{g.domain_ranks[d][static_cast<std::size_t>(i)], g.domain_ranks[nd][static_cast<std::size_t>(i)], bytes});
            }
          }
        }
        plan.phases.push_back(std::move(ph));
      }
      break;
    }
    case CollectiveAlgorithm::direct: {
      const Stage& st = m.stages.front();
      CollectivePhase ph;
      ph.latency_s = phase_latency(st, true);
      if (spec.kind == CollectiveKind::send_recv) {
        ph.flows.push_back(FlowSpec{spec.ranks[0], spec.ranks[1], S * scale(st)});
      } else {
        const double bytes = S / n * scale(st);
        for (int a : spec.ranks) {
          for (int b : spec.ranks) {
            if (a != b) ph.flows.push_back(FlowSpec{a, b, bytes});
          }
        }
      }
      plan.phases.push_back(std::move(ph));
      break;
    }
    case CollectiveAlgorithm::in_network: {
      // In-switch reduction, as flows: each GPU streams its buffer through its NVLink port once
      // in each direction (to its ring neighbour, so every port carries one stream each way),
      // sized so the port's effective capacity gives the NVLS rate; across domains each rank
      // streams S/q to its peer in the next domain, sized to give the SHARP rate per NIC.
      const Stage& st = m.stages.front();
      CollectivePhase ph;
      ph.latency_s = phase_latency(st, true);
      const double sc = scale(st);
      if (s.per_domain > 1) {
        const double nvls_bw = f.scale_up_line_rate() * p.nvls_efficiency;
        const double bytes = S * sc * s.scale_up_bw / nvls_bw;
        for (const auto& rk : g.domain_ranks) {
          for (std::size_t i = 0; i < rk.size(); ++i) ph.flows.push_back(FlowSpec{rk[i], rk[(i + 1) % rk.size()], bytes});
        }
      }
      if (s.domains > 1) {
        const double sharp_nic = f.nic_line_rate() * p.sharp_efficiency;
        const int q = s.per_domain;
        const double bytes = S / q * sc * s.net_bw / sharp_nic;
        for (int i = 0; i < q; ++i) {
          for (std::size_t d = 0; d < g.domain_ranks.size(); ++d) {
            const std::size_t nd = (d + 1) % g.domain_ranks.size();
            ph.flows.push_back(FlowSpec{g.domain_ranks[d][static_cast<std::size_t>(i)], g.domain_ranks[nd][static_cast<std::size_t>(i)], bytes});
          }
        }
      }
      plan.phases.push_back(std::move(ph));
      break;
    }
    case CollectiveAlgorithm::automatic: CS_ASSERT(false, "resolved above");
  }
  return plan;
}

}  // namespace cs::hw
