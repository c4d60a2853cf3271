#pragma once
// The scenario's "training" section (docs/scenario-format.md#training):
//
//   "training": {
//     "model": "llama-3-70b",            catalog name, or an inline model object
//     "seq_len": 8192,                   default: the model's max_seq_len
//     "micro_batch": 1,                  sequences per micro-batch (default 1)
//     "global_batch": 512,               sequences per step (or "global_batch_tokens": "4M")
//     "parallelism": { "tp": 8, "pp": 4, "dp": 2, "cp": 1, "ep": 1,
//                      "schedule": "1f1b" | "interleaved", "virtual_stages": 1,
//                      "sequence_parallel": true, "zero_stage": 1 },
//                                        dp defaults to accelerators / (tp x pp x cp)
//     "recompute": "none" | "selective" | "full",
//     "precision": "bf16" | "fp16" | "fp8",
//     "flash_attention": true,
//     "overlap": { "dp": true, "tp": false },
//     "framework_overhead": "2GiB",
//     "token_budget": "15T",             tokens to train on: time-to-train and cost
//     "simulate_all_ranks": false,       true: every rank, not one per pipeline stage
//     "comm_model": "alpha_beta"         or "network": the network layer's fabric-aware estimate
//   }
#include "loaders/json_reader.hpp"
#include "loaders/model_loader.hpp"
#include "models/training_spec.hpp"
#include "sim/hw/cluster.hpp"

namespace cs::load {

// `cluster` (may be null) supplies the accelerator count for a default dp and for the
// layout check; an invalid layout is an InputError at the section's pointer.
models::TrainingSpec read_training_section(const Node& node, const ModelCatalog& models,
                                           const hw::ClusterSpec* cluster);

}  // namespace cs::load
