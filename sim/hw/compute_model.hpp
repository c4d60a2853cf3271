#pragma once
// The compute model: turns one operation into a time on one accelerator,
//   time = max(flops / (peak x compute_eff), bytes / (bandwidth x memory_eff)) + launch overhead
// with efficiencies from the accelerator's EfficiencyModel (measured tables or defaults).
//
// Shapes are per device: the workload layer shards them (tensor parallel divides N or K,
// see shard_*), so the model never guesses a layout.
#include <string>

#include "sim/core/time.hpp"
#include "sim/hw/accelerator.hpp"

namespace cs::hw {

enum class OpKind { gemm, batched_gemm, attention, elementwise, reduction };
std::string_view to_string(OpKind k);

struct Op {
  OpKind kind = OpKind::gemm;
  DType dtype = DType::bf16;
  bool sparse = false;  // 2:4 structured sparsity: GEMMs only, only if the device has it; ignored otherwise

  // gemm / batched_gemm: (M x K) * (K x N), `batch` independent products.
  double m = 0, n = 0, k = 0, batch = 1;

  // attention (fused, flash-style): batch x heads, query and key lengths, head dim.
  double heads = 0, q_len = 0, kv_len = 0, head_dim = 0;
  bool causal = false;
  int kv_heads = 0;  // 0 = same as heads (grouped-query attention reads fewer K/V bytes)

  // elementwise / reduction: bytes read + written, and arithmetic per byte.
  double bytes = 0;
  double flops_per_byte = 0;

  // Scales for kernels derived from a shape but doing more work on it (attention backward
  // recomputes scores and runs five matmuls instead of two: flops x2.5, bytes x2).
  double flops_scale = 1.0;
  double bytes_scale = 1.0;

  double flops() const;
  double bytes_moved() const;

 private:
  double base_flops() const;
  double base_bytes() const;
};

// Constructors for the common cases.
Op gemm(double m, double n, double k, DType dtype, double batch = 1);
Op attention(double batch, double heads, double q_len, double kv_len, double head_dim, bool causal, DType dtype,
             int kv_heads = 0);
Op elementwise(double bytes, DType dtype, double flops_per_byte = 0.25);

// Tensor-parallel sharding over `tp` ranks (Megatron layout): each returns the op one rank
// runs. Uneven splits round up, since the largest shard sets the step time.
Op shard_columns(Op gemm_op, int tp);  // column-parallel linear: N / tp (QKV, MLP up)
Op shard_rows(Op gemm_op, int tp);     // row-parallel linear: K / tp (attention out, MLP down)
Op shard_heads(Op attention_op, int tp);  // heads / tp; KV heads / tp, at least one per rank
Op shard_bytes(Op elementwise_op, int tp);

struct OpCost {
  sim::SimTime time;
  double seconds = 0;           // same as time, unrounded, for analytical sums
  double flops = 0;
  double bytes = 0;
  double compute_seconds = 0;   // flops / (peak x eff)
  double memory_seconds = 0;    // bytes / (bandwidth x eff)
  double compute_efficiency = 0;
  double memory_efficiency = 0;
  bool compute_bound = false;
};

class ComputeModel {
 public:
  explicit ComputeModel(const AcceleratorSpec& device) : device_(&device) {}
  const AcceleratorSpec& device() const { return *device_; }

  OpCost cost(const Op& op) const;
  // cost(op).seconds without the SimTime rounding (the planner's fast path).
  double seconds(const Op& op) const { return cost(op).seconds; }

  // True when this device's compute times come from measured tables.
  bool measured() const { return device_->efficiency.any_measured(); }

 private:
  const AcceleratorSpec* device_;
};

}  // namespace cs::hw
