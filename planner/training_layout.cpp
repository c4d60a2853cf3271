#include "planner/training_layout.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace cs::planner {

std::string_view to_string(Recompute r) {
  switch (r) {
    case Recompute::none: return "none";
    case Recompute::selective: return "selective";
    case Recompute::full: return "full";
  }
  return "?";
}

std::string TrainingLayout::describe() const {
  std::string s = fmt::format("tp{} pp{} dp{} cp{}", tp, pp, dp, cp);
  if (ep > 1) s += fmt::format(" ep{}", ep);
  if (virtual_stages > 1) s += fmt::format(" v{}", virtual_stages);
  s += fmt::format(" mb{} zero{} recompute={}", micro_batch, zero_stage, to_string(recompute));
  if (sequence_parallel) s += " sp";
  return s;
}

namespace {

std::vector<int> default_tp(const models::TransformerSpec& m, int domain) {
  std::vector<int> out;
  for (int t = 1; t <= std::max(1, domain) && t <= m.heads; t *= 2) out.push_back(t);
  return out;
}

std::vector<int> default_pp(const models::TransformerSpec& m) {
  std::vector<int> out;
  for (int p = 1; p <= std::min(64, m.layers); ++p) out.push_back(p);
  return out;
}

}  // namespace

std::size_t enumerate_layouts(const models::TransformerSpec& model, int accelerators, int scale_up_domain,
                              int global_batch, int seq_len, const LayoutChoices& ch,
                              const std::function<void(const TrainingLayout&)>& visit) {
  if (!ch.fixed.empty()) {
    std::size_t n = 0;
    for (const auto& l : ch.fixed) {
      if (l.tp * l.pp * l.dp * l.cp == accelerators) {
        visit(l);
        ++n;
      }
    }
    return n;
  }
  const std::vector<int> tps = ch.tp.empty() ? default_tp(model, scale_up_domain) : ch.tp;
  const std::vector<int> pps = ch.pp.empty() ? default_pp(model) : ch.pp;
  const std::vector<int> cps = ch.cp.empty() ? std::vector<int>{1} : ch.cp;
  const std::vector<int> vs = ch.virtual_stages.empty() ? std::vector<int>{1} : ch.virtual_stages;
  const std::vector<int> mbs = ch.micro_batch.empty() ? std::vector<int>{1} : ch.micro_batch;
  const std::vector<int> zs = ch.zero_stage.empty() ? std::vector<int>{0} : ch.zero_stage;
  const std::vector<Recompute> rcs = ch.recompute.empty() ? std::vector<Recompute>{Recompute::none} : ch.recompute;
  const int min_zero = *std::min_element(zs.begin(), zs.end());

  std::size_t count = 0;
  TrainingLayout l;
  for (int tp : tps) {
    if (tp < 1 || model.heads % tp != 0 || tp > std::max(1, scale_up_domain)) continue;
    const int kvh = model.kv_heads > 0 ? model.kv_heads : model.heads;
    if (kvh % tp != 0 && tp % kvh != 0) continue;
    if (!model.moe.enabled() && model.ffn_hidden % tp != 0) continue;
    for (int pp : pps) {
      if (pp < 1 || pp > model.layers) continue;  // uneven stages are allowed
      for (int cp : cps) {
        if (cp < 1 || seq_len % cp != 0) continue;
        const long long mp = static_cast<long long>(tp) * pp * cp;
        if (accelerators % mp != 0) continue;
        const int dp = static_cast<int>(accelerators / mp);
        if (dp > global_batch) continue;
        // Expert parallelism spreads the experts over data-parallel ranks (powers of two).
        std::vector<int> eps{1};
        if (model.moe.enabled()) {
          for (int e = 2; e <= dp * cp && e <= model.moe.experts; e *= 2) {
            if (model.moe.experts % e == 0 && (dp * cp) % e == 0) eps.push_back(e);
          }
        }
        for (int v : vs) {
          if (v < 1 || (v > 1 && pp == 1) || pp * v > model.layers) continue;
          for (int ep : eps) {
            for (int mb : mbs) {
              if (mb < 1 || global_batch % (static_cast<long long>(dp) * mb) != 0) continue;
              const int micro_batches = global_batch / (dp * mb);
              if (v > 1 && micro_batches % pp != 0) continue;  // interleaved schedule requirement
              for (int z : zs) {
                if (dp == 1 && z != min_zero) continue;  // ZeRO shards nothing without DP
                if (z == 3 && pp > 1) continue;          // FSDP does not combine with pipelining here
                for (Recompute rc : rcs) {
                  l.tp = tp;
                  l.pp = pp;
                  l.dp = dp;
                  l.cp = cp;
                  l.ep = ep;
                  l.virtual_stages = v;
                  l.micro_batch = mb;
                  l.zero_stage = z;
                  l.recompute = rc;
                  l.sequence_parallel = ch.sequence_parallel && tp > 1;
                  visit(l);
                  ++count;
                }
              }
            }
          }
        }
      }
    }
  }
  return count;
}

std::vector<TrainingLayout> enumerate_layouts(const models::TransformerSpec& model, int accelerators,
                                              int scale_up_domain, int global_batch, int seq_len,
                                              const LayoutChoices& choices) {
  std::vector<TrainingLayout> out;
  enumerate_layouts(model, accelerators, scale_up_domain, global_batch, seq_len, choices,
                    [&](const TrainingLayout& l) { out.push_back(l); });
  return out;
}

}  // namespace cs::planner
