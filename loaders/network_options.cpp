// Scenario keys of the network model (network_options.hpp).
#include "loaders/network_options.hpp"

#include <limits>

namespace cs::load {

void read_network_profile(const Node& node, hw::NetworkProfile& p) {
  ObjectReader r(node);
  p.scale_up_efficiency = r.number_or("scale_up_efficiency", p.scale_up_efficiency, 0.01, 1.0);
  p.pcie_efficiency = r.number_or("pcie_efficiency", p.pcie_efficiency, 0.01, 1.0);
  p.ici_efficiency = r.number_or("ici_efficiency", p.ici_efficiency, 0.01, 1.0);
  p.nic_efficiency = r.number_or("nic_efficiency", p.nic_efficiency, 0.01, 1.0);
  p.nvls_efficiency = r.number_or("nvls_efficiency", p.nvls_efficiency, 0.01, 2.0);
  p.sharp_efficiency = r.number_or("sharp_efficiency", p.sharp_efficiency, 0.01, 2.0);
  p.switch_latency_s = r.quantity_or("switch_latency", Dimension::duration, p.switch_latency_s);
  p.link_latency_s = r.quantity_or("link_latency", Dimension::duration, p.link_latency_s);
  p.message_overhead_s = r.quantity_or("message_overhead", Dimension::duration, p.message_overhead_s);
  p.scale_up_overhead_s = r.quantity_or("scale_up_overhead", Dimension::duration, p.scale_up_overhead_s);
  p.collective_launch_s = r.quantity_or("collective_launch", Dimension::duration, p.collective_launch_s);
  if (auto list = r.optional("protocols")) {
    p.protocols.clear();
    for (const Node& item : list->items()) {
      ObjectReader w(item);
      hw::WireProtocol proto;
      proto.name = w.required("name", "a protocol name").as_nonempty_string();
      proto.base_latency_s = w.quantity_or("base_latency", Dimension::duration, 0.0);
      proto.step_latency_s = w.quantity_or("step_latency", Dimension::duration, 0.0);
      proto.bandwidth_fraction = w.number_or("bandwidth_fraction", 1.0, 0.01, 1.0);
      proto.chunk_bytes = w.quantity_or("chunk", Dimension::bytes, 0.0);
      proto.max_bytes = w.quantity_or("max_bytes", Dimension::bytes, 0.0);
      w.finish();
      p.protocols.push_back(proto);
    }
  }
  r.finish();
}

void read_network_options(ObjectReader& r, hw::FabricSpec& f) {
  f.adaptive_routing = r.bool_or("adaptive_routing", f.adaptive_routing);
  f.switch_radix = static_cast<int>(r.int_or("switch_radix", f.switch_radix, 0, 4096));
  f.pod_leaves = static_cast<int>(r.int_or("pod_leaves", f.pod_leaves, 0, 4096));
  if (auto t = r.optional("torus_dims")) {
    f.torus_dims.clear();
    for (const Node& d : t->nonempty_items()) f.torus_dims.push_back(static_cast<int>(d.as_int(1, 4096)));
    if (f.torus_dims.size() < 2 || f.torus_dims.size() > 3) t->fail("expected 2 or 3 torus dimensions");
  }
  if (auto p = r.optional("profile")) read_network_profile(*p, f.profile);
}

}  // namespace cs::load
