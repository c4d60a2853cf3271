#pragma once
// Parallel layouts for training and their automatic enumeration.
//
// enumerate_layouts() lists every layout of a model on G accelerators that is valid by
// divisibility (G = TP x PP x DP x CP; TP divides the heads and the FFN width and fits in a
// scale-up domain; the KV heads divide by TP or TP by them; PP x virtual stages is at most
// the layers (stages may be uneven; interleaving needs micro-batches divisible by PP); the
// global batch divides by DP x micro-batch; CP divides the sequence; EP divides the experts
// and DP x CP; ZeRO-3 only without PP) within the plan's choice lists; the same rules as
// models::check_layout(). Memory fit and speed are the training
// estimator's business (the planner asks it; it does not model training itself).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/transformer.hpp"
#include "sim/hw/cluster.hpp"
#include "sim/hw/dtype.hpp"

namespace cs::planner {

enum class Recompute : std::uint8_t { none, selective, full };
std::string_view to_string(Recompute r);

struct TrainingLayout {
  int tp = 1, pp = 1, dp = 1, cp = 1, ep = 1;
  int virtual_stages = 1;  // interleaved 1F1B when > 1
  int micro_batch = 1;     // sequences per micro-batch
  int zero_stage = 0;      // 0..3 (3 = FSDP)
  Recompute recompute = Recompute::none;
  bool sequence_parallel = false;  // with tp > 1
  std::string describe() const;    // "tp8 pp16 dp128 cp1 v2 mb1 z1 rc=selective sp"
};

// The lists the enumeration draws from; empty list = the defaults documented per field.
struct LayoutChoices {
  std::vector<int> tp;              // default: powers of two up to the scale-up domain
  std::vector<int> pp;              // default: 1 .. min(64, layers)
  std::vector<int> cp = {1};
  std::vector<int> virtual_stages = {1, 2};
  std::vector<int> micro_batch = {1, 2, 4};
  std::vector<int> zero_stage = {1};
  std::vector<Recompute> recompute = {Recompute::none, Recompute::selective, Recompute::full};
  bool sequence_parallel = true;    // always on when tp > 1
  std::vector<TrainingLayout> fixed;  // when non-empty: exactly these, no enumeration
};

struct TrainingJob {
  const models::TransformerSpec* model = nullptr;
  hw::DType dtype = hw::DType::bf16;
  double tokens = 0;      // per run
  int seq_len = 2048;
  int global_batch = 512; // sequences per optimizer step
};

// Calls `visit` for every valid layout, in a fixed order. Returns how many it visited.
std::size_t enumerate_layouts(const models::TransformerSpec& model, int accelerators, int scale_up_domain,
                              int global_batch, int seq_len, const LayoutChoices& choices,
                              const std::function<void(const TrainingLayout&)>& visit);
std::vector<TrainingLayout> enumerate_layouts(const models::TransformerSpec& model, int accelerators,
                                              int scale_up_domain, int global_batch, int seq_len,
                                              const LayoutChoices& choices);

// What the analytical tier needs from the training model, per layout.
struct TrainingPerf {
  bool fits = false;
  std::string reason;               // why not, when !fits
  double step_seconds = 0;
  double memory_bytes_per_device = 0;
  double mfu = 0;                   // model FLOPs utilisation, 0..1
  double utilisation = 0;           // accelerator busy fraction, for power
  double compute_seconds = 0, communication_seconds = 0, bubble_seconds = 0;  // breakdown
};

// The training seam: implemented by an adapter over the training model's fast estimate
// (models/training_estimate.hpp) and, for the simulated tier, over its simulation.
class TrainingEstimator {
 public:
  virtual ~TrainingEstimator() = default;
  virtual std::string name() const = 0;
  virtual TrainingPerf estimate(const hw::ClusterSpec& cluster, const TrainingJob& job,
                                const TrainingLayout& layout) const = 0;
};

}  // namespace cs::planner
