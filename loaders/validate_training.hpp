#pragma once
// `clustersim validate FILE --kind training`: simulates every published training run it
// can map to a scenario (docs/training.md, "From a validation record to a scenario") and
// compares the throughput the source reports (Megatron: TFLOP/s per GPU by the paper's
// Eq. 3; MPT: tokens/s per GPU).
#include <vector>

#include "loaders/validation.hpp"
#include "models/training_spec.hpp"
#include "sim/hw/cluster.hpp"

namespace cs::load {

std::vector<ValidationRow> validate_training(const std::vector<Node>& records, const ValidationContext& ctx);
// The same with every mapped run's collectives priced by `comm` (the registered validator
// uses the default, alpha_beta; tests run the network model's contention-aware pricing).
std::vector<ValidationRow> validate_training_with(const std::vector<Node>& records, const ValidationContext& ctx,
                                                  models::CommModelKind comm);

// The mapping, exposed for tests and docs: the training spec and cluster a record's
// config stands for. Throws InputError (with the reason) when the record cannot be mapped.
struct MappedTrainingRun {
  models::TrainingSpec spec;
  hw::ClusterSpec cluster;
  std::string metric;   // "tflops_per_gpu" (Megatron Eq. 3) or "tokens_per_s_per_gpu"
  double measured = 0;
  std::string note;     // the choices the mapping made that the record does not state
};
MappedTrainingRun map_training_record(const Node& record, const ValidationContext& ctx);

// Megatron-LM SC21 Eq. 3: FLOPs of one iteration with full recomputation,
// 96 B s l h^2 (1 + s / 6h + V / 16 l h).
double megatron_eq3_flops(const models::TransformerSpec& m, double batch, double seq);

}  // namespace cs::load

