#pragma once
// Fabric: the topology graph of a cluster (Boost.Graph), its links and its routing.
//
// Vertices are accelerators, NICs, storage servers and switches (scale-up switches such as
// an NVSwitch plane, PCIe switches, leaf/spine/core switches). Every physical connection is
// two directed links, one per direction, each with its line rate, its effective capacity
// (line rate x the profile's achievable fraction for that link class) and its latency.
// Parallel cables between the same two switches are one link with their summed rate (a
// fluid view of per-packet spraying over them).
//
// Routing returns shortest paths. Within a scale-up domain the path is the switch (or the
// direct link); on a torus it is a minimal path whose dimension order and tie-breaking
// direction come from the flow hash. Across the scale-out network it is the up/down path
// of the fat tree (shortest by construction), one of the equal-cost spines/cores picked by
// a deterministic hash of the flow key (ECMP) or, with adaptive routing, the least-loaded
// one given the caller's per-link flow counts. Rail-optimised fabrics route like NCCL's
// PXN: the data first crosses NVLink to the GPU whose NIC sits on the destination's rail.
// shortest_hops() runs a Boost breadth-first search, so tests can check that routes are
// shortest paths.
//
// Endpoints are accelerator ranks 0..N-1, then storage servers N..N+S-1.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "sim/hw/cluster.hpp"

namespace cs::hw {

enum class VertexKind : std::uint8_t { accelerator, nic, storage, scale_up_switch, pcie_switch, leaf, spine, core };
enum class LinkKind : std::uint8_t {
  scale_up,  // NVLink / NVSwitch / Infinity Fabric
  ici,       // torus link between TPU chips
  pcie,      // accelerator <-> PCIe switch / NIC
  access,    // NIC (or storage port) <-> leaf switch
  fabric,    // switch <-> switch
};
std::string_view to_string(VertexKind k);
std::string_view to_string(LinkKind k);

struct FabricVertex {
  VertexKind kind = VertexKind::accelerator;
  int index = 0;  // rank, NIC id, storage server, or switch id within its kind
  int node = -1;  // node of accelerators and NICs
};

struct Link {
  int from = 0;  // vertex ids
  int to = 0;
  double line_rate = 0;  // bytes/s, this direction
  double capacity = 0;   // bytes/s the model lets flows use (line rate x efficiency)
  double latency_s = 0;  // propagation plus the switch (or NIC) it enters
  LinkKind kind = LinkKind::fabric;
};

class Fabric {
 public:
  // The graph: bidirectional so tests and tools may walk in-edges; the edge property is
  // the link id into links().
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, FabricVertex, int>;

  // Builds the fabric. Throws InputError for clusters that cannot be built (no NIC rate
  // with several nodes, a torus whose dimensions do not match the domain, ...).
  explicit Fabric(const ClusterSpec& cluster);

  const ClusterSpec& cluster() const { return cluster_; }
  const NetworkProfile& profile() const { return cluster_.fabric.profile; }
  const Graph& graph() const { return graph_; }
  std::span<const Link> links() const { return links_; }
  const Link& link(int id) const { return links_[static_cast<std::size_t>(id)]; }
  int vertex_count() const { return static_cast<int>(boost::num_vertices(graph_)); }
  const FabricVertex& vertex(int v) const { return graph_[static_cast<std::size_t>(v)]; }

  int accelerators() const { return accelerators_; }
  int storage_servers() const { return storage_servers_; }
  int endpoints() const { return accelerators_ + storage_servers_; }
  int endpoint_vertex(int endpoint) const;
  int nodes() const { return nodes_; }
  int accelerators_per_node() const { return per_node_; }
  int nics_per_node() const { return nics_per_node_; }
  int domain_size() const { return domain_size_; }     // accelerators per scale-up domain
  int domain_of(int rank) const { return rank / domain_size_; }
  int node_of(int rank) const { return rank / per_node_; }
  int leaf_of_node(int node) const;                    // -1 without a scale-out network
  int leaf_count() const { return static_cast<int>(leaf_vertex_.size()); }
  int spine_count() const { return static_cast<int>(spine_vertex_.size()); }
  int core_count() const { return static_cast<int>(core_vertex_.size()); }
  bool has_scale_out() const { return !leaf_vertex_.empty(); }
  bool in_network_reduction_scale_up() const { return nvls_; }
  bool in_network_reduction_scale_out() const { return sharp_; }
  const std::vector<int>& torus_dims() const { return torus_dims_; }

  // Effective (efficiency-scaled) bandwidths, bytes/s per direction, for the closed forms.
  double scale_up_bandwidth() const { return scale_up_bw_; }  // per accelerator, 0 without scale-up
  double scale_up_line_rate() const { return scale_up_raw_; }  // per accelerator, before efficiency
  double nic_line_rate() const { return nic_raw_; }            // per NIC, before efficiency
  double nic_attach_capacity() const { return nic_attach_cap_; } // effective GPU -> NIC (PCIe) link
  // Sum of the effective uplink capacities of a leaf (0 for a lone leaf).
  double leaf_uplink_capacity(int leaf) const;
  int nic_of(int rank) const { return nic_of_rank(rank); }     // global NIC id a rank uses by default
  int leaf_of_nic(int nic) const { return nic_leaf_[static_cast<std::size_t>(nic)]; }
  double nic_bandwidth() const { return nic_bw_; }            // per NIC
  double leaf_uplink_ratio() const;                           // uplink / downlink capacity of a leaf
  double scale_up_hop_latency() const { return scale_up_latency_; }
  // Latency of the scale-out path between two nodes (NICs, switches, links), seconds.
  double scale_out_latency(int node_a, int node_b) const;

  // Appends the link ids of the route from `src` to `dst` (endpoints) to `path`.
  // `flow_key` feeds the ECMP hash. `link_load` (optional, per link id: active flows)
  // steers adaptive routing; ignored under ECMP.
  void route(int src, int dst, std::uint64_t flow_key, std::vector<int>& path,
             std::span<const int> link_load = {}) const;
  double path_latency(std::span<const int> path) const;
  // Hop count of a shortest path between two vertices (Boost BFS over all links).
  int shortest_hops(int from_vertex, int to_vertex) const;
  // Link id from vertex a to vertex b; -1 when they are not adjacent.
  int find_link(int a, int b) const;

  std::string describe() const;  // one line: vertices, links, switches per tier

 private:
  int add_vertex(VertexKind kind, int index, int node);
  void add_duplex(int a, int b, double line_rate, double capacity, double latency_ab, double latency_ba, LinkKind kind);
  void build_scale_up();
  void build_torus(int domain, int first_rank, int count);
  void build_scale_out();
  void build_storage();
  void route_in_domain(int src_rank, int dst_rank, std::uint64_t key, std::vector<int>& path) const;
  void route_leaf_to_leaf(int leaf_a, int leaf_b, std::uint64_t key, std::vector<int>& path,
                          std::span<const int> load) const;
  int pick(int candidates, std::uint64_t key, int salt, std::span<const int> load,
           const std::vector<int>& link_of_candidate) const;
  int nic_of_rank(int rank) const;  // the NIC a rank uses by default

  ClusterSpec cluster_;
  Graph graph_;
  std::vector<Link> links_;
  std::vector<std::vector<std::pair<int, int>>> out_;  // per vertex: (neighbour, link id), sorted

  int accelerators_ = 0, storage_servers_ = 0, nodes_ = 0, per_node_ = 1, nics_per_node_ = 0, domain_size_ = 1;
  bool nvls_ = false, sharp_ = false;
  double scale_up_bw_ = 0, scale_up_raw_ = 0, nic_bw_ = 0, nic_raw_ = 0, nic_attach_cap_ = 0, scale_up_latency_ = 0, switch_latency_ = 0;
  std::vector<int> torus_dims_;

  std::vector<int> accel_vertex_;       // per rank
  std::vector<int> storage_vertex_;     // per storage server
  std::vector<int> storage_leaf_;       // leaf index per storage server
  std::vector<int> domain_switch_;      // per domain: scale-up switch vertex (-1 for direct/torus)
  std::vector<int> pcie_switch_;        // per node: PCIe switch vertex (-1 when NICs hang off GPUs)
  std::vector<int> nic_vertex_;         // per global NIC (node * nics_per_node + k)
  std::vector<int> nic_leaf_;           // leaf index per global NIC
  std::vector<int> nic_up_link_;        // NIC -> leaf link, per global NIC
  std::vector<int> nic_down_link_;      // leaf -> NIC
  std::vector<int> leaf_vertex_, spine_vertex_, core_vertex_;
  std::vector<int> leaf_pod_;           // pod per leaf (3 tiers; 0 otherwise)
  int spines_per_pod_ = 0;              // 3 tiers: spines per pod; 2 tiers: all spines
  int cores_per_plane_ = 0;             // 3 tiers
  // leaf_up_[leaf][j]: link leaf -> j-th spine of its pod; spine_down_ reverse by (spine, leaf)
  std::vector<std::vector<int>> leaf_up_;
  std::vector<std::vector<int>> spine_down_;  // per spine: indexed by leaf position in its pod
  std::vector<std::vector<int>> spine_up_;    // per spine: links to the cores of its plane
  std::vector<std::vector<int>> core_down_;   // per core: links to spine j of every pod (indexed by pod)
  std::vector<int> spine_pod_;                // pod of each spine
  std::vector<int> leaf_pos_;                 // position of each leaf within its pod
  double leaf_up_ratio_ = 1.0;
};

}  // namespace cs::hw
