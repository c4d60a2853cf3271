#include <doctest/doctest.h>

#include "models/training_estimate.hpp"
#include "models/training_memory.hpp"
#include "sim/core/error.hpp"
#include "tests/training/training_fixtures.hpp"

using namespace cs;
using namespace cs::models;

TEST_CASE("memory accounting of a small model matches hand-computed values") {
  TrainingSpec t = test::small_job(1, 1, 1);
  t.recompute = Recompute::none;
  t.flash_attention = true;
  t.framework_overhead_bytes = 0;
  // Parameters: per layer 4h^2 (attention) + 8h^2 (MLP) + 2h (norms) = 12 x 1024^2 + 2048;
  // embedding and untied head 2 x 32000 x 1024, final norm 1024.
  const double h = 1024;
  const double layer = 12 * h * h + 2 * h;
  const double params = 4 * layer + 2 * 32000 * h + h;
  CHECK(t.model.parameters() == doctest::Approx(params));
  CHECK(stage_parameters(t, 0) == doctest::Approx(params));
  const MemoryBreakdown m = memory_per_device(t);
  CHECK(m.weights == doctest::Approx(2 * params));
  CHECK(m.gradients == doctest::Approx(2 * params));
  CHECK(m.optimizer == doctest::Approx(12 * params));
  // Activations per layer and token (Korthikanti et al.): 34 h bytes with tp = 1 and fused
  // attention (10h replicated + 24h split); 4 layers x 1024 tokens, plus the embedding output.
  const double tokens = 1024;
  CHECK(layer_activation_bytes(t, 0) == doctest::Approx(34 * h * tokens));
  CHECK(m.activations == doctest::Approx(4 * 34 * h * tokens + 2 * h * tokens));

  SUBCASE("without fused attention the score matrices add 5 a s per token") {
    t.flash_attention = false;
    CHECK(layer_activation_bytes(t, 0) == doctest::Approx((34 * h + 5 * 16 * 1024) * tokens));
  }
  SUBCASE("tensor parallel with sequence parallelism divides everything by tp") {
    t.layout.tp = 4;
    CHECK(layer_activation_bytes(t, 0) == doctest::Approx(34 * h * tokens / 4));
    t.layout.sequence_parallel = false;
    CHECK(layer_activation_bytes(t, 0) == doctest::Approx((10 * h + 24 * h / 4) * tokens));
  }
  SUBCASE("full recomputation keeps only each layer's input") {
    t.recompute = Recompute::full;
    CHECK(layer_activation_bytes(t, 0) == doctest::Approx(2 * h * tokens));
  }
  SUBCASE("ZeRO stages shard optimizer, then gradients, then weights over dp") {
    t.layout.dp = 8;
    t.global_batch = 64;
    t.layout.zero_stage = 1;
    MemoryBreakdown z = memory_per_device(t);
    CHECK(z.optimizer == doctest::Approx(12 * params / 8));
    CHECK(z.gradients == doctest::Approx(2 * params));
    t.layout.zero_stage = 2;
    z = memory_per_device(t);
    CHECK(z.gradients == doctest::Approx(2 * params / 8));
    CHECK(z.weights == doctest::Approx(2 * params));
    t.layout.zero_stage = 3;
    z = memory_per_device(t);
    CHECK(z.weights == doctest::Approx(2 * params / 8));
  }
  SUBCASE("1F1B: the first stage holds pp micro-batches in flight") {
    t.layout.pp = 2;
    t.global_batch = 8;
    const MemoryBreakdown first = stage_memory(t, 0);
    const MemoryBreakdown last = stage_memory(t, 1);
    CHECK(first.activations == doctest::Approx(2 * 2 * 34 * h * tokens + 2 * 2 * h * tokens));
    CHECK(last.activations == doctest::Approx(1 * 2 * 34 * h * tokens));
  }
}

TEST_CASE("invalid layouts are rejected with the reason") {
  TrainingSpec t = test::small_job(1, 1, 8);
  CHECK(check_layout(t, 8, 8).empty());
  CHECK(check_layout(t, 16, 8).find("tp x pp x dp x cp = 1 x 1 x 8 x 1 = 8 but the cluster has 16") !=
        std::string::npos);
  t.layout.tp = 3;
  t.layout.dp = 1;
  t.global_batch = 8;
  CHECK(check_layout(t, 3, 8).find("heads 16 not divisible by tp 3") != std::string::npos);
  t = test::small_job(16, 1, 1);
  CHECK(check_layout(t, 16, 8).find("spans more than one node") != std::string::npos);
  t = test::small_job(1, 2, 4);
  t.global_batch = 10;
  CHECK(check_layout(t, 8, 8).find("not divisible by micro_batch x dp") != std::string::npos);
  t = test::small_job(1, 2, 4);
  t.layout.schedule = PipelineSchedule::interleaved;
  t.layout.virtual_stages = 2;
  t.global_batch = 4 * 3;
  CHECK(check_layout(t, 8, 8).find("not divisible by pp") != std::string::npos);
  t = test::small_job(1, 1, 8);
  t.layout.ep = 2;
  CHECK(check_layout(t, 8, 8).find("needs a mixture-of-experts model") != std::string::npos);
  CHECK_THROWS_AS(validate_layout(t, 8, 8), InputError);
}

TEST_CASE("a layout that does not fit is rejected with the numbers") {
  TrainingSpec t = test::small_job(1, 1, 1);
  t.micro_batch = 8;
  t.global_batch = 8;
  const auto small = test::a100_cluster(1, 4.0 * 1024 * 1024 * 1024);
  auto one = small;
  one.accelerators = 1;
  const TrainingEstimate e = estimate_training(t, one);
  CHECK_FALSE(e.fits);
  CHECK_FALSE(e.valid);
  CHECK(e.problem.find("needs") != std::string::npos);
  CHECK(e.problem.find("GiB per device") != std::string::npos);
  CHECK(e.problem.find("activations") != std::string::npos);
  auto big = test::a100_cluster(1);
  big.accelerators = 1;
  CHECK(estimate_training(t, big).fits);
}
