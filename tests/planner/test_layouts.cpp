// Automatic parallel-layout enumeration.
#include <doctest/doctest.h>

#include <set>
#include <tuple>

#include "planner/training_layout.hpp"

using namespace cs;
using namespace cs::planner;

namespace {
models::TransformerSpec tiny(int layers = 8, int heads = 8, int kv_heads = 8) {
  models::TransformerSpec m;
  m.name = "tiny";
  m.layers = layers;
  m.hidden = 512;
  m.ffn_hidden = 2048;
  m.heads = heads;
  m.kv_heads = kv_heads;
  m.head_dim = 64;
  m.vocab = 1000;
  return m;
}
LayoutChoices bare() {
  LayoutChoices c;
  c.virtual_stages = {1};
  c.micro_batch = {1};
  c.zero_stage = {1};
  c.recompute = {Recompute::none};
  return c;
}
}  // namespace

TEST_CASE("every (tp, pp) with tp x pp dividing the accelerators, tp within the node") {
  // 8 accelerators, 8 layers, 8 heads: tp in {1,2,4,8}, pp in 1..8, tp x pp | 8 ->
  // 10 layouts: (1,1) (1,2) (1,4) (1,8) (2,1) (2,2) (2,4) (4,1) (4,2) (8,1).
  const auto v = enumerate_layouts(tiny(), 8, 8, 64, 1024, bare());
  CHECK(v.size() == 10);
  std::set<std::pair<int, int>> seen;
  for (const auto& l : v) {
    CHECK(l.tp * l.pp * l.dp * l.cp == 8);
    CHECK(seen.insert({l.tp, l.pp}).second);
    CHECK(l.sequence_parallel == (l.tp > 1));
  }
  // A scale-up domain of 4 removes tp = 8.
  CHECK(enumerate_layouts(tiny(), 8, 4, 64, 1024, bare()).size() == 9);
  // 6 accelerators: pp 3 and 6 give uneven stages over 8 layers, which are allowed:
  // (1,1) (1,2) (1,3) (1,6) (2,1) (2,3).
  CHECK(enumerate_layouts(tiny(), 6, 8, 60, 1024, bare()).size() == 6);
}

TEST_CASE("divisibility rules reject what cannot run") {
  // 6 heads: tp 4 and 8 do not divide them.
  for (const auto& l : enumerate_layouts(tiny(8, 6, 6), 8, 8, 64, 1024, bare())) CHECK(6 % l.tp == 0);
  // GQA with 2 KV heads: tp 4 is fine (4 % 2 == 0), tp 8 needs 8 heads.
  for (const auto& l : enumerate_layouts(tiny(8, 8, 2), 8, 8, 64, 1024, bare())) {
    CHECK((2 % l.tp == 0 || l.tp % 2 == 0));
  }
  // Global batch 4 cannot feed dp 8.
  for (const auto& l : enumerate_layouts(tiny(), 8, 8, 4, 1024, bare())) CHECK(l.dp <= 4);
  // Interleaving needs pp > 1, pp x v within the layers, and micro-batches divisible by pp.
  LayoutChoices c = bare();
  c.virtual_stages = {1, 2};
  for (const auto& l : enumerate_layouts(tiny(), 8, 8, 64, 1024, c)) {
    if (l.virtual_stages > 1) {
      CHECK(l.pp > 1);
      CHECK(l.pp * l.virtual_stages <= 8);
      CHECK((64 / (l.dp * l.micro_batch)) % l.pp == 0);
    }
  }
}

TEST_CASE("choice lists multiply, ZeRO collapses without data parallelism, fixed layouts pass through") {
  LayoutChoices c = bare();
  c.tp = {1};
  c.pp = {1};
  c.micro_batch = {1, 2};
  c.zero_stage = {0, 1, 3};
  c.recompute = {Recompute::none, Recompute::full};
  // dp = 8: 2 micro-batches x 3 ZeRO stages x 2 recompute = 12.
  CHECK(enumerate_layouts(tiny(), 8, 8, 64, 1024, c).size() == 12);
  // dp = 1 (one accelerator): ZeRO shards nothing, only the lowest stage: 2 x 1 x 2 = 4.
  CHECK(enumerate_layouts(tiny(), 1, 8, 64, 1024, c).size() == 4);
  LayoutChoices f;
  f.fixed.push_back(TrainingLayout{2, 2, 2, 1, 1, 1, 1, 1, Recompute::none, true});
  f.fixed.push_back(TrainingLayout{2, 2, 4, 1, 1, 1, 1, 1, Recompute::none, true});  // 16 GPUs: skipped
  CHECK(enumerate_layouts(tiny(), 8, 8, 64, 1024, f).size() == 1);
}

TEST_CASE("GPT-3 175B on 16,384 accelerators: a large, duplicate-free space") {
  models::TransformerSpec m = tiny(96, 96, 96);
  m.hidden = 12288;
  LayoutChoices c;
  c.cp = {1, 2, 4, 8};
  c.virtual_stages = {1, 2, 3, 4, 6, 8, 12};
  c.micro_batch = {1, 2, 4, 8};
  c.zero_stage = {0, 1, 2, 3};
  std::set<std::tuple<int, int, int, int, int, int, int, int>> seen;
  std::size_t n = enumerate_layouts(m, 16384, 8, 1536, 2048, c, [&](const TrainingLayout& l) {
    CHECK(l.tp * l.pp * l.dp * l.cp == 16384);
    seen.insert({l.tp, l.pp, l.cp, l.virtual_stages, l.micro_batch, l.zero_stage, static_cast<int>(l.recompute),
                 l.dp});
  });
  CHECK(n > 1000);
  CHECK(seen.size() == n);
}
