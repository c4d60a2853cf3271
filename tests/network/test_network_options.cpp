// Scenario keys of the network model: parsed with units, strict about unknown keys.
#include <doctest/doctest.h>

#include "loaders/json_reader.hpp"
#include "loaders/network_options.hpp"
#include "sim/core/error.hpp"

using namespace cs::load;

namespace {
cs::hw::FabricSpec read(const std::string& text) {
  const Document doc = parse_json_text(text, "fabric.json");
  ObjectReader r(Node::root(doc));
  cs::hw::FabricSpec f;
  read_network_options(r, f);
  r.finish();
  return f;
}
}  // namespace

TEST_CASE("fabric network options and profile overrides") {
  const auto f = read(R"({"adaptive_routing": true, "switch_radix": 32, "pod_leaves": 8, "torus_dims": [4, 4, 8],
    "profile": {"scale_up_efficiency": 0.75, "switch_latency": "1us", "message_overhead": "3us",
                "protocols": [{"name": "simple", "base_latency": "20us", "step_latency": "2us",
                               "bandwidth_fraction": 1.0, "chunk": "2MiB"}]}})");
  CHECK(f.adaptive_routing);
  CHECK(f.switch_radix == 32);
  CHECK(f.pod_leaves == 8);
  CHECK(f.torus_dims == std::vector<int>{4, 4, 8});
  CHECK(f.profile.scale_up_efficiency == doctest::Approx(0.75));
  CHECK(f.profile.switch_latency_s == doctest::Approx(1e-6).scale(0));
  CHECK(f.profile.message_overhead_s == doctest::Approx(3e-6).scale(0));
  REQUIRE(f.profile.protocols.size() == 1);
  CHECK(f.profile.protocols[0].chunk_bytes == doctest::Approx(2.0 * 1024 * 1024));
  CHECK(f.profile.protocols[0].base_latency_s == doctest::Approx(20e-6).scale(0));
  // defaults stay when not given
  const auto d = read("{}");
  CHECK(d.profile.protocols.size() == 3);
  CHECK_FALSE(d.adaptive_routing);
}

TEST_CASE("bad network options are input errors naming the key") {
  CHECK_THROWS_AS(read(R"({"profile": {"scale_up_eficiency": 0.8}})"), cs::InputError);
  CHECK_THROWS_AS(read(R"({"torus_dims": [4]})"), cs::InputError);
  CHECK_THROWS_AS(read(R"({"profile": {"switch_latency": "fast"}})"), cs::InputError);
  try {
    read(R"({"profile": {"nvls_efficiency": -1}})");
    FAIL("expected an error");
  } catch (const cs::InputError& e) {
    CHECK(std::string(e.what()).find("/profile/nvls_efficiency") != std::string::npos);
  }
}
