#include <doctest/doctest.h>

#include <string>

#include "loaders/scenario_loader.hpp"
#include "models/serving/fabric_comm.hpp"

using namespace cs::load;

namespace {
const char* kBase = R"({"schema_version": 1, "name": "x", "inference": %s})";

std::string with_section(const std::string& section) {
  char buf[4096];
  std::snprintf(buf, sizeof buf, kBase, section.c_str());
  return buf;
}

Scenario parse(const std::string& section) {
  return parse_scenario(parse_json_text(with_section(section), "s.json"), DataPaths{CLUSTERSIM_SOURCE_DIR});
}

std::string error_of(const std::string& section) {
  try {
    parse(section);
  } catch (const cs::InputError& e) {
    return e.what();
  }
  return {};
}

const std::string kWorkload =
    R"("workload": {"source": "poisson", "rate": 5, "duration": "10s", "prompt_tokens": 100, "output_tokens": {"kind": "uniform", "min": 10, "max": 20}})";
}  // namespace

TEST_CASE("inference section: a full section resolves into a serving spec") {
  const Scenario s = parse(R"({"model": "llama-3-8b", "accelerator": "h100-sxm", "dtype": "fp8",
      "replica": {"tp": 2}, "replicas": 3, "router": "least_kv", "kv_block_tokens": 32,
      "scheduler": {"token_budget": 2048, "max_sequences": 64, "chunked_prefill": false, "prefill_priority": true,
                    "iteration_overhead": "0.5ms"},
      "slo": {"ttft_p99": "500ms", "tpot_p99": "40ms"}, )" + kWorkload + "}");
  REQUIRE(s.inference.has_value());
  const auto& i = *s.inference;
  CHECK(i.model.name == "llama-3-8b");
  CHECK(i.shape.tp == 2);
  CHECK(i.replicas == 3);
  CHECK(i.shape.weight_dtype == cs::hw::DType::fp8);
  CHECK(i.shape.kv_dtype == cs::hw::DType::fp8);
  CHECK(i.shape.kv_block_tokens == 32);
  CHECK(i.scheduler.token_budget == 2048);
  CHECK_FALSE(i.scheduler.chunked_prefill);
  CHECK(i.scheduler.iteration_overhead == cs::sim::SimTime::from_us(500));
  CHECK(i.router == cs::models::serving::RouterPolicy::least_kv);
  CHECK(i.slo.ttft_s == doctest::Approx(0.5));
  CHECK(i.synthetic->rate == 5.0);
  CHECK(i.total_gpus() == 6);
}

TEST_CASE("inference section: errors name the JSON pointer") {
  CHECK(error_of(R"({"model": "llama-3-8b", "accelerator": "h100-sxm", "replcas": 2, )" + kWorkload + "}")
            .find("/inference/replcas: unknown key \"replcas\"") != std::string::npos);
  CHECK(error_of(R"({"model": "llama-3-8b", "accelerator": "h100-sxm", "router": "random", )" + kWorkload + "}")
            .find("/inference/router") != std::string::npos);
  CHECK(error_of(R"({"model": "llama-3-8b", )" + kWorkload + "}").find("accelerator") != std::string::npos);
  CHECK(error_of(R"({"model": "llama-3-8b", "accelerator": "h100-sxm", "workload": {"source": "poisson", "rate": 5,
        "prompt_tokens": 10, "output_tokens": 10}})")
            .find("/inference/workload: give \"requests\"") != std::string::npos);
  CHECK(error_of(R"({"model": "llama-3-8b", "accelerator": "h100-sxm", "replicas": 2,
        "disaggregation": {"prefill": {"replicas": 1}, "decode": {"replicas": 1}}, )" + kWorkload + "}")
            .find("not both") != std::string::npos);
  CHECK(error_of(R"({"model": "llama-3-8b", "accelerator": "h100-sxm", "workload": {"source": "trace",
        "trace": "no-such.csv"}})")
            .find("/inference/workload/trace: file 'no-such.csv' not found") != std::string::npos);
  CHECK(error_of(R"({"model": "llama-3-8b", "accelerator": "h100-sxm", "workload": {"source": "poisson", "rate": 1,
        "requests": 5, "prompt_tokens": {"kind": "lognormal", "mean": 10}, "output_tokens": 1}})")
            .find("/inference/workload/prompt_tokens: missing required key \"cv\"") != std::string::npos);
}

TEST_CASE("inference section: disaggregated pools and a trace workload with a window") {
  const Scenario s = parse(R"({"model": "llama-3-8b", "accelerator": "h100-sxm",
      "disaggregation": {"prefill": {"replicas": 2, "tp": 1}, "decode": {"replicas": 1, "tp": 2,
                         "scheduler": {"max_sequences": 512}}, "kv_transfer": {"bandwidth": "50GB/s"}},
      "workload": {"source": "trace", "trace": "traces/azure_llm_2023_code.csv", "rate_multiplier": 2,
                   "window": {"start": "60s", "end": "120s"}}})");
  const auto& i = *s.inference;
  CHECK(i.disaggregation.enabled);
  CHECK(i.disaggregation.prefill_replicas == 2);
  CHECK(i.disaggregation.decode_shape.tp == 2);
  CHECK(i.disaggregation.decode_scheduler.max_sequences == 512);
  CHECK(i.disaggregation.prefill_scheduler.max_sequences == 256);
  CHECK(i.disaggregation.transfer_bandwidth == doctest::Approx(50e9));
  CHECK(i.total_gpus() == 4);
  REQUIRE(i.trace.has_value());
  CHECK(i.trace->rate_multiplier == 2.0);
  CHECK(i.trace->window_start_s == doctest::Approx(60.0));
  CHECK(i.trace->arrival_s.size() == 8819);
}

TEST_CASE("inference section: empirical lengths from a trace column") {
  const Scenario s = parse(R"({"model": "llama-3-8b", "accelerator": "h100-sxm", "workload": {"source": "offline",
      "requests": 10, "prompt_tokens": {"kind": "empirical", "trace": "traces/azure_llm_2023_conv.csv", "column": "prompt"},
      "output_tokens": {"kind": "empirical", "values": [10, 20], "weights": [1, 3]}}})");
  CHECK(s.inference->synthetic->prompt_tokens.kind() == cs::sim::Distribution::Kind::empirical);
  CHECK(s.inference->synthetic->output_tokens.mean() == doctest::Approx(17.5));
}

TEST_CASE("inference section: the cluster supplies the accelerator and the fabric model times TP") {
  const Scenario s = parse_scenario(
      parse_json_text(R"({"schema_version": 1, "name": "x", "cluster": {"node": "dgx-h100"},
        "inference": {"model": "llama-2-70b", "replica": {"tp": 8}, )" + kWorkload + "}}",
                      "s.json"),
      DataPaths{CLUSTERSIM_SOURCE_DIR});
  REQUIRE(s.inference.has_value());
  REQUIRE(s.cluster.has_value());
  CHECK(s.inference->accelerator.name == s.cluster->accelerator.name);
  const auto comm = cs::models::serving::fabric_comm(*s.inference, *s.cluster);
  const double small = comm.replica.all_reduce(64e3, 8);
  const double large = comm.replica.all_reduce(64e6, 8);
  CHECK(small > 0);
  CHECK(large > 5 * small);
  CHECK(comm.replica.source.find("network model") != std::string::npos);

  // More GPUs than the cluster has is an error naming both counts.
  CHECK(error_of(R"({"model": "llama-2-70b", "accelerator": "h100-sxm", "replicas": 1, "replica": {"tp": 8}, )" +
                 kWorkload + "}")
            .empty());
  try {
    parse_scenario(parse_json_text(R"({"schema_version": 1, "name": "x", "cluster": {"node": "dgx-h100"},
        "inference": {"model": "llama-2-70b", "replicas": 2, "replica": {"tp": 8}, )" + kWorkload + "}}",
                                   "s.json"),
                   DataPaths{CLUSTERSIM_SOURCE_DIR});
    FAIL("expected an InputError");
  } catch (const cs::InputError& e) {
    CHECK(std::string(e.what()).find("needs 16 accelerators but the cluster has 8") != std::string::npos);
  }
}
