// Planner analytical-tier throughput: every valid parallel layout of GPT-3 175B on 16,384
// H100 (2,048 DGX H100 on a rail-optimised NDR fabric), each estimated by the training
// model's fast estimate through the planner's seam, on one core.
// Last line: candidates=N candidates_per_s=R wall_s=W   (targets: R >= 100,000, W <= 10)
#include <chrono>
#include <ctime>
#include <cstdio>
#include <limits>

#include "loaders/data_paths.hpp"
#include "loaders/model_loader.hpp"
#include "loaders/profile_loader.hpp"
#include "planner/evaluators.hpp"
#include "planner/training_layout.hpp"

using namespace cs;

int main() {
  try {
    const load::DataPaths data{CLUSTERSIM_SOURCE_DIR};
    const hw::HardwareCatalog catalog = load::load_catalog(data.profiles());
    const load::ModelCatalog models = load::load_model_catalog(data.model_catalog());
    const models::TransformerSpec& model = models.model("gpt3-175b");

    hw::ClusterSpec c;
    c.node = catalog.node("dgx-h100");
    c.accelerator = catalog.accelerator(c.node.accelerator);
    c.nic = catalog.nic(c.node.nic);
    c.nodes = 2048;
    c.accelerators = c.nodes * c.node.accelerators;
    c.fabric.topology = hw::FabricTopology::rail_optimized;
    c.fabric.tiers = 3;
    c.fabric_switch = catalog.network_switch("qm9700-ndr");

    planner::LayoutChoices choices;  // tp: powers of two to 8; pp: every divisor of 96 up to 64
    choices.cp = {1, 2, 4, 8};
    choices.virtual_stages = {1, 2, 3, 4, 6, 8, 12};
    choices.micro_batch = {1, 2, 4, 8};
    choices.zero_stage = {0, 1, 2, 3};
    choices.recompute = {planner::Recompute::none, planner::Recompute::selective, planner::Recompute::full};

    const planner::EvaluatorSet evaluators;
    const planner::TrainingEstimator* est = evaluators.get().training;
    if (!est) {
      std::fprintf(stderr, "bench_planner: this build has no analytical training estimator\n");
      return 1;
    }
    const planner::TrainingJob job{&model, hw::DType::bf16, 300e9, 2048, 1536};

    std::size_t fits = 0;
    double best = std::numeric_limits<double>::infinity();
    planner::TrainingLayout best_layout;
    // The machine running the benchmark may be shared: the rate is per CPU-second of this
    // thread (one core), the wall time is reported beside it.
    timespec c0{}, c1{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
    const auto t0 = std::chrono::steady_clock::now();
    const std::size_t n = planner::enumerate_layouts(model, c.accelerators, c.node.accelerators, job.global_batch,
                                                     job.seq_len, choices, [&](const planner::TrainingLayout& l) {
                                                       const planner::TrainingPerf p = est->estimate(c, job, l);
                                                       if (!p.fits) return;
                                                       ++fits;
                                                       if (p.step_seconds < best) {
                                                         best = p.step_seconds;
                                                         best_layout = l;
                                                       }
                                                     });
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
    const double cpu = static_cast<double>(c1.tv_sec - c0.tv_sec) + 1e-9 * static_cast<double>(c1.tv_nsec - c0.tv_nsec);
    std::printf("model=%s accelerators=%d layouts_valid=%zu layouts_fitting=%zu\n", model.name.c_str(),
                c.accelerators, n, fits);
    if (fits > 0) {
      std::printf("fastest: %s step_s=%.3f (global batch %d x %d tokens)\n", best_layout.describe().c_str(), best,
                  job.global_batch, job.seq_len);
    }
    std::printf("cpu_s=%.3f wall_candidates_per_s=%.0f\n", cpu, static_cast<double>(n) / wall);
    std::printf("candidates=%zu candidates_per_s=%.0f wall_s=%.3f\n", n, static_cast<double>(n) / cpu, wall);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_planner: %s\n", e.what());
    return 1;
  }
}
