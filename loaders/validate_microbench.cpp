#include "loaders/validate_microbench.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "loaders/profile_loader.hpp"
#include "sim/hw/compute_model.hpp"

namespace cs::load {
namespace {

// Published figures that set the default curves (docs/compute-model.md). They are reported
// as skipped rows, never as evidence for the curves they shaped.
//   micro.mamf.*                  gemm_max per device and dtype (in each profile's basis)
//   micro.azure.H100.gemm         tile_overhead (least squares over its nine shapes)
//   micro.azure.H100.hbm_stream   memory_max (mean of its five kernels / datasheet)
const std::set<std::string> kCalibrationRecords = {"micro.azure.H100.gemm", "micro.azure.H100.hbm_stream"};
constexpr const char* kCalibrationReason = "used for calibration of default curves";

// STREAM-like kernels: arrays each kernel touches (reads + writes). The array size is not
// published; STREAM's rule is "much larger than the caches", taken here as 1 GiB each.
constexpr double kStreamArrayBytes = 1024.0 * 1024.0 * 1024.0;
int stream_arrays(const std::string& kernel) {
  if (kernel == "add" || kernel == "triad") return 3;
  return 2;  // copy, mul (scale): read one, write one; dot: read two
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool contains(const std::string& haystack, const char* needle) { return haystack.find(needle) != std::string::npos; }

std::optional<hw::DType> dtype_of(const std::string& op) {
  const std::string o = lower(op);
  if (contains(o, "fp8") || contains(o, "float8")) return hw::DType::fp8;
  if (contains(o, "bf16")) return hw::DType::bf16;
  if (contains(o, "fp16")) return hw::DType::fp16;
  return std::nullopt;
}

ValidationRow skipped(std::string id, std::string reason) {
  ValidationRow r;
  r.id = std::move(id);
  r.skipped = true;
  r.reason = std::move(reason);
  return r;
}

bool is_collective(const Json& measured) {
  for (const auto& [key, value] : measured.items()) {
    if (contains(lower(key), "busbw") || contains(lower(key), "allreduce")) return true;
  }
  return false;
}

void gemm_rows(std::vector<ValidationRow>& out, const std::string& id, const Json& table, const hw::AcceleratorSpec& dev,
               hw::DType dtype, bool calibration) {
  const hw::ComputeModel model(dev);
  for (const auto& [shape_text, value] : table.items()) {
    const std::string case_id = id + "#" + shape_text;
    if (calibration) {
      out.push_back(skipped(case_id, kCalibrationReason));
      continue;
    }
    const auto shape = parse_gemm_shape(shape_text);
    if (!shape || !value.is_number()) {
      out.push_back(skipped(case_id, "GEMM shape or value not understood"));
      continue;
    }
    const hw::OpCost c = model.cost(hw::gemm(shape->m, shape->n, shape->k, dtype));
    ValidationRow r;
    r.id = case_id;
    r.metric = fmt::format("{}_tflops", hw::name(dtype));
    r.predicted = c.flops / c.seconds / 1e12;
    r.measured = value.get<double>();
    r.reason = fmt::format("{}, eff {:.2f}, {}", dev.name, c.compute_efficiency,
                           c.compute_bound ? "compute-bound" : "memory-bound");
    out.push_back(std::move(r));
  }
}

void stream_rows(std::vector<ValidationRow>& out, const std::string& id, const Json& kernels,
                 const hw::AcceleratorSpec& dev, bool calibration) {
  const hw::ComputeModel model(dev);
  for (const auto& [kernel, value] : kernels.items()) {
    const std::string case_id = id + "#" + kernel;
    if (calibration) {
      out.push_back(skipped(case_id, kCalibrationReason));
      continue;
    }
    if (!value.is_number()) {
      out.push_back(skipped(case_id, "value not a number"));
      continue;
    }
    const double bytes = stream_arrays(kernel) * kStreamArrayBytes;
    const hw::OpCost c = model.cost(hw::elementwise(bytes, hw::DType::fp32, 0.125));
    ValidationRow r;
    r.id = case_id;
    r.metric = "hbm_TBps";
    r.predicted = bytes / c.seconds / 1e12;
    r.measured = value.get<double>();
    r.reason = fmt::format("{}, {} x 1 GiB arrays", dev.name, stream_arrays(kernel));
    out.push_back(std::move(r));
  }
}

}  // namespace

std::optional<std::string> catalog_device(const std::string& published) {
  const std::string d = lower(published);
  // Order matters: "gh200" contains "h200", "gb200" contains "b200".
  if (contains(d, "gh200") || contains(d, "gaudi") || contains(d, "b300") || contains(d, "mi325") ||
      contains(d, "mi355")) {
    return std::nullopt;
  }
  if (contains(d, "gb200")) return "gb200";
  if (contains(d, "b200")) return "b200";
  if (contains(d, "h200")) return "h200-sxm";
  if (contains(d, "h100")) return contains(d, "pcie") ? "h100-pcie" : contains(d, "nvl") ? std::nullopt : std::optional<std::string>("h100-sxm");
  if (contains(d, "a100")) {
    if (contains(d, "pcie")) return std::nullopt;
    return contains(d, "40gb") ? "a100-40gb-sxm" : "a100-80gb-sxm";
  }
  if (contains(d, "mi300x")) return "mi300x";
  if (contains(d, "l40s")) return "l40s";
  return std::nullopt;
}

std::optional<GemmShape> parse_gemm_shape(const std::string& text) {
  auto number = [](std::string_view s) -> std::optional<double> {
    double v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
  };
  if (text.size() > 2 && text.compare(text.size() - 2, 2, "^3") == 0) {
    const auto v = number(std::string_view(text).substr(0, text.size() - 2));
    if (!v) return std::nullopt;
    return GemmShape{*v, *v, *v};
  }
  const auto x1 = text.find('x');
  const auto x2 = x1 == std::string::npos ? std::string::npos : text.find('x', x1 + 1);
  if (x2 == std::string::npos) return std::nullopt;
  const std::string_view t(text);
  const auto m = number(t.substr(0, x1));
  const auto n = number(t.substr(x1 + 1, x2 - x1 - 1));
  const auto k = number(t.substr(x2 + 1));
  if (!m || !n || !k) return std::nullopt;
  return GemmShape{*m, *n, *k};
}

std::vector<ValidationRow> validate_microbench(const std::vector<Node>& records, const ValidationContext& ctx) {
  // This validates the default curves, so measured profiles (which would replace them for
  // the GPUs they name) are left out; the end-to-end check validates those (--kind e2e).
  const hw::HardwareCatalog catalog =
      load_catalog(std::filesystem::path(ctx.data_root) / "hardware-profiles", MeasuredProfiles::ignore);
  std::vector<ValidationRow> out;
  for (const Node& rec : records) {
    const Json& j = rec.json();
    if (!j.is_object() || j.value("kind", "") != "microbench") continue;
    const std::string id = j.value("id", rec.pointer());
    const Json& config = j.contains("config") ? j.at("config") : Json::object();
    const Json& measured = j.contains("measured") ? j.at("measured") : Json::object();
    const std::string device_text = config.value("device", "");
    const std::string op = config.value("op", config.value("ops", ""));

    if (id.rfind("micro.mamf.", 0) == 0) {
      const auto dev = catalog_device(device_text);
      out.push_back(skipped(id, dev && catalog.accelerators.count(*dev)
                                    ? std::string(kCalibrationReason) + " (gemm_max of " + *dev + ")"
                                    : "device not in catalog: " + device_text));
      continue;
    }
    const bool has_gemm = measured.contains("tflops_by_mnk") || measured.contains("gemm_fp8_tflops_by_mnk");
    const bool has_stream = measured.contains("TBps") || measured.contains("hbm_TBps");
    if (!has_gemm && !has_stream) {
      out.push_back(skipped(id, is_collective(measured)
                                    ? "collective benchmark: validated by --kind network"
                                    : "host-link copies / attention: not a GEMM or HBM figure this validator maps"));
      continue;
    }
    const auto dev_name = catalog_device(device_text);
    if (!dev_name || !catalog.accelerators.count(*dev_name)) {
      out.push_back(skipped(id, "device not in catalog: " + device_text));
      continue;
    }
    const hw::AcceleratorSpec& dev = catalog.accelerator(*dev_name);
    const bool calibration = kCalibrationRecords.count(id) > 0;

    if (measured.contains("tflops_by_mnk")) {
      const auto dtype = dtype_of(op);
      if (!dtype) {
        out.push_back(skipped(id, "GEMM dtype not stated: " + op));
      } else {
        gemm_rows(out, id, measured.at("tflops_by_mnk"), dev, *dtype, calibration);
      }
    }
    if (measured.contains("gemm_fp8_tflops_by_mnk")) {
      gemm_rows(out, id + "#gemm_fp8", measured.at("gemm_fp8_tflops_by_mnk"), dev, hw::DType::fp8, calibration);
    }
    if (measured.contains("TBps")) stream_rows(out, id, measured.at("TBps"), dev, calibration);
    if (measured.contains("hbm_TBps")) {
      const Json& h = measured.at("hbm_TBps");
      if (h.is_object()) {
        stream_rows(out, id + "#hbm", h, dev, calibration);
      } else {
        stream_rows(out, id + "#hbm", Json{{"bandwidth", h}}, dev, calibration);
      }
    }
    // Figures in the same record that this validator does not map, named rather than dropped.
    for (const auto& [key, value] : measured.items()) {
      if (key == "tflops_by_mnk" || key == "gemm_fp8_tflops_by_mnk" || key == "TBps" || key == "hbm_TBps") continue;
      const std::string k = lower(key);
      if (contains(k, "spec") || contains(k, "fraction") || contains(k, "efficiency_pct") || contains(k, "peak_used")) {
        continue;  // derived from the datasheet, not a measurement
      }
      if (contains(k, "busbw") || contains(k, "rccl") || contains(k, "nccl")) {
        out.push_back(skipped(id + "#" + key, "collective benchmark: validated by --kind network"));
      } else if (contains(k, "gemm")) {
        out.push_back(skipped(id + "#" + key, "GEMM shape not published"));
      } else if (contains(k, "attention")) {
        out.push_back(skipped(id + "#" + key, "attention: head count and causal flag not published"));
      } else if (contains(k, "h2d") || contains(k, "d2h")) {
        out.push_back(skipped(id + "#" + key, "host-link copy: not modelled by the compute model"));
      } else {
        out.push_back(skipped(id + "#" + key, "figure not mapped by --kind microbench"));
      }
    }
  }
  return out;
}

}  // namespace cs::load
