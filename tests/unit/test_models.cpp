#include <doctest/doctest.h>

#include <string>

#include "loaders/model_loader.hpp"

using namespace cs::load;

namespace {
const ModelCatalog& catalog() {
  static const ModelCatalog c = load_model_catalog(std::string(CLUSTERSIM_SOURCE_DIR) + "/models/catalog");
  return c;
}
}  // namespace

TEST_CASE("catalog models have their published parameter counts") {
  // The loader already rejects a stated count more than 3% off; check a few tightly.
  CHECK(catalog().model("llama-3-8b").parameters() == doctest::Approx(8.03e9).epsilon(0.005));
  CHECK(catalog().model("llama-3-70b").parameters() == doctest::Approx(70.55e9).epsilon(0.005));
  CHECK(catalog().model("llama-3.1-405b").parameters() == doctest::Approx(405.85e9).epsilon(0.005));
  CHECK(catalog().model("llama-2-70b").parameters() == doctest::Approx(68.98e9).epsilon(0.005));
  CHECK(catalog().model("mixtral-8x7b").parameters() == doctest::Approx(46.7e9).epsilon(0.005));
  CHECK(catalog().model("mixtral-8x7b").active_parameters() == doctest::Approx(12.9e9).epsilon(0.01));
  CHECK(catalog().model("deepseek-v3").parameters() == doctest::Approx(671e9).epsilon(0.01));
  CHECK(catalog().model("deepseek-v3").active_parameters() == doctest::Approx(37e9).epsilon(0.03));
  CHECK(catalog().model("gpt3-175b").parameters() == doctest::Approx(175e9).epsilon(0.01));
  // Megatron Table 1 row: 145.6B.
  CHECK(catalog().model("megatron-gpt-145.6b").parameters() == doctest::Approx(145.6e9).epsilon(0.01));
}

TEST_CASE("training FLOPs per token follow 6N + 12 L s d (non-causal convention)") {
  const auto& m = catalog().model("llama-3-8b");
  const double n_matmul = m.parameters() - static_cast<double>(m.vocab) * m.hidden;
  const double expect = 6.0 * n_matmul + 12.0 * m.layers * 8192.0 * m.hidden;
  CHECK(m.training_flops_per_token(8192, false) == doctest::Approx(expect).epsilon(1e-9));
  CHECK(m.training_flops_per_token(8192, true) < expect);
}

TEST_CASE("KV cache size per token: GQA and MLA") {
  const auto& l = catalog().model("llama-3-70b");
  CHECK(l.kv_cache_bytes_per_token_per_layer(2.0) == doctest::Approx(2.0 * 8 * 128 * 2));
  const auto& d = catalog().model("deepseek-v3");
  CHECK(d.kv_cache_bytes_per_token_per_layer(2.0) == doctest::Approx((512 + 64) * 2.0));
}

TEST_CASE("inline models are validated and unknown names suggest the nearest") {
  const auto doc = parse_json_text(R"({"m": {"name": "x", "layers": 2, "hidden": 64, "heads": 6, "kv_heads": 4,
      "vocab": 100, "max_seq_len": 128, "ffn_hidden": 256}, "n": "llama-3-8c"})", "s.json");
  ObjectReader r(Node::root(doc));
  CHECK_THROWS_WITH_AS(resolve_model(r.required("m"), catalog()), doctest::Contains("multiple of kv_heads"),
                       cs::InputError);
  CHECK_THROWS_WITH_AS(resolve_model(r.required("n"), catalog()), doctest::Contains("did you mean \"llama-3-8b\""),
                       cs::InputError);
  r.finish();
}
