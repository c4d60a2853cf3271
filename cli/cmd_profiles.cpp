// `clustersim profiles list [--kind K] [--json]` and `clustersim profiles show NAME [--json]`:
// what the hardware catalog holds and where each number comes from.
//
// list prints one row per profile (name, kind, peak BF16, memory, bandwidth, power, price
// source); show prints every field of one profile with its sources. Both render the same
// JSON (load::to_profile_json), so --json output is the profile format itself and loads back.
#include <fmt/format.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "loaders/data_paths.hpp"
#include "loaders/profile_loader.hpp"
#include "loaders/units.hpp"
#include "sim/core/error.hpp"

namespace cs::cli {
namespace {

struct ProfilesOptions {
  std::string kind;  // list filter; empty = all
  std::string name;  // show
  bool json = false;
};

const std::vector<std::string> kKinds = {"accelerator", "node", "nic", "switch", "link_medium", "storage"};

// One catalog entry reduced to the columns of `profiles list`. Quantities in base units;
// 0 = not applicable to this kind.
struct Row {
  std::string name;
  std::string kind;
  std::string display_name;
  double peak_bf16 = 0;   // FLOP/s (nodes: all accelerators together)
  double memory = 0;      // bytes (accelerators: HBM; nodes: HBM of all accelerators; storage: capacity)
  double bandwidth = 0;   // bytes/s (accelerators: HBM; nodes: scale-up per accelerator; NIC/switch: port; storage: read)
  double power = 0;       // W (accelerators: TDP; nodes: max)
  std::string price;      // the price shown, with its unit
  std::string price_source;
  std::string confidence;
  std::string file;
};

// Datasheets state memory and storage in decimal units (80 GB, 3.84 TB): show them so.
std::string decimal_bytes(double v) {
  if (v >= 1e15) return fmt::format("{:.4g} PB", v / 1e15);
  if (v >= 1e12) return fmt::format("{:.4g} TB", v / 1e12);
  if (v >= 1e9) return fmt::format("{:.4g} GB", v / 1e9);
  if (v >= 1e6) return fmt::format("{:.4g} MB", v / 1e6);
  return fmt::format("{:.4g} B", v);
}

std::string format(double v, load::Dimension dim) {
  if (dim == load::Dimension::bytes) return decimal_bytes(v);
  if (dim == load::Dimension::money && v >= 1000) return fmt::format("${:.0f}", v);
  return load::format_quantity(v, dim);
}

std::string price_text(const hw::Price& p, load::Dimension dim) {
  return p.known() ? format(p.value, dim) + (p.estimate ? " (est.)" : "") : std::string();
}

// The price a planner compares first: purchase if known, else the cloud rate.
void set_price(Row& r, const hw::Price& purchase, const hw::Price& hourly) {
  const hw::Price& p = purchase.known() ? purchase : hourly;
  if (!p.known()) {
    r.price_source = "no public price";
    return;
  }
  r.price = price_text(p, purchase.known() ? load::Dimension::money : load::Dimension::money_rate);
  r.price_source = p.source + (p.date.empty() ? "" : ", " + p.date);
}

template <class Spec>
Row head(const Spec& s, const char* kind) {
  Row r;
  r.name = s.name;
  r.kind = kind;
  r.display_name = s.display_name;
  r.confidence = std::string(hw::to_string(s.confidence));
  r.file = s.profile_file;
  return r;
}

std::vector<Row> rows_of(const hw::HardwareCatalog& c, const std::string& kind) {
  std::vector<Row> rows;
  auto want = [&](const char* k) { return kind.empty() || kind == k; };
  if (want("accelerator")) {
    for (const auto& [n, a] : c.accelerators) {
      Row r = head(a, "accelerator");
      r.peak_bf16 = a.peak(hw::DType::bf16);
      r.memory = a.memory_bytes;
      r.bandwidth = a.memory_bandwidth;
      r.power = a.tdp_watts;
      set_price(r, a.purchase, a.cloud_hourly);
      rows.push_back(std::move(r));
    }
  }
  if (want("node")) {
    for (const auto& [n, node] : c.nodes) {
      Row r = head(node, "node");
      const auto& a = c.accelerator(node.accelerator);
      r.peak_bf16 = node.accelerators * a.peak(hw::DType::bf16);
      r.memory = node.accelerators * a.memory_bytes;
      r.bandwidth = node.scale_up.bandwidth_per_accelerator;
      r.power = node.max_power_watts;
      set_price(r, node.purchase, node.cloud_hourly);
      rows.push_back(std::move(r));
    }
  }
  if (want("nic")) {
    for (const auto& [n, nic] : c.nics) {
      Row r = head(nic, "nic");
      r.bandwidth = nic.port_rate;
      r.power = nic.power_watts;
      set_price(r, nic.purchase, hw::Price{});
      rows.push_back(std::move(r));
    }
  }
  if (want("switch")) {
    for (const auto& [n, s] : c.switches) {
      Row r = head(s, "switch");
      r.bandwidth = s.port_rate;
      r.power = s.power_watts;
      set_price(r, s.purchase, hw::Price{});
      rows.push_back(std::move(r));
    }
  }
  if (want("link_medium")) {
    for (const auto& [n, l] : c.link_media) {
      Row r = head(l, "link_medium");
      r.bandwidth = l.rate;
      r.power = l.power_watts;
      set_price(r, l.purchase, hw::Price{});
      rows.push_back(std::move(r));
    }
  }
  if (want("storage")) {
    for (const auto& [n, s] : c.storage) {
      Row r = head(s, "storage");
      r.memory = s.capacity_bytes;
      r.bandwidth = s.read_bandwidth;
      r.power = s.power_watts;
      if (s.purchase.known() || !s.monthly_per_tb.known()) {
        set_price(r, s.purchase, hw::Price{});
      } else {
        r.price = fmt::format("${:.2f}/TB-month{}", s.monthly_per_tb.value, s.monthly_per_tb.estimate ? " (est.)" : "");
        r.price_source = s.monthly_per_tb.source + ", " + s.monthly_per_tb.date;
      }
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

std::string cell(double v, load::Dimension dim) { return v > 0 ? format(v, dim) : "-"; }

int run_list(const CommandContext& c, const ProfilesOptions& o) {
  const auto data = load::DataPaths::locate(c.global.data_dir);
  const hw::HardwareCatalog catalog = load::load_catalog(data.profiles());
  const std::vector<Row> rows = rows_of(catalog, o.kind);
  if (o.json) {
    load::Json arr = load::Json::array();
    for (const auto& r : rows) {
      arr.push_back({{"name", r.name},
                     {"kind", r.kind},
                     {"display_name", r.display_name},
                     {"peak_bf16_flops", r.peak_bf16},
                     {"memory_bytes", r.memory},
                     {"bandwidth_bytes_per_s", r.bandwidth},
                     {"power_watts", r.power},
                     {"price", r.price},
                     {"price_source", r.price_source},
                     {"confidence", r.confidence},
                     {"profile_file", r.file}});
    }
    c.out << load::Json{{"profiles", arr}}.dump(2) << "\n";
    return kExitOk;
  }
  c.out << fmt::format("{:<20} {:<12} {:>14} {:>11} {:>11} {:>9}  {:<20} {}\n", "name", "kind", "peak BF16", "memory",
                       "bandwidth", "power", "price", "price source");
  for (const auto& r : rows) {
    c.out << fmt::format("{:<20} {:<12} {:>14} {:>11} {:>11} {:>9}  {:<20} {}\n", r.name, r.kind,
                         cell(r.peak_bf16, load::Dimension::flop_rate), cell(r.memory, load::Dimension::bytes),
                         cell(r.bandwidth, load::Dimension::bandwidth), cell(r.power, load::Dimension::power),
                         r.price.empty() ? "-" : r.price, r.price_source);
  }
  c.out << fmt::format("{} profiles from {}\n", rows.size(), data.profiles().string());
  return kExitOk;
}

// ---- show: every field of one profile, rendered from its JSON with units.

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The unit of a numeric field, from where it sits in the profile format.
std::optional<load::Dimension> dimension_of(const std::string& pointer, const std::string& kind) {
  using D = load::Dimension;
  if (pointer.rfind("/peak_dense/", 0) == 0) return D::flop_rate;
  if (pointer == "/prices/cloud_hourly/value" || pointer == "/prices/cloud_hourly") return D::money_rate;
  if (pointer.rfind("/prices/", 0) == 0) return D::money;
  if (pointer.find("bandwidth") != std::string::npos || ends_with(pointer, "rate")) return D::bandwidth;
  if (ends_with(pointer, "latency") || pointer == "/kernel_launch_overhead") return D::duration;
  if (ends_with(pointer, "capacity") || pointer == "/l2_cache" || pointer == "/host_memory" ||
      pointer == "/efficiency/memory_half_size") {
    return D::bytes;
  }
  if (pointer.rfind("/power", 0) == 0) return D::power;
  (void)kind;
  return std::nullopt;
}

void render(std::ostream& out, const load::OrderedJson& j, const std::string& pointer, const std::string& kind, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  for (const auto& [key, value] : j.items()) {
    if ((!key.empty() && key[0] == '_') || (indent == 1 && (key == "schema_version" || key == "kind" || key == "name"))) continue;
    const std::string p = pointer + "/" + key;
    if (value.is_object()) {
      out << pad << key << ":\n";
      render(out, value, p, kind, indent + 1);
    } else if (value.is_array() && !value.empty() && value.front().is_object()) {
      out << pad << key << ":\n";
      for (const auto& item : value) {
        bool first = true;
        for (const auto& [k, v] : item.items()) {
          out << pad << (first ? "  - " : "    ") << k << ": " << (v.is_string() ? v.get<std::string>() : v.dump())
              << "\n";
          first = false;
        }
      }
    } else if (value.is_number() && !value.is_number_integer()) {
      const auto dim = dimension_of(p, kind);
      out << pad << key << ": " << (dim ? format(value.get<double>(), *dim) : fmt::format("{:g}", value.get<double>()))
          << "\n";
    } else if (value.is_string()) {
      out << pad << key << ": " << value.get<std::string>() << "\n";
    } else {
      out << pad << key << ": " << value.dump() << "\n";
    }
  }
}

int run_show(const CommandContext& c, const ProfilesOptions& o) {
  const auto data = load::DataPaths::locate(c.global.data_dir);
  const hw::HardwareCatalog catalog = load::load_catalog(data.profiles());
  std::vector<load::OrderedJson> found;
  if (auto it = catalog.accelerators.find(o.name); it != catalog.accelerators.end()) found.push_back(load::to_profile_json(it->second));
  if (auto it = catalog.nodes.find(o.name); it != catalog.nodes.end()) found.push_back(load::to_profile_json(it->second));
  if (auto it = catalog.nics.find(o.name); it != catalog.nics.end()) found.push_back(load::to_profile_json(it->second));
  if (auto it = catalog.switches.find(o.name); it != catalog.switches.end()) found.push_back(load::to_profile_json(it->second));
  if (auto it = catalog.link_media.find(o.name); it != catalog.link_media.end()) found.push_back(load::to_profile_json(it->second));
  if (auto it = catalog.storage.find(o.name); it != catalog.storage.end()) found.push_back(load::to_profile_json(it->second));
  if (found.empty()) {
    std::vector<std::string> names;
    for (const auto& r : rows_of(catalog, "")) names.push_back(r.name);
    const std::string best = nearest_match(o.name, names);
    throw InputError("unknown profile \"" + o.name + "\"" + (best.empty() ? "" : " (did you mean \"" + best + "\"?)") +
                     "; run 'clustersim profiles list' to see the catalog");
  }
  if (o.json) {
    c.out << (found.size() == 1 ? found.front() : load::OrderedJson(found)).dump(2) << "\n";
    return kExitOk;
  }
  for (const auto& j : found) {
    const std::string kind = j.at("kind").get<std::string>();
    c.out << j.at("name").get<std::string>() << "  (" << kind << ", " << j.value("_profile_file", "") << ")\n";
    if (j.contains("_compute_times")) c.out << "compute times: " << j.at("_compute_times").get<std::string>() << "\n";
    render(c.out, j, "", kind, 1);
  }
  return kExitOk;
}

}  // namespace

Command add_profiles_command(CLI::App& app) {
  auto o = std::make_shared<ProfilesOptions>();
  auto* cmd = app.add_subcommand("profiles", "List and show the hardware catalog (hardware-profiles/)");
  cmd->require_subcommand(1);
  auto* list = cmd->add_subcommand("list", "One row per profile: name, kind, peak BF16, memory, bandwidth, power, price source");
  list->add_option("--kind", o->kind, "Only this kind")->check(CLI::IsMember(kKinds));
  list->add_flag("--json", o->json, "Print JSON");
  auto* show = cmd->add_subcommand("show", "Every field of one profile, with its sources");
  show->add_option("name", o->name, "Catalog name, e.g. h100-sxm")->required();
  show->add_flag("--json", o->json, "Print the profile as JSON (the profile format, quantities in base units)");
  return {cmd, [o, list](const CommandContext& c) { return *list ? run_list(c, *o) : run_show(c, *o); }};
}

}  // namespace cs::cli
