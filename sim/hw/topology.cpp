// Topology builders and routing. See topology.hpp for the model.
#include "sim/hw/topology.hpp"


#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <cmath>
#include <numeric>

#include "sim/core/assert.hpp"
#include "sim/core/error.hpp"
#include "sim/hw/network_text.hpp"

namespace cs::hw {
namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser: the ECMP hash
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

int ceil_div(int a, int b) { return (a + b - 1) / b; }

// Factors `n` into `dims` factors as close to each other as possible (largest first).
std::vector<int> near_cube(int n, int dims) {
  std::vector<int> out;
  int rest = n;
  for (int d = dims; d >= 1; --d) {
    int f = static_cast<int>(std::lround(std::pow(static_cast<double>(rest), 1.0 / d)));
    f = std::max(1, f);
    while (f > 1 && rest % f != 0) --f;
    // prefer the divisor nearest the root from above when below is 1
    if (f == 1 && d > 1) {
      for (int g = 2; g <= rest; ++g) {
        if (rest % g == 0) { f = g; break; }
      }
    }
    if (d == 1) f = rest;
    out.push_back(f);
    rest /= f;
  }
  std::sort(out.rbegin(), out.rend());
  return out;
}

}  // namespace

std::string_view to_string(VertexKind k) {
  switch (k) {
    case VertexKind::accelerator: return "accelerator";
    case VertexKind::nic: return "nic";
    case VertexKind::storage: return "storage";
    case VertexKind::scale_up_switch: return "scale_up_switch";
    case VertexKind::pcie_switch: return "pcie_switch";
    case VertexKind::leaf: return "leaf";
    case VertexKind::spine: return "spine";
    case VertexKind::core: return "core";
  }
  return "?";
}

std::string_view to_string(LinkKind k) {
  switch (k) {
    case LinkKind::scale_up: return "scale_up";
    case LinkKind::ici: return "ici";
    case LinkKind::pcie: return "pcie";
    case LinkKind::access: return "access";
    case LinkKind::fabric: return "fabric";
  }
  return "?";
}

Fabric::Fabric(const ClusterSpec& cluster) : cluster_(cluster) {
  const NodeSpec& node = cluster_.node;
  per_node_ = std::max(1, node.accelerators);
  accelerators_ = std::max(1, cluster_.accelerators);
  nodes_ = ceil_div(accelerators_, per_node_);
  const NetworkProfile& p = profile();
  switch_latency_ = (cluster_.fabric_switch && cluster_.fabric_switch->latency_s > 0) ? cluster_.fabric_switch->latency_s
                                                                                       : p.switch_latency_s;
  accel_vertex_.resize(static_cast<std::size_t>(accelerators_));
  for (int r = 0; r < accelerators_; ++r) accel_vertex_[static_cast<std::size_t>(r)] = add_vertex(VertexKind::accelerator, r, r / per_node_);
  build_scale_up();
  build_scale_out();
  build_storage();
  for (auto& o : out_) std::sort(o.begin(), o.end());
}

int Fabric::add_vertex(VertexKind kind, int index, int node) {
  const auto v = boost::add_vertex(FabricVertex{kind, index, node}, graph_);
  out_.emplace_back();
  return static_cast<int>(v);
}

void Fabric::add_duplex(int a, int b, double line_rate, double capacity, double latency_ab, double latency_ba,
                        LinkKind kind) {
  CS_ASSERT(line_rate > 0 && capacity > 0, "links need a positive rate");
  const int id = static_cast<int>(links_.size());
  links_.push_back(Link{a, b, line_rate, capacity, latency_ab, kind});
  links_.push_back(Link{b, a, line_rate, capacity, latency_ba, kind});
  boost::add_edge(static_cast<std::size_t>(a), static_cast<std::size_t>(b), id, graph_);
  boost::add_edge(static_cast<std::size_t>(b), static_cast<std::size_t>(a), id + 1, graph_);
  out_[static_cast<std::size_t>(a)].emplace_back(b, id);
  out_[static_cast<std::size_t>(b)].emplace_back(a, id + 1);
}

void Fabric::build_scale_up() {
  const ScaleUpFabric& su = cluster_.node.scale_up;
  const NetworkProfile& p = profile();
  ScaleUpKind kind = su.kind;
  if (kind == ScaleUpKind::none && per_node_ > 1) kind = ScaleUpKind::pcie;
  double raw = su.bandwidth_per_accelerator > 0 ? su.bandwidth_per_accelerator
                                                : cluster_.accelerator.scale_up.bandwidth_per_direction;
  const double host = cluster_.accelerator.host_link.bandwidth_per_direction;
  domain_size_ = su.domain_size > 0 ? su.domain_size : per_node_;
  if (kind == ScaleUpKind::none) domain_size_ = 1;
  if (kind == ScaleUpKind::pcie) {
    domain_size_ = per_node_;
    raw = host > 0 ? host : raw;
  }
  domain_size_ = std::max(1, std::min(domain_size_, std::max(accelerators_, 1)));
  if (domain_size_ > 1 && !(raw > 0)) {
    throw InputError(detail::cat("node '", cluster_.node.name, "': scale-up fabric of ", domain_size_, " accelerators has no bandwidth"));
  }
  const double eff = kind == ScaleUpKind::torus ? p.ici_efficiency
                     : kind == ScaleUpKind::pcie ? p.pcie_efficiency
                                                 : p.scale_up_efficiency;
  scale_up_bw_ = domain_size_ > 1 ? raw * eff : 0.0;
  scale_up_raw_ = domain_size_ > 1 ? raw : 0.0;
  scale_up_latency_ = su.latency_s > 0 ? su.latency_s : p.switch_latency_s;
  nvls_ = kind == ScaleUpKind::nvswitch && su.in_network_reduction && cluster_.fabric.in_network_reduction;
  const int domains = ceil_div(accelerators_, domain_size_);
  domain_switch_.assign(static_cast<std::size_t>(domains), -1);
  pcie_switch_.assign(static_cast<std::size_t>(nodes_), -1);
  const double half = scale_up_latency_ / 2;
  for (int d = 0; d < domains; ++d) {
    const int first = d * domain_size_;
    const int count = std::min(domain_size_, accelerators_ - first);
    if (count <= 1 && kind != ScaleUpKind::pcie) continue;
    switch (kind) {
      case ScaleUpKind::nvswitch: {
        const int sw = add_vertex(VertexKind::scale_up_switch, d, first / per_node_);
        domain_switch_[static_cast<std::size_t>(d)] = sw;
        for (int r = first; r < first + count; ++r) add_duplex(accel_vertex_[static_cast<std::size_t>(r)], sw, raw, raw * eff, half, half, LinkKind::scale_up);
        break;
      }
      case ScaleUpKind::pcie: {
        const int sw = add_vertex(VertexKind::pcie_switch, d, first / per_node_);
        domain_switch_[static_cast<std::size_t>(d)] = sw;
        pcie_switch_[static_cast<std::size_t>(first / per_node_)] = sw;
        for (int r = first; r < first + count; ++r) add_duplex(accel_vertex_[static_cast<std::size_t>(r)], sw, raw, raw * eff, half, half, LinkKind::pcie);
        break;
      }
      case ScaleUpKind::direct: {
        const double per = raw / std::max(1, domain_size_ - 1);
        for (int a = first; a < first + count; ++a) {
          for (int b = a + 1; b < first + count; ++b) {
            add_duplex(accel_vertex_[static_cast<std::size_t>(a)], accel_vertex_[static_cast<std::size_t>(b)], per, per * eff, scale_up_latency_, scale_up_latency_, LinkKind::scale_up);
          }
        }
        break;
      }
      case ScaleUpKind::torus: build_torus(d, first, count); break;
      case ScaleUpKind::none: break;
    }
  }
}

void Fabric::build_torus(int domain, int first, int count) {
  if (torus_dims_.empty()) {
    const auto& want = !cluster_.fabric.torus_dims.empty() ? cluster_.fabric.torus_dims : cluster_.node.scale_up.torus_dims;
    int prod = 1;
    for (int x : want) prod *= x;
    if (!want.empty() && prod == domain_size_) {
      torus_dims_ = want;
    } else {
      const int ndims = (want.size() == 2 || want.size() == 3) ? static_cast<int>(want.size()) : 3;
      torus_dims_ = near_cube(domain_size_, ndims);
    }
  }
  if (count != domain_size_) {
    throw InputError(detail::cat("torus domain ", domain, " has ", count, " chips in use, the torus needs all ", domain_size_, " (use whole slices)"));
  }
  const NetworkProfile& p = profile();
  const ScaleUpFabric& su = cluster_.node.scale_up;
  const double raw_total = su.bandwidth_per_accelerator > 0 ? su.bandwidth_per_accelerator
                                                            : cluster_.accelerator.scale_up.bandwidth_per_direction;
  int active_dims = 0;
  for (int x : torus_dims_) active_dims += x > 1 ? 1 : 0;
  const double per_link = raw_total / std::max(1, 2 * active_dims);  // +/- neighbour in each dimension
  // strides of the mixed-radix coordinates
  std::vector<int> stride(torus_dims_.size(), 1);
  for (std::size_t i = 1; i < torus_dims_.size(); ++i) stride[i] = stride[i - 1] * torus_dims_[i - 1];
  for (int local = 0; local < count; ++local) {
    for (std::size_t dim = 0; dim < torus_dims_.size(); ++dim) {
      const int size = torus_dims_[dim];
      if (size <= 1) continue;
      const int c = (local / stride[dim]) % size;
      const int nb_local = local + (((c + 1) % size) - c) * stride[dim];
      if (size == 2 && c == 1) continue;  // the wrap link of a 2-ring is the same neighbour: one doubled link
      const double rate = size == 2 ? 2 * per_link : per_link;
      add_duplex(accel_vertex_[static_cast<std::size_t>(first + local)], accel_vertex_[static_cast<std::size_t>(first + nb_local)], rate,
                 rate * p.ici_efficiency, scale_up_latency_, scale_up_latency_, LinkKind::ici);
    }
  }
}

void Fabric::build_scale_out() {
  const FabricSpec& f = cluster_.fabric;
  const NetworkProfile& p = profile();
  const bool needs = f.topology != FabricTopology::single_node || nodes_ > 1 ||
                     ceil_div(accelerators_, domain_size_) > 1 || cluster_.storage.has_value();
  if (!needs) return;
  nics_per_node_ = cluster_.nics_per_node();
  if (nics_per_node_ <= 0) {
    throw InputError(detail::cat("node '", cluster_.node.name, "': ", nodes_, " nodes (or storage) need a scale-out network but the node has no NICs"));
  }
  const NicSpec& nic = cluster_.nic;
  double rate = 0;
  if (!f.nic_model.empty() && nic.port_rate > 0) rate = nic.port_rate * std::max(1, nic.ports);
  else if (cluster_.node.nic_rate > 0) rate = cluster_.node.nic_rate;
  else rate = nic.port_rate * std::max(1, nic.ports);
  if (!(rate > 0)) throw InputError(detail::cat("node '", cluster_.node.name, "': NIC '", nic.name, "' has no port rate"));
  const double nic_eff = f.nic_efficiency > 0 ? f.nic_efficiency : p.nic_efficiency;
  nic_bw_ = rate * nic_eff;
  nic_raw_ = rate;
  sharp_ = f.in_network_reduction && cluster_.fabric_switch && cluster_.fabric_switch->in_network_reduction;
  if (!(f.oversubscription >= 1.0)) throw InputError(detail::cat("fabric oversubscription ", f.oversubscription, " must be >= 1"));
  leaf_up_ratio_ = 1.0 / f.oversubscription;

  const int radix = f.switch_radix > 0 ? f.switch_radix
                    : (cluster_.fabric_switch && cluster_.fabric_switch->radix > 0) ? cluster_.fabric_switch->radix
                                                                                  : 64;
  if (radix < 2) throw InputError(detail::cat("switch radix ", radix, " must be >= 2"));
  const int down = std::max(1, static_cast<int>(std::lround(radix * f.oversubscription / (f.oversubscription + 1.0))));
  const int up = std::max(1, radix - down);

  // NICs and their attachment to the accelerators.
  const double host = cluster_.accelerator.host_link.bandwidth_per_direction;
  const double pcie_rate = host > 0 ? host : rate;
  const double pcie_cap = host > 0 ? host * p.pcie_efficiency : nic_bw_;
  nic_attach_cap_ = pcie_cap;
  const int total_nics = nodes_ * nics_per_node_;
  nic_vertex_.resize(static_cast<std::size_t>(total_nics));
  for (int n = 0; n < nodes_; ++n) {
    for (int k = 0; k < nics_per_node_; ++k) {
      const int id = n * nics_per_node_ + k;
      const int v = add_vertex(VertexKind::nic, id, n);
      nic_vertex_[static_cast<std::size_t>(id)] = v;
      const int sw = pcie_switch_[static_cast<std::size_t>(n)];
      if (sw >= 0) {
        add_duplex(sw, v, pcie_rate, pcie_cap, nic.latency_s / 2, nic.latency_s / 2, LinkKind::pcie);
        continue;
      }
      for (int local = 0; local < per_node_; ++local) {
        const int r = n * per_node_ + local;
        if (r >= accelerators_) break;
        if (local * nics_per_node_ / per_node_ != k) continue;
        add_duplex(accel_vertex_[static_cast<std::size_t>(r)], v, pcie_rate, pcie_cap, nic.latency_s / 2, nic.latency_s / 2, LinkKind::pcie);
      }
    }
  }

  // Leaves.
  nic_leaf_.assign(static_cast<std::size_t>(total_nics), 0);
  int compute_leaves = 1;
  if (f.topology == FabricTopology::single_node) {
    compute_leaves = 1;
  } else if (f.topology == FabricTopology::rail_optimized) {
    const int groups = ceil_div(nodes_, down);
    compute_leaves = groups * nics_per_node_;
    for (int id = 0; id < total_nics; ++id) {
      const int n = id / nics_per_node_;
      nic_leaf_[static_cast<std::size_t>(id)] = (n / down) * nics_per_node_ + id % nics_per_node_;
    }
  } else {  // fat_tree, tpu_pod: all NICs of a node on one leaf
    const int nodes_per_leaf = std::max(1, down / nics_per_node_);
    compute_leaves = ceil_div(nodes_, nodes_per_leaf);
    for (int id = 0; id < total_nics; ++id) nic_leaf_[static_cast<std::size_t>(id)] = (id / nics_per_node_) / nodes_per_leaf;
  }
  int storage_leaves = 0;
  if (cluster_.storage) {
    const int ports = std::max(1, cluster_.storage->tier.network_ports);
    const int servers_per_leaf = std::max(1, down / ports);
    storage_servers_ = std::max(1, cluster_.storage->servers);
    storage_leaves = f.topology == FabricTopology::single_node ? 0 : ceil_div(storage_servers_, servers_per_leaf);
    storage_leaf_.resize(static_cast<std::size_t>(storage_servers_));
    for (int s = 0; s < storage_servers_; ++s) {
      storage_leaf_[static_cast<std::size_t>(s)] = storage_leaves == 0 ? 0 : compute_leaves + s / servers_per_leaf;
    }
  }
  const int leaves = compute_leaves + storage_leaves;
  for (int l = 0; l < leaves; ++l) leaf_vertex_.push_back(add_vertex(VertexKind::leaf, l, -1));
  std::vector<double> leaf_down(static_cast<std::size_t>(leaves), 0.0);  // attached line rate per leaf
  nic_up_link_.resize(static_cast<std::size_t>(total_nics));
  nic_down_link_.resize(static_cast<std::size_t>(total_nics));
  const double access_latency = p.link_latency_s;
  for (int id = 0; id < total_nics; ++id) {
    const int l = nic_leaf_[static_cast<std::size_t>(id)];
    nic_up_link_[static_cast<std::size_t>(id)] = static_cast<int>(links_.size());
    nic_down_link_[static_cast<std::size_t>(id)] = static_cast<int>(links_.size()) + 1;
    add_duplex(nic_vertex_[static_cast<std::size_t>(id)], leaf_vertex_[static_cast<std::size_t>(l)], rate, nic_bw_,
               access_latency + switch_latency_, access_latency, LinkKind::access);
    leaf_down[static_cast<std::size_t>(l)] += rate;
  }
  if (cluster_.storage) {
    const StorageSpec& st = cluster_.storage->tier;
    const double srate = st.port_rate > 0 ? st.port_rate * std::max(1, st.network_ports) : std::max(st.read_bandwidth, st.write_bandwidth);
    if (!(srate > 0)) throw InputError(detail::cat("storage '", st.name, "' has no port rate or bandwidth"));
    for (int s = 0; s < storage_servers_; ++s) {
      const int v = add_vertex(VertexKind::storage, s, -1);
      storage_vertex_.push_back(v);
      const int l = storage_leaf_[static_cast<std::size_t>(s)];
      add_duplex(v, leaf_vertex_[static_cast<std::size_t>(l)], srate, srate * nic_eff, access_latency + switch_latency_,
                 access_latency, LinkKind::access);
      leaf_down[static_cast<std::size_t>(l)] += srate;
    }
  }
  leaf_pod_.assign(static_cast<std::size_t>(leaves), 0);
  leaf_pos_.resize(static_cast<std::size_t>(leaves));
  std::iota(leaf_pos_.begin(), leaf_pos_.end(), 0);
  leaf_up_.assign(static_cast<std::size_t>(leaves), {});
  if (leaves <= 1) return;

  // Spines (and cores). Each leaf's uplink capacity is its attached rate / oversubscription,
  // spread evenly over its spines; spines are non-blocking towards the cores.
  const int pod_leaves = f.pod_leaves > 0 ? f.pod_leaves : std::max(1, radix / 2);
  const bool three = f.tiers >= 3 && leaves > pod_leaves;
  const int pods = three ? ceil_div(leaves, pod_leaves) : 1;
  const int per_pod = three ? pod_leaves : leaves;
  spines_per_pod_ = up;
  for (int l = 0; l < leaves; ++l) {
    leaf_pod_[static_cast<std::size_t>(l)] = l / per_pod;
    leaf_pos_[static_cast<std::size_t>(l)] = l % per_pod;
  }
  const double fabric_latency = p.link_latency_s + switch_latency_;
  for (int pod = 0; pod < pods; ++pod) {
    for (int j = 0; j < spines_per_pod_; ++j) {
      const int sv = add_vertex(VertexKind::spine, static_cast<int>(spine_vertex_.size()), -1);
      spine_vertex_.push_back(sv);
      spine_pod_.push_back(pod);
      spine_down_.emplace_back(static_cast<std::size_t>(per_pod), -1);
      spine_up_.emplace_back();
    }
  }
  std::vector<double> spine_down_rate(spine_vertex_.size(), 0.0);
  for (int l = 0; l < leaves; ++l) {
    const int pod = leaf_pod_[static_cast<std::size_t>(l)];
    const double per_link = leaf_down[static_cast<std::size_t>(l)] * leaf_up_ratio_ / spines_per_pod_;
    if (!(per_link > 0)) continue;
    for (int j = 0; j < spines_per_pod_; ++j) {
      const int s = pod * spines_per_pod_ + j;
      const int id = static_cast<int>(links_.size());
      add_duplex(leaf_vertex_[static_cast<std::size_t>(l)], spine_vertex_[static_cast<std::size_t>(s)], per_link, per_link * nic_eff,
                 fabric_latency, fabric_latency, LinkKind::fabric);
      leaf_up_[static_cast<std::size_t>(l)].push_back(id);
      spine_down_[static_cast<std::size_t>(s)][static_cast<std::size_t>(leaf_pos_[static_cast<std::size_t>(l)])] = id + 1;
      spine_down_rate[static_cast<std::size_t>(s)] += per_link;
    }
  }
  if (!three) return;
  // Plane j: spine j of every pod, joined by cores_per_plane_ cores.
  cores_per_plane_ = std::max(1, ceil_div(pods * (radix / 2), radix));
  for (int j = 0; j < spines_per_pod_; ++j) {
    for (int k = 0; k < cores_per_plane_; ++k) {
      core_vertex_.push_back(add_vertex(VertexKind::core, static_cast<int>(core_vertex_.size()), -1));
      core_down_.emplace_back(static_cast<std::size_t>(pods), -1);
    }
  }
  for (int pod = 0; pod < pods; ++pod) {
    for (int j = 0; j < spines_per_pod_; ++j) {
      const int s = pod * spines_per_pod_ + j;
      const double per_link = spine_down_rate[static_cast<std::size_t>(s)] / cores_per_plane_;
      for (int k = 0; k < cores_per_plane_; ++k) {
        const int c = j * cores_per_plane_ + k;
        const int id = static_cast<int>(links_.size());
        add_duplex(spine_vertex_[static_cast<std::size_t>(s)], core_vertex_[static_cast<std::size_t>(c)], per_link, per_link * nic_eff,
                   fabric_latency, fabric_latency, LinkKind::fabric);
        spine_up_[static_cast<std::size_t>(s)].push_back(id);
        core_down_[static_cast<std::size_t>(c)][static_cast<std::size_t>(pod)] = id + 1;
      }
    }
  }
}

void Fabric::build_storage() {
  // Storage servers are placed on the leaves by build_scale_out(); nothing else to do, but
  // a storage attachment without any network is a user error.
  if (cluster_.storage && storage_vertex_.empty()) {
    throw InputError("cluster storage needs a scale-out network (the node has no NICs)");
  }
}

int Fabric::endpoint_vertex(int endpoint) const {
  CS_ASSERT(endpoint >= 0 && endpoint < endpoints(), "endpoint out of range");
  return endpoint < accelerators_ ? accel_vertex_[static_cast<std::size_t>(endpoint)]
                                  : storage_vertex_[static_cast<std::size_t>(endpoint - accelerators_)];
}

int Fabric::leaf_of_node(int node) const {
  if (nic_leaf_.empty()) return -1;
  return nic_leaf_[static_cast<std::size_t>(node * nics_per_node_)];
}

double Fabric::leaf_uplink_ratio() const { return leaf_up_ratio_; }

double Fabric::leaf_uplink_capacity(int leaf) const {
  if (leaf < 0 || leaf >= leaf_count()) return 0.0;
  double c = 0;
  for (int l : leaf_up_[static_cast<std::size_t>(leaf)]) c += links_[static_cast<std::size_t>(l)].capacity;
  return c;
}

int Fabric::nic_of_rank(int rank) const {
  const int node = rank / per_node_;
  const int local = rank % per_node_;
  return node * nics_per_node_ + local * nics_per_node_ / per_node_;
}

int Fabric::find_link(int a, int b) const {
  const auto& o = out_[static_cast<std::size_t>(a)];
  auto it = std::lower_bound(o.begin(), o.end(), std::make_pair(b, -1));
  return (it != o.end() && it->first == b) ? it->second : -1;
}

int Fabric::pick(int candidates, std::uint64_t key, int salt, std::span<const int> load,
                 const std::vector<int>& link_of_candidate) const {
  const int hashed = static_cast<int>(mix(key * 0x100000001B3ULL + static_cast<std::uint64_t>(salt)) %
                                      static_cast<std::uint64_t>(candidates));
  if (!cluster_.fabric.adaptive_routing || load.empty()) return hashed;
  int best = hashed;
  int best_load = load[static_cast<std::size_t>(link_of_candidate[static_cast<std::size_t>(hashed)])];
  for (int i = 1; i < candidates && best_load > 0; ++i) {
    const int c = (hashed + i) % candidates;
    const int l = load[static_cast<std::size_t>(link_of_candidate[static_cast<std::size_t>(c)])];
    if (l < best_load) {
      best = c;
      best_load = l;
    }
  }
  return best;
}

void Fabric::route_in_domain(int src, int dst, std::uint64_t key, std::vector<int>& path) const {
  if (src == dst) return;
  const int d = domain_of(src);
  const int sw = domain_switch_[static_cast<std::size_t>(d)];
  const int vs = accel_vertex_[static_cast<std::size_t>(src)];
  const int vd = accel_vertex_[static_cast<std::size_t>(dst)];
  if (sw >= 0) {
    path.push_back(find_link(vs, sw));
    path.push_back(find_link(sw, vd));
    return;
  }
  if (torus_dims_.empty()) {  // direct mesh
    path.push_back(find_link(vs, vd));
    return;
  }
  // Minimal torus path: dimension order and tie directions from the flow hash.
  const int first = d * domain_size_;
  const std::size_t nd = torus_dims_.size();
  std::vector<int> stride(nd, 1), order(nd);
  for (std::size_t i = 1; i < nd; ++i) stride[i] = stride[i - 1] * torus_dims_[i - 1];
  std::iota(order.begin(), order.end(), 0);
  std::uint64_t h = mix(key ^ 0x70F05ULL);
  for (std::size_t i = nd; i > 1; --i) std::swap(order[i - 1], order[static_cast<std::size_t>(h % i)]), h = mix(h);
  int cur = src - first;
  const int target = dst - first;
  for (std::size_t oi = 0; oi < nd; ++oi) {
    const std::size_t dim = static_cast<std::size_t>(order[oi]);
    const int size = torus_dims_[dim];
    const int c = (cur / stride[dim]) % size;
    const int t = (target / stride[dim]) % size;
    if (c == t) continue;
    const int fwd = (t - c + size) % size;
    const int bwd = size - fwd;
    const bool forward = fwd < bwd || (fwd == bwd && (mix(h + dim) & 1) == 0);
    int pos = c;
    for (int steps = forward ? fwd : bwd; steps > 0; --steps) {
      const int next = forward ? (pos + 1) % size : (pos - 1 + size) % size;
      const int nxt_local = cur + (next - pos) * stride[dim];
      const int l = find_link(accel_vertex_[static_cast<std::size_t>(first + cur)], accel_vertex_[static_cast<std::size_t>(first + nxt_local)]);
      CS_ASSERT(l >= 0, "torus neighbour link exists");
      path.push_back(l);
      cur = nxt_local;
      pos = next;
    }
  }
}

void Fabric::route_leaf_to_leaf(int a, int b, std::uint64_t key, std::vector<int>& path, std::span<const int> load) const {
  if (a == b) return;
  const auto& ups = leaf_up_[static_cast<std::size_t>(a)];
  CS_ASSERT(!ups.empty(), "leaf has uplinks");
  const int j = pick(static_cast<int>(ups.size()), key, 1, load, ups);
  path.push_back(ups[static_cast<std::size_t>(j)]);
  const int pa = leaf_pod_[static_cast<std::size_t>(a)];
  const int pb = leaf_pod_[static_cast<std::size_t>(b)];
  if (pa == pb) {
    const int s = pa * spines_per_pod_ + j;
    path.push_back(spine_down_[static_cast<std::size_t>(s)][static_cast<std::size_t>(leaf_pos_[static_cast<std::size_t>(b)])]);
    return;
  }
  const int s = pa * spines_per_pod_ + j;
  const auto& cup = spine_up_[static_cast<std::size_t>(s)];
  const int k = pick(static_cast<int>(cup.size()), key, 2, load, cup);
  path.push_back(cup[static_cast<std::size_t>(k)]);
  const int c = j * cores_per_plane_ + k;
  path.push_back(core_down_[static_cast<std::size_t>(c)][static_cast<std::size_t>(pb)]);
  const int sb = pb * spines_per_pod_ + j;
  path.push_back(spine_down_[static_cast<std::size_t>(sb)][static_cast<std::size_t>(leaf_pos_[static_cast<std::size_t>(b)])]);
}

void Fabric::route(int src, int dst, std::uint64_t key, std::vector<int>& path, std::span<const int> load) const {
  CS_ASSERT(src >= 0 && src < endpoints() && dst >= 0 && dst < endpoints(), "route endpoints in range");
  if (src == dst) return;
  const bool src_acc = src < accelerators_;
  const bool dst_acc = dst < accelerators_;
  if (src_acc && dst_acc && domain_of(src) == domain_of(dst) && domain_size_ > 1) {
    route_in_domain(src, dst, key, path);
    return;
  }
  CS_ASSERT(!leaf_vertex_.empty(), "a scale-out network joins the domains");
  // Destination side.
  int dst_nic = -1, dst_leaf = 0;
  if (dst_acc) {
    dst_nic = nic_of_rank(dst);
    dst_leaf = nic_leaf_[static_cast<std::size_t>(dst_nic)];
  } else {
    dst_leaf = storage_leaf_[static_cast<std::size_t>(dst - accelerators_)];
  }
  // Source side: the accelerator's own NIC, or (rail-optimised, PXN) the NIC of its node on
  // the destination's rail, reached over the scale-up fabric.
  int src_leaf = 0;
  if (src_acc) {
    const int node = src / per_node_;
    int nic = nic_of_rank(src);
    const int sw = pcie_switch_[static_cast<std::size_t>(node)];
    if (cluster_.fabric.topology == FabricTopology::rail_optimized && dst_nic >= 0) {
      nic = node * nics_per_node_ + dst_nic % nics_per_node_;
    }
    const int nv = nic_vertex_[static_cast<std::size_t>(nic)];
    const int sv = accel_vertex_[static_cast<std::size_t>(src)];
    if (sw >= 0) {
      path.push_back(find_link(sv, sw));
      path.push_back(find_link(sw, nv));
    } else {
      int l = find_link(sv, nv);
      if (l < 0) {  // PXN: hop over NVLink to the GPU that owns this NIC
        const int k = nic % nics_per_node_;
        const int owner = node * per_node_ + ceil_div(k * per_node_, nics_per_node_);
        if (owner < accelerators_ && domain_of(owner) == domain_of(src) && domain_size_ > 1) {
          route_in_domain(src, owner, key, path);
          l = find_link(accel_vertex_[static_cast<std::size_t>(owner)], nv);
        }
        if (l < 0) {  // no scale-up path to it: use the own NIC
          nic = nic_of_rank(src);
          l = find_link(sv, nic_vertex_[static_cast<std::size_t>(nic)]);
        }
      }
      CS_ASSERT(l >= 0, "a link to the NIC");
      path.push_back(l);
    }
    path.push_back(nic_up_link_[static_cast<std::size_t>(nic)]);
    src_leaf = nic_leaf_[static_cast<std::size_t>(nic)];
  } else {
    const int sv = storage_vertex_[static_cast<std::size_t>(src - accelerators_)];
    src_leaf = storage_leaf_[static_cast<std::size_t>(src - accelerators_)];
    path.push_back(find_link(sv, leaf_vertex_[static_cast<std::size_t>(src_leaf)]));
  }
  route_leaf_to_leaf(src_leaf, dst_leaf, key, path, load);
  if (dst_acc) {
    path.push_back(nic_down_link_[static_cast<std::size_t>(dst_nic)]);
    const int nv = nic_vertex_[static_cast<std::size_t>(dst_nic)];
    const int dv = accel_vertex_[static_cast<std::size_t>(dst)];
    const int sw = pcie_switch_[static_cast<std::size_t>(dst / per_node_)];
    if (sw >= 0) {
      path.push_back(find_link(nv, sw));
      path.push_back(find_link(sw, dv));
    } else {
      path.push_back(find_link(nv, dv));
    }
  } else {
    const int dv = storage_vertex_[static_cast<std::size_t>(dst - accelerators_)];
    path.push_back(find_link(leaf_vertex_[static_cast<std::size_t>(dst_leaf)], dv));
  }
}

double Fabric::path_latency(std::span<const int> path) const {
  double s = 0;
  for (int l : path) s += links_[static_cast<std::size_t>(l)].latency_s;
  return s;
}

double Fabric::scale_out_latency(int node_a, int node_b) const {
  if (leaf_vertex_.empty()) return 0.0;
  const int a = std::min(node_a * per_node_, accelerators_ - 1);
  const int b = std::min(node_b * per_node_, accelerators_ - 1);
  if (a == b) return 0.0;
  std::vector<int> path;
  route(a, b, 0, path);
  return path_latency(path) + cluster_.nic.latency_s;
}

int Fabric::shortest_hops(int from, int to) const {
  std::vector<int> dist(boost::num_vertices(graph_), -1);
  dist[static_cast<std::size_t>(from)] = 0;
  auto vis = boost::make_bfs_visitor(boost::record_distances(dist.data(), boost::on_tree_edge()));
  boost::breadth_first_search(graph_, static_cast<std::size_t>(from), boost::visitor(vis));
  return dist[static_cast<std::size_t>(to)];
}

std::string Fabric::describe() const {
  return detail::cat(vertex_count(), " vertices, ", links_.size(), " links; ", accelerators_, " accelerators in ", nodes_, " nodes (", domain_size_, " per scale-up domain), ", static_cast<int>(nic_vertex_.size()), " NICs, ", leaf_count(), " leaves, ", spine_count(), " spines, ", core_count(), " cores, ", storage_servers_, " storage servers");
}

}  // namespace cs::hw
