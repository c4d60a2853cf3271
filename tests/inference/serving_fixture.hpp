#pragma once
// Shared helpers for the serving tests: catalogs loaded once, and small specs.
#include "loaders/data_paths.hpp"
#include "loaders/model_loader.hpp"
#include "loaders/profile_loader.hpp"
#include "models/serving/serving_sim.hpp"

namespace cs::test {

struct ServingCatalogs {
  load::DataPaths data{CLUSTERSIM_SOURCE_DIR};
  hw::HardwareCatalog hardware = load::load_catalog(data.profiles());
  load::ModelCatalog models = load::load_model_catalog(data.model_catalog());
  static const ServingCatalogs& get() {
    static const ServingCatalogs c;
    return c;
  }
};

// Llama-3-8B, BF16, on H100 replicas, Poisson arrivals with fixed lengths.
inline models::serving::ServingSpec small_spec(double rate, double seconds, int prompt, int output, int replicas = 1) {
  namespace sv = models::serving;
  const auto& c = ServingCatalogs::get();
  sv::ServingSpec s;
  s.name = "test";
  s.model = c.models.model("llama-3-8b");
  s.accelerator = c.hardware.accelerator("h100-sxm");
  s.replicas = replicas;
  s.scheduler.token_budget = 4096;
  s.scheduler.max_sequences = 256;
  sv::SyntheticSource src;
  src.arrival = sv::ArrivalKind::poisson;
  src.rate = rate;
  src.duration = sim::SimTime::from_seconds(seconds);
  src.prompt_tokens = sim::Distribution::fixed(prompt);
  src.output_tokens = sim::Distribution::fixed(output);
  s.synthetic = src;
  s.seed = 3;
  return s;
}

}  // namespace cs::test
