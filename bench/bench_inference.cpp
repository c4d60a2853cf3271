// bench_inference: one hour of serving traffic through the simulator, timed.
//
// ~1,000,000 requests (Poisson arrivals at 280 req/s; prompt and output lengths drawn
// from the Azure 2023 conversation trace) over 64 replicas of Llama-3-8B, each on one
// H100 SXM, least-outstanding routing, chunked prefill. Prints the serving figures and a
// last line `requests=N wall_s=W`. Target: W <= 30 on the project's 2-core machine.
//
// Options: --hours H (default 1), --rate R (req/s, default 280), --replicas N (default 64).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "loaders/data_paths.hpp"
#include "loaders/model_loader.hpp"
#include "loaders/profile_loader.hpp"
#include "loaders/trace_loader.hpp"
#include "models/serving/serving_sim.hpp"

int main(int argc, char** argv) {
  namespace sv = cs::models::serving;
  double hours = 1.0, rate = 280.0;
  int replicas = 64;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--hours")) hours = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--rate")) rate = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--replicas")) replicas = std::atoi(argv[i + 1]);
  }
  try {
    const auto data = cs::load::DataPaths::locate(std::filesystem::path(CLUSTERSIM_SOURCE_DIR));
    const auto hardware = cs::load::load_catalog(data.profiles());
    const auto models = cs::load::load_model_catalog(data.model_catalog());
    const auto trace = cs::load::load_azure_trace(data.traces() / "azure_llm_2023_conv.csv");

    sv::ServingSpec spec;
    spec.name = "bench-inference";
    spec.model = models.model("llama-3-8b");
    spec.accelerator = hardware.accelerator("h100-sxm");
    spec.replicas = replicas;
    spec.router = sv::RouterPolicy::least_outstanding;
    spec.scheduler.token_budget = 8192;
    spec.scheduler.max_sequences = 256;
    spec.scheduler.chunked_prefill = true;
    sv::SyntheticSource src;
    src.arrival = sv::ArrivalKind::poisson;
    src.rate = rate;
    src.duration = cs::sim::SimTime::from_seconds(hours * 3600.0);
    src.prompt_tokens = cs::sim::Distribution::empirical({trace.prompt_tokens.begin(), trace.prompt_tokens.end()});
    src.output_tokens = cs::sim::Distribution::empirical({trace.output_tokens.begin(), trace.output_tokens.end()});
    spec.synthetic = src;
    spec.slo.ttft_s = 2.0;
    spec.slo.tpot_s = 0.1;
    spec.seed = 42;

    const auto t0 = std::chrono::steady_clock::now();
    const sv::ServingResult r = sv::simulate_serving(spec);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::printf("model=%s accelerator=%s replicas=%d gpus=%d\n", r.model.c_str(), r.accelerator.c_str(), r.replicas,
                r.gpus);
    std::printf("simulated_s=%.1f completed=%llu iterations=%llu events=%llu preemptions=%llu\n", r.duration_s,
                static_cast<unsigned long long>(r.requests_completed), static_cast<unsigned long long>(r.iterations),
                static_cast<unsigned long long>(r.events), static_cast<unsigned long long>(r.preemptions));
    std::printf("throughput req_s=%.1f input_tok_s=%.0f output_tok_s=%.0f\n", r.requests_per_s, r.input_tokens_per_s,
                r.output_tokens_per_s);
    std::printf("ttft_ms p50=%.1f p99=%.1f  tpot_ms p50=%.2f p99=%.2f  e2e_s p50=%.2f p99=%.2f\n", 1e3 * r.ttft.p50,
                1e3 * r.ttft.p99, 1e3 * r.tpot.p50, 1e3 * r.tpot.p99, r.e2e.p50, r.e2e.p99);
    std::printf("busy=%.3f mfu=%.3f kv_occupancy=%.3f goodput=%.3f\n", r.mean_busy_fraction, r.mean_mfu,
                r.kv_occupancy_mean, r.goodput_fraction);
    std::printf("events_per_s=%.0f\n", static_cast<double>(r.events) / wall);
    std::printf("requests=%llu wall_s=%.2f\n", static_cast<unsigned long long>(r.requests_completed), wall);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_inference: %s\n", e.what());
    return 1;
  }
}
