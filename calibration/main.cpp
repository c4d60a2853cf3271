// clustersim-calibrate: measures the GPU it runs on and writes a measured profile
// (docs/calibration.md). The *.cu files measure; this file plans the run, fits the samples
// (loaders/calibration_fit.hpp) and writes the profile atomically.
#include <CLI/CLI.hpp>

#include <chrono>
#include <ctime>
#include <iostream>
#include <ostream>
#include <string>

#include "calibration/measure.hpp"
#include "loaders/calibration_fit.hpp"
#include "loaders/calibration_profile.hpp"
#include "loaders/data_paths.hpp"
#include "loaders/profile_loader.hpp"
#include "sim/core/error.hpp"

namespace {

using cs::calib::Plan;
namespace load = cs::load;

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string version_text(int v) {  // 12040 -> "12.4"
  return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}

load::DeviceInfo device_info(const cs::calib::DeviceQuery& q) {
  load::DeviceInfo d;
  d.name = q.name;
  d.compute_capability = std::to_string(q.major) + "." + std::to_string(q.minor);
  d.sm_count = q.sm_count;
  d.gpu_count = q.gpu_count;
  d.memory_bytes = q.memory_bytes;
  d.l2_bytes = q.l2_bytes;
  d.sm_clock_hz = q.sm_clock_hz;
  d.memory_clock_hz = q.memory_clock_hz;
  d.driver = q.driver;
  d.cuda_driver = version_text(q.cuda_driver_version);
  d.cuda_runtime = version_text(q.cuda_runtime_version);
  return d;
}

// Runs every benchmark the plan asks for; a benchmark that fails (e.g. a dtype the
// library lacks) is reported and left out, so one gap does not lose the whole run.
load::RawSamples measure(const Plan& plan, const cs::calib::DeviceQuery& dev, std::ostream& err, bool& complete) {
  load::RawSamples s;
  auto attempt = [&](const std::string& what, auto&& body) {
    try {
      plan.log(what + " ...");
      body();
    } catch (const std::exception& e) {
      err << "clustersim-calibrate: " << what << " skipped: " << e.what() << "\n";
      complete = false;
    }
  };
  attempt("kernel launch overhead", [&] { s.launch_seconds = cs::calib::measure_launch(plan); });
  attempt("memory bandwidth", [&] {
    for (auto& p : cs::calib::measure_memory(plan, dev)) s.memory.push_back({p.kind, p.bytes, std::move(p.seconds)});
  });
  for (const std::string& dtype : plan.dtypes) {
    if (!cs::calib::dtype_supported(dev, dtype)) {
      plan.log(dtype + " GEMM: not supported on compute capability " + std::to_string(dev.major) + "." +
               std::to_string(dev.minor) + ", skipped");
      continue;
    }
    attempt(dtype + " GEMM", [&] {
      const auto points = cs::calib::measure_gemm(plan, dev, dtype);
      const cs::hw::DType d = *cs::hw::parse_dtype(dtype);
      for (const auto& p : points) {
        s.gemm.push_back({d, static_cast<double>(p.m), static_cast<double>(p.n), static_cast<double>(p.k), p.seconds});
      }
    });
  }
  if (plan.attention) {
    attempt("attention", [&] {
      for (auto& p : cs::calib::measure_attention(plan, dev)) {
        s.attention.push_back({*cs::hw::parse_dtype(p.dtype), static_cast<double>(p.batch_heads),
                               static_cast<double>(p.seq), static_cast<double>(p.head_dim), std::move(p.seconds)});
      }
    });
  }
  if (plan.transfers) {
    attempt("pinned host transfers", [&] {
      for (auto& p : cs::calib::measure_host_transfers(plan)) s.transfers.push_back({p.kind, 0, 0, p.bytes, std::move(p.seconds)});
    });
  }
  if (plan.multi_gpu && dev.gpu_count > 1) {
    attempt("peer-to-peer", [&] {
      for (auto& p : cs::calib::measure_peer(plan, dev)) s.transfers.push_back({p.kind, p.src, p.dst, p.bytes, std::move(p.seconds)});
    });
    if (cs::calib::built_with_nccl()) {
      attempt("NCCL collectives", [&] {
        for (auto& p : cs::calib::measure_collectives(plan, dev)) s.collectives.push_back({p.kind, p.gpus, p.bytes, std::move(p.seconds)});
      });
    } else {
      plan.log("NCCL collectives: built without NCCL, skipped");
    }
  }
  return s;
}

// The configurations a plan times, for a GPU with enough memory for the largest sizes.
void print_plan(const Plan& plan, std::ostream& out) {
  constexpr double kAmpleMemory = 1e12;
  const cs::calib::PlanSize one = cs::calib::plan_size(plan, kAmpleMemory, 1, true, cs::calib::built_with_nccl());
  const cs::calib::PlanSize eight = cs::calib::plan_size(plan, kAmpleMemory, 8, true, cs::calib::built_with_nccl());
  out << (plan.quick ? "quick" : "full") << " run, " << plan.repetitions << " repetitions after " << plan.warmup
      << " warm-up runs per configuration\n";
  for (const std::string& dtype : plan.dtypes) {
    std::vector<std::int64_t> m, n, k;
    cs::calib::gemm_axes(plan, dtype, m, n, k);
    auto axis = [](const std::vector<std::int64_t>& v) {
      std::string s;
      for (auto x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
      return "{" + s + "}";
    };
    out << "  GEMM " << dtype << ": " << m.size() * n.size() * k.size() << " shapes, M " << axis(m) << " N " << axis(n)
        << " K " << axis(k) << (dtype == "fp8" ? " (compute capability 8.9+)" : "") << "\n";
  }
  out << "  memory: " << one.memory << ", launch: " << one.launch << ", host transfers: " << one.transfers
      << ", attention: " << one.attention << "\n";
  out << "  total on one GPU: " << one.total() << " configurations; with 8 GPUs also " << eight.peer
      << " peer-to-peer and " << eight.collectives << " NCCL"
      << (cs::calib::built_with_nccl() ? "" : " (built without NCCL)") << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"clustersim-calibrate: measure this GPU and write a clustersim measured profile.\n"
               "Exit codes: 0 ok, 1 error, 2 bad input, 3 profile written but incomplete or rejected."};
  std::string accelerator, out_path, data_dir, notes, dtypes_text = "bf16,fp16,tf32,fp8";
  bool full = false, no_attention = false, no_transfers = false, no_multi_gpu = false, quiet = false, list = false;
  Plan plan;
  app.add_option("--accelerator,-a", accelerator, "Catalog accelerator this GPU is, e.g. h100-sxm")->required();
  app.add_option("--out,-o", out_path, "Output file (default: <data>/hardware-profiles/measured/<accelerator>.json)");
  app.add_option("--data-dir", data_dir, "Folder holding hardware-profiles/ (default: found automatically)");
  app.add_flag("--full", full, "Full grids and sizes (default: quick)");
  app.add_option("--device", plan.device, "CUDA device ordinal to measure")->check(CLI::NonNegativeNumber);
  CLI::Option* reps = app.add_option("--repetitions", plan.repetitions, "Timed repetitions per configuration (quick 7, full 10)")
                          ->check(CLI::Range(3, 1000));
  app.add_option("--warmup", plan.warmup, "Untimed warm-up runs per configuration")->check(CLI::Range(0, 1000));
  app.add_option("--dtypes", dtypes_text, "GEMM dtypes, comma separated (bf16,fp16,tf32,fp8)");
  app.add_flag("--no-attention", no_attention, "Skip the attention benchmark");
  app.add_flag("--no-transfers", no_transfers, "Skip host<->device copies");
  app.add_flag("--no-multi-gpu", no_multi_gpu, "Skip peer-to-peer and NCCL benchmarks");
  app.add_option("--notes", notes, "Free text stored in the profile (cooling, power limit, ...)");
  app.add_flag("--quiet,-q", quiet, "No progress lines");
  app.add_flag("--list", list, "Print what the run would measure and exit (no GPU needed)");
  CLI11_PARSE(app, argc, argv);

  try {
    plan.quick = !full;
    plan.attention = !no_attention;
    plan.transfers = !no_transfers;
    plan.multi_gpu = !no_multi_gpu;
    if (!full && reps->count() == 0) plan.repetitions = 7;
    plan.dtypes.clear();
    for (std::size_t pos = 0; pos <= dtypes_text.size();) {
      const std::size_t comma = std::min(dtypes_text.find(',', pos), dtypes_text.size());
      const std::string d = dtypes_text.substr(pos, comma - pos);
      if (d != "bf16" && d != "fp16" && d != "tf32" && d != "fp8") {
        std::cerr << "clustersim-calibrate: --dtypes: unknown dtype \"" << d << "\" (bf16, fp16, tf32, fp8)\n";
        return 2;
      }
      plan.dtypes.push_back(d);
      pos = comma + 1;
    }
    if (list) {
      print_plan(plan, std::cout);
      return 0;
    }
    plan.log = [quiet](const std::string& line) {
      if (!quiet) std::cerr << line << std::endl;
    };

    // Check the name and the output folder before spending minutes of GPU time.
    const auto paths = load::DataPaths::locate(data_dir.empty() ? std::nullopt : std::optional<std::filesystem::path>(data_dir));
    cs::hw::HardwareCatalog catalog = load::load_catalog(paths.profiles());
    (void)catalog.accelerator(accelerator);
    const std::filesystem::path out =
        out_path.empty() ? paths.profiles() / "measured" / (accelerator + ".json") : std::filesystem::path(out_path);
    if (out.has_parent_path() && !std::filesystem::is_directory(out.parent_path())) {
      throw cs::InputError(out.string(), "", "output folder does not exist");
    }
    // One measured profile per accelerator: refuse to create a second one beside it.
    const std::filesystem::path measured_dir = paths.profiles() / "measured";
    if (std::filesystem::is_directory(measured_dir)) {
      for (const auto& entry : std::filesystem::directory_iterator(measured_dir)) {
        if (entry.path().extension() != ".json") continue;
        std::error_code ec;
        if (std::filesystem::equivalent(entry.path(), out, ec)) continue;
        if (load::read_measured_profile_file(entry.path()).accelerator == accelerator) {
          throw cs::InputError(entry.path().string(), "/accelerator",
                               "already calibrates \"" + accelerator + "\"; move it away, or pass --out " +
                                   entry.path().string() + " to replace it");
        }
      }
    }

    const auto start = std::chrono::steady_clock::now();
    const cs::calib::DeviceQuery dev = cs::calib::query_device(plan.device);
    plan.log("measuring " + dev.name + " (device " + std::to_string(plan.device) + " of " +
             std::to_string(dev.gpu_count) + "), " + (plan.quick ? "quick" : "full") + " run");
    bool complete = true;
    load::MeasuredProfile p;
    p.samples = measure(plan, dev, std::cerr, complete);
    p.accelerator = accelerator;
    p.date = utc_now();
    p.notes = notes;
    p.device = device_info(dev);
    p.tool.version = CLUSTERSIM_VERSION;
    p.tool.mode = plan.quick ? "quick" : "full";
    p.tool.warmup = plan.warmup;
    p.tool.repetitions = plan.repetitions;
    p.tool.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    p.fitted = load::fit_samples(p.samples, out.string());
    p.file = out.string();
    load::write_measured_profile(out, p);
    std::cout << "wrote " << out.string() << " (" << p.samples.gemm.size() << " GEMM shapes, " << p.tool.elapsed_s
              << " s)\n";

    // The profile must apply cleanly to the accelerator it names.
    try {
      load::apply_measured_profile(catalog, p);
    } catch (const cs::InputError& e) {
      std::cerr << "clustersim-calibrate: the profile does not apply to \"" << accelerator << "\": " << e.what() << "\n";
      return 3;
    }
    return complete ? 0 : 3;
  } catch (const cs::InputError& e) {
    std::cerr << "clustersim-calibrate: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "clustersim-calibrate: " << e.what() << "\n";
    return 1;
  }
}
