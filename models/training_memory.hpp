#pragma once
// Memory per accelerator for a training layout (bytes), by part. The figures follow the
// ZeRO paper's mixed-precision accounting (2 bytes weights, 2 bytes gradients, 12 bytes
// fp32 master weights + Adam moments per parameter, each sharded by the ZeRO stage over
// dp x cp) and Korthikanti et al. 2022 for activations (per layer and token:
// 10h replicated + 24h-equivalent split over tp, generalised to GQA and SwiGLU widths;
// 5as/h for the score matrices unless fused attention or selective recomputation removes
// them; full recomputation keeps only each layer's input plus one layer's working set).
// The pipeline's first stage holds min(pp, micro-batches) micro-batches in flight (1F1B),
// x (1 + (pp-1)/(pp v)) when interleaved. The worst stage (first or last) is reported.
#include <string>

#include "models/training_spec.hpp"

namespace cs::models {

struct MemoryBreakdown {
  double weights = 0;
  double gradients = 0;
  double optimizer = 0;
  double activations = 0;
  double buffers = 0;    // communication buffers, ZeRO-3 gathered layers, logits
  double overhead = 0;   // framework: CUDA context, allocator slack
  double total() const { return weights + gradients + optimizer + activations + buffers + overhead; }
  int stage = 0;         // the pipeline stage these numbers are for (the worst one)
};

// Parameters one accelerator of pipeline rank `stage` holds after TP and EP sharding (what
// it stores with zero_stage 0).
double stage_parameters(const TrainingSpec& spec, int stage);
// Activation bytes one transformer layer keeps for one micro-batch on one rank.
double layer_activation_bytes(const TrainingSpec& spec, int layer);

MemoryBreakdown stage_memory(const TrainingSpec& spec, int stage);
MemoryBreakdown memory_per_device(const TrainingSpec& spec);  // max over stages

// Empty when `m` fits in `capacity` bytes; else "needs 93.1 GiB of 80.0 GiB: weights ..., ...".
std::string memory_problem(const MemoryBreakdown& m, double capacity);

}  // namespace cs::models
