#include "loaders/calibration_profile.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <fmt/format.h>

#include "sim/core/atomic_file.hpp"

namespace cs::load {
namespace {

// Anything measured in seconds per repetition: above a picosecond, below an hour.
constexpr double kMinSeconds = 1e-12;
constexpr double kMaxSeconds = 3600.0;

std::vector<std::string> dtype_names() {
  std::vector<std::string> v;
  for (hw::DType d : hw::kAllDTypes) v.emplace_back(hw::name(d));
  return v;
}

hw::DType read_dtype(const Node& node) { return *hw::parse_dtype(node.as_enum(dtype_names())); }

std::vector<double> read_seconds(const Node& node) {
  std::vector<double> out;
  for (const Node& item : node.nonempty_items()) out.push_back(item.as_number(kMinSeconds, kMaxSeconds));
  return out;
}

std::vector<double> read_positive_list(const Node& node, bool increasing) {
  std::vector<double> out;
  for (const Node& item : node.nonempty_items()) {
    const double x = item.as_number(0.0, 1e30);
    if (x <= 0.0) item.fail("expected a positive number");
    if (increasing && !out.empty() && x <= out.back()) item.fail("values must be strictly increasing");
    out.push_back(x);
  }
  return out;
}

RateCurve read_curve(const Node& node) {
  ObjectReader r(node);
  RateCurve c;
  c.bytes = read_positive_list(r.required("bytes", "strictly increasing sizes in bytes"), true);
  const Node rates = r.required("bytes_per_second", "one achieved rate per size");
  c.bytes_per_second = read_positive_list(rates, false);
  if (c.bytes_per_second.size() != c.bytes.size()) {
    rates.fail(fmt::format("expected {} rates (one per size), got {}", c.bytes.size(), c.bytes_per_second.size()));
  }
  r.finish();
  return c;
}

std::map<std::string, RateCurve> read_curves(const Node& node, std::initializer_list<std::string_view> allowed) {
  std::map<std::string, RateCurve> out;
  if (!node.is_object()) node.fail("expected an object of curves");
  for (auto it = node.json().begin(); it != node.json().end(); ++it) {
    const std::string& key = it.key();
    const Node child(it.value(), node.file(), pointer_join(node.pointer(), key));
    if (allowed.size() != 0) Node(Json(key), node.file(), child.pointer()).as_enum(allowed);
    out.emplace(key, read_curve(child));
  }
  return out;
}

GemmRateTable read_gemm_table(const Node& node) {
  ObjectReader r(node);
  GemmRateTable t;
  t.m = read_positive_list(r.required("m", "strictly increasing M values"), true);
  t.n = read_positive_list(r.required("n", "strictly increasing N values"), true);
  t.k = read_positive_list(r.required("k", "strictly increasing K values"), true);
  const Node rates = r.required("flops_per_second", "achieved FLOP/s, M-major then N then K");
  t.flops_per_second = read_positive_list(rates, false);
  const std::size_t cells = t.m.size() * t.n.size() * t.k.size();
  if (t.flops_per_second.size() != cells) {
    rates.fail(fmt::format("expected {} x {} x {} = {} rates, got {}", t.m.size(), t.n.size(), t.k.size(), cells,
                           t.flops_per_second.size()));
  }
  r.finish();
  return t;
}

DeviceInfo read_device(const Node& node) {
  ObjectReader r(node);
  DeviceInfo d;
  d.name = r.required("name", "the GPU name the driver reports").as_nonempty_string();
  d.compute_capability = r.string_or("compute_capability", "");
  d.sm_count = static_cast<int>(r.int_or("sm_count", 0, 0, 100000));
  d.gpu_count = static_cast<int>(r.int_or("gpu_count", 1, 1, 1024));
  d.memory_bytes = r.quantity_or("memory", Dimension::bytes, 0.0);
  d.l2_bytes = r.quantity_or("l2_cache", Dimension::bytes, 0.0);
  d.sm_clock_hz = r.quantity_or("sm_clock", Dimension::frequency, 0.0);
  d.memory_clock_hz = r.quantity_or("memory_clock", Dimension::frequency, 0.0);
  d.driver = r.string_or("driver", "");
  d.cuda_driver = r.string_or("cuda_driver", "");
  d.cuda_runtime = r.string_or("cuda_runtime", "");
  r.finish();
  return d;
}

ToolInfo read_tool(const Node& node) {
  ObjectReader r(node);
  ToolInfo t;
  t.name = r.required("name").as_nonempty_string();
  t.version = r.string_or("version", "");
  t.mode = r.required("mode", "\"quick\", \"full\" or \"synthetic\"").as_enum({"quick", "full", "synthetic"});
  t.warmup = static_cast<int>(r.int_or("warmup", 0, 0, 1000000));
  t.repetitions = static_cast<int>(r.required("repetitions").as_int(1, 1000000));
  t.elapsed_s = r.number_or("elapsed_s", 0.0, 0.0, 1e7);
  r.finish();
  return t;
}

RawSamples read_samples(const Node& node) {
  ObjectReader r(node);
  RawSamples s;
  if (auto list = r.optional("gemm")) {
    for (const Node& item : list->items()) {
      ObjectReader g(item);
      GemmSample x;
      x.dtype = read_dtype(g.required("dtype"));
      x.m = g.required("m").as_number(1, 1e9);
      x.n = g.required("n").as_number(1, 1e9);
      x.k = g.required("k").as_number(1, 1e9);
      x.seconds = read_seconds(g.required("seconds", "one time per repetition, in seconds"));
      g.finish();
      s.gemm.push_back(std::move(x));
    }
  }
  if (auto list = r.optional("memory")) {
    for (const Node& item : list->items()) {
      ObjectReader m(item);
      MemorySample x;
      x.kernel = m.required("kernel").as_enum({"copy", "read"});
      x.bytes = m.required("bytes").as_number(1, 1e15);
      x.seconds = read_seconds(m.required("seconds", "one time per repetition, in seconds"));
      m.finish();
      s.memory.push_back(std::move(x));
    }
  }
  if (auto list = r.optional("launch")) s.launch_seconds = read_seconds(*list);
  if (auto list = r.optional("transfers")) {
    for (const Node& item : list->items()) {
      ObjectReader t(item);
      TransferSample x;
      x.kind = t.required("kind").as_enum({"h2d", "d2h", "p2p"});
      x.src = static_cast<int>(t.int_or("src", 0, 0, 1023));
      x.dst = static_cast<int>(t.int_or("dst", 0, 0, 1023));
      x.bytes = t.required("bytes").as_number(1, 1e15);
      x.seconds = read_seconds(t.required("seconds", "one time per repetition, in seconds"));
      t.finish();
      s.transfers.push_back(std::move(x));
    }
  }
  if (auto list = r.optional("attention")) {
    for (const Node& item : list->items()) {
      ObjectReader a(item);
      AttentionSample x;
      x.dtype = read_dtype(a.required("dtype"));
      x.batch_heads = a.required("batch_heads").as_number(1, 1e9);
      x.seq = a.required("seq").as_number(1, 1e9);
      x.head_dim = a.required("head_dim").as_number(1, 1e5);
      x.seconds = read_seconds(a.required("seconds", "one time per repetition, in seconds"));
      a.finish();
      s.attention.push_back(std::move(x));
    }
  }
  if (auto list = r.optional("collectives")) {
    for (const Node& item : list->items()) {
      ObjectReader c(item);
      CollectiveSample x;
      x.op = c.required("op").as_enum({"all_reduce", "all_gather", "reduce_scatter"});
      x.gpus = static_cast<int>(c.required("gpus").as_int(2, 1 << 20));
      x.bytes = c.required("bytes").as_number(1, 1e15);
      x.seconds = read_seconds(c.required("seconds", "one time per repetition, in seconds"));
      c.finish();
      s.collectives.push_back(std::move(x));
    }
  }
  r.finish();
  return s;
}

FittedTables read_fitted(const Node& node) {
  ObjectReader r(node);
  FittedTables f;
  if (auto gemm = r.optional("gemm")) {
    if (!gemm->is_object()) gemm->fail("expected an object of tables keyed by dtype");
    for (auto it = gemm->json().begin(); it != gemm->json().end(); ++it) {
      const std::string& key = it.key();
      const Node child(it.value(), node.file(), pointer_join(gemm->pointer(), key));
      const hw::DType d = read_dtype(Node(Json(key), node.file(), child.pointer()));
      f.gemm.emplace(d, read_gemm_table(child));
    }
  }
  if (auto memory = r.optional("memory")) f.memory = read_curves(*memory, {"copy", "read"});
  if (auto lo = r.optional("kernel_launch_overhead")) f.launch_overhead_s = lo->as_quantity(Dimension::duration, 0.0, 1e-3);
  if (auto t = r.optional("transfers")) f.transfers = read_curves(*t, {"h2d", "d2h", "p2p"});
  if (auto c = r.optional("collectives")) f.collectives = read_curves(*c, {});
  if (auto a = r.optional("attention_factor_unfused")) f.attention_factor_unfused = a->as_number(1e-3, 1.0);
  r.finish();
  return f;
}

// ---- writing ----

using OJson = nlohmann::ordered_json;

// Whole numbers (shapes, sizes) as JSON integers, everything else as doubles.
OJson num(double x) {
  if (x == std::floor(x) && std::abs(x) < 9.0e15) return static_cast<std::int64_t>(x);
  return x;
}
OJson nums(const std::vector<double>& v) {
  OJson j = OJson::array();
  for (double x : v) j.push_back(num(x));
  return j;
}

OJson curve_json(const RateCurve& c) {
  OJson j;
  j["bytes"] = nums(c.bytes);
  j["bytes_per_second"] = c.bytes_per_second;
  return j;
}

// Nesting depth: 0 for a scalar, 1 for a container of scalars, ...
int depth(const OJson& j) {
  int d = 0;
  if (j.is_structured()) {
    for (const auto& v : j) d = std::max(d, depth(v));
    ++d;
  }
  return d;
}

// Indented JSON where containers at most two levels deep go on one line, so each sample
// (and each fitted table) is one line: readable and diffable.
bool flat(const OJson& j) { return depth(j) <= 2; }

void dump(std::ostream& out, const OJson& j, int indent) {
  if (flat(j)) {
    out << j.dump();
    return;
  }
  const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  const bool object = j.is_object();
  out << (object ? "{\n" : "[\n");
  bool first = true;
  for (auto it = j.begin(); it != j.end(); ++it) {
    out << (first ? "" : ",\n") << pad;
    first = false;
    if (object) out << OJson(it.key()).dump() << ": ";
    dump(out, *it, indent + 2);
  }
  out << "\n" << std::string(static_cast<std::size_t>(indent), ' ') << (object ? "}" : "]");
}

}  // namespace

MeasuredProfile read_measured_profile(const Document& doc) {
  ObjectReader r(Node::root(doc));
  const Node version = r.required("schema_version", "the integer 1");
  if (version.as_int(1, 1000) != kMeasuredSchemaVersion) {
    version.fail("unsupported schema_version; this clustersim reads version " + std::to_string(kMeasuredSchemaVersion));
  }
  r.required("kind", "\"measured_accelerator\"").as_enum({kMeasuredKind});
  MeasuredProfile p;
  p.file = doc.file;
  p.accelerator = r.required("accelerator", "the catalog name this profile calibrates, e.g. \"h100-sxm\"").as_nonempty_string();
  p.date = r.required("date", "when it was measured, ISO 8601").as_nonempty_string();
  p.notes = r.string_or("notes", "");
  p.device = read_device(r.required("device", "{name, ...} of the measured GPU"));
  p.tool = read_tool(r.required("tool", "{name, mode, repetitions, ...}"));
  p.samples = read_samples(r.required("samples", "raw timings"));
  p.fitted = read_fitted(r.required("fitted", "tables fitted from the samples"));
  r.finish();
  return p;
}

MeasuredProfile read_measured_profile_file(const std::filesystem::path& path) {
  return read_measured_profile(read_json_file(path));
}

std::string measured_profile_json(const MeasuredProfile& p) {
  OJson root;
  root["schema_version"] = kMeasuredSchemaVersion;
  root["kind"] = kMeasuredKind;
  root["accelerator"] = p.accelerator;
  root["date"] = p.date;
  if (!p.notes.empty()) root["notes"] = p.notes;

  OJson dev;
  dev["name"] = p.device.name;
  if (!p.device.compute_capability.empty()) dev["compute_capability"] = p.device.compute_capability;
  if (p.device.sm_count > 0) dev["sm_count"] = p.device.sm_count;
  dev["gpu_count"] = p.device.gpu_count;
  if (p.device.memory_bytes > 0) dev["memory"] = num(p.device.memory_bytes);
  if (p.device.l2_bytes > 0) dev["l2_cache"] = num(p.device.l2_bytes);
  if (p.device.sm_clock_hz > 0) dev["sm_clock"] = num(p.device.sm_clock_hz);
  if (p.device.memory_clock_hz > 0) dev["memory_clock"] = num(p.device.memory_clock_hz);
  if (!p.device.driver.empty()) dev["driver"] = p.device.driver;
  if (!p.device.cuda_driver.empty()) dev["cuda_driver"] = p.device.cuda_driver;
  if (!p.device.cuda_runtime.empty()) dev["cuda_runtime"] = p.device.cuda_runtime;
  root["device"] = dev;

  OJson tool;
  tool["name"] = p.tool.name;
  if (!p.tool.version.empty()) tool["version"] = p.tool.version;
  tool["mode"] = p.tool.mode;
  tool["warmup"] = p.tool.warmup;
  tool["repetitions"] = p.tool.repetitions;
  if (p.tool.elapsed_s > 0) tool["elapsed_s"] = p.tool.elapsed_s;
  root["tool"] = tool;

  OJson s = OJson::object();
  if (!p.samples.gemm.empty()) {
    OJson list = OJson::array();
    for (const auto& g : p.samples.gemm) {
      list.push_back({{"dtype", hw::name(g.dtype)}, {"m", num(g.m)}, {"n", num(g.n)}, {"k", num(g.k)}, {"seconds", g.seconds}});
    }
    s["gemm"] = list;
  }
  if (!p.samples.memory.empty()) {
    OJson list = OJson::array();
    for (const auto& m : p.samples.memory) list.push_back({{"kernel", m.kernel}, {"bytes", num(m.bytes)}, {"seconds", m.seconds}});
    s["memory"] = list;
  }
  if (!p.samples.launch_seconds.empty()) s["launch"] = p.samples.launch_seconds;
  if (!p.samples.transfers.empty()) {
    OJson list = OJson::array();
    for (const auto& t : p.samples.transfers) {
      OJson j{{"kind", t.kind}};
      if (t.kind == "p2p") {
        j["src"] = t.src;
        j["dst"] = t.dst;
      }
      j["bytes"] = num(t.bytes);
      j["seconds"] = t.seconds;
      list.push_back(j);
    }
    s["transfers"] = list;
  }
  if (!p.samples.attention.empty()) {
    OJson list = OJson::array();
    for (const auto& a : p.samples.attention) {
      list.push_back({{"dtype", hw::name(a.dtype)}, {"batch_heads", num(a.batch_heads)}, {"seq", num(a.seq)},
                      {"head_dim", num(a.head_dim)}, {"seconds", a.seconds}});
    }
    s["attention"] = list;
  }
  if (!p.samples.collectives.empty()) {
    OJson list = OJson::array();
    for (const auto& c : p.samples.collectives) {
      list.push_back({{"op", c.op}, {"gpus", c.gpus}, {"bytes", num(c.bytes)}, {"seconds", c.seconds}});
    }
    s["collectives"] = list;
  }
  root["samples"] = s;

  OJson f = OJson::object();
  if (!p.fitted.gemm.empty()) {
    OJson g = OJson::object();
    for (const auto& [dtype, t] : p.fitted.gemm) {
      OJson tj;
      tj["m"] = nums(t.m);
      tj["n"] = nums(t.n);
      tj["k"] = nums(t.k);
      tj["flops_per_second"] = t.flops_per_second;
      g[std::string(hw::name(dtype))] = tj;
    }
    f["gemm"] = g;
  }
  auto curves = [](const std::map<std::string, RateCurve>& m) {
    OJson j = OJson::object();
    for (const auto& [key, c] : m) j[key] = curve_json(c);
    return j;
  };
  if (!p.fitted.memory.empty()) f["memory"] = curves(p.fitted.memory);
  if (p.fitted.launch_overhead_s > 0) f["kernel_launch_overhead"] = p.fitted.launch_overhead_s;
  if (!p.fitted.transfers.empty()) f["transfers"] = curves(p.fitted.transfers);
  if (!p.fitted.collectives.empty()) f["collectives"] = curves(p.fitted.collectives);
  if (p.fitted.attention_factor_unfused) f["attention_factor_unfused"] = *p.fitted.attention_factor_unfused;
  root["fitted"] = f;

  std::ostringstream out;
  dump(out, root, 0);
  out << "\n";
  return out.str();
}

void write_measured_profile(const std::filesystem::path& path, const MeasuredProfile& profile) {
  sim::write_file_atomically(path, measured_profile_json(profile));
}

void apply_measured_profile(hw::HardwareCatalog& catalog, const MeasuredProfile& p) {
  const auto it = catalog.accelerators.find(p.accelerator);
  if (it == catalog.accelerators.end()) {
    std::string known;
    for (const auto& [name, a] : catalog.accelerators) known += (known.empty() ? "" : ", ") + name;
    throw InputError(p.file, "/accelerator",
                     "measured profile names unknown accelerator \"" + p.accelerator + "\" (catalog has: " + known + ")");
  }
  hw::AcceleratorSpec& a = it->second;
  // A rate a little above the datasheet peak is boost clocks or timer noise; far above, the
  // profile was taken on another device than the one it names.
  constexpr double kTolerance = 1.05;
  for (const auto& [dtype, t] : p.fitted.gemm) {
    const std::string where = "/fitted/gemm/" + std::string(hw::name(dtype));
    const double peak = a.peak(dtype);
    if (peak <= 0) {
      throw InputError(p.file, where,
                       "accelerator \"" + a.name + "\" has no " + std::string(hw::name(dtype)) + " peak in its profile");
    }
    const double best = *std::max_element(t.flops_per_second.begin(), t.flops_per_second.end());
    if (best > kTolerance * peak) {
      throw InputError(p.file, where,
                       fmt::format("measured {:.1f} TFLOP/s exceeds the {:.1f} TFLOP/s dense peak of \"{}\" ({}); "
                                   "is this profile for another accelerator?",
                                   best / 1e12, peak / 1e12, a.name, a.profile_file));
    }
    hw::GemmTable g{t.m, t.n, t.k, {}};
    g.efficiency.reserve(t.flops_per_second.size());
    for (double r : t.flops_per_second) g.efficiency.push_back(std::clamp(r / peak, 1e-4, 1.0));
    a.efficiency.set_gemm_table(dtype, std::move(g));
  }
  if (const auto copy = p.fitted.memory.find("copy"); copy != p.fitted.memory.end()) {
    const RateCurve& c = copy->second;
    const double best = *std::max_element(c.bytes_per_second.begin(), c.bytes_per_second.end());
    if (best > kTolerance * a.memory_bandwidth) {
      throw InputError(p.file, "/fitted/memory/copy",
                       fmt::format("measured {:.0f} GB/s exceeds the {:.0f} GB/s memory bandwidth of \"{}\" ({}); "
                                   "is this profile for another accelerator, or did the copies hit the cache?",
                                   best / 1e9, a.memory_bandwidth / 1e9, a.name, a.profile_file));
    }
    hw::BandwidthTable b{c.bytes, {}};
    for (double r : c.bytes_per_second) b.efficiency.push_back(std::clamp(r / a.memory_bandwidth, 1e-4, 1.0));
    a.efficiency.set_bandwidth_table(std::move(b));
  }
  if (p.fitted.launch_overhead_s > 0) a.kernel_launch_overhead_s = p.fitted.launch_overhead_s;
  a.efficiency.set_measured_source(p.file.empty() ? "measured profile of " + p.device.name : p.file);
}

void apply_calibration(hw::HardwareCatalog& catalog, const std::filesystem::path& measured_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(measured_dir, ec)) return;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(measured_dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, std::string> applied;  // accelerator -> file
  for (const auto& f : files) {
    const MeasuredProfile p = read_measured_profile_file(f);
    const auto [it, inserted] = applied.emplace(p.accelerator, p.file);
    if (!inserted) {
      throw InputError(p.file, "/accelerator",
                       "accelerator \"" + p.accelerator + "\" is already calibrated by " + it->second +
                           "; keep one measured profile per accelerator in " + measured_dir.string());
    }
    apply_measured_profile(catalog, p);
  }
}

}  // namespace cs::load
