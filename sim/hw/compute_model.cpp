#include "sim/hw/compute_model.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/assert.hpp"
#include "sim/core/error.hpp"

namespace cs::hw {

std::string_view to_string(OpKind k) {
  switch (k) {
    case OpKind::gemm: return "gemm";
    case OpKind::batched_gemm: return "batched_gemm";
    case OpKind::attention: return "attention";
    case OpKind::elementwise: return "elementwise";
    case OpKind::reduction: return "reduction";
  }
  return "op";
}

double Op::flops() const { return flops_scale * base_flops(); }
double Op::bytes_moved() const { return bytes_scale * base_bytes(); }

double Op::base_flops() const {
  switch (kind) {
    case OpKind::gemm:
    case OpKind::batched_gemm: return 2.0 * m * n * k * batch;
    case OpKind::attention: {
      // QK^T and PV: 2 GEMMs of 2 * q * kv * d each per (batch, head); causal masks half.
      const double full = 4.0 * batch * heads * q_len * kv_len * head_dim;
      if (!causal) return full;
      // With q_len < kv_len (decode, chunked prefill) only the last q_len rows are masked.
      const double masked = 0.5 * q_len * q_len;
      return full * std::max(0.0, (q_len * kv_len - masked) / (q_len * kv_len));
    }
    case OpKind::elementwise:
    case OpKind::reduction: return bytes * flops_per_byte;
  }
  return 0.0;
}

double Op::base_bytes() const {
  const double e = bytes_per_element(dtype);
  switch (kind) {
    case OpKind::gemm:
    case OpKind::batched_gemm: return batch * (m * k + k * n + m * n) * e;
    case OpKind::attention: {
      const double kvh = kv_heads > 0 ? kv_heads : heads;
      // Q and O per query head, K and V per KV head, each read once by a fused kernel.
      return batch * (2.0 * heads * q_len * head_dim + 2.0 * kvh * kv_len * head_dim) * e;
    }
    case OpKind::elementwise:
    case OpKind::reduction: return bytes;
  }
  return 0.0;
}

Op gemm(double m, double n, double k, DType dtype, double batch) {
  Op op;
  op.kind = batch > 1 ? OpKind::batched_gemm : OpKind::gemm;
  op.dtype = dtype;
  op.m = m;
  op.n = n;
  op.k = k;
  op.batch = batch;
  return op;
}

Op attention(double batch, double heads, double q_len, double kv_len, double head_dim, bool causal, DType dtype,
             int kv_heads) {
  Op op;
  op.kind = OpKind::attention;
  op.dtype = dtype;
  op.batch = batch;
  op.heads = heads;
  op.q_len = q_len;
  op.kv_len = kv_len;
  op.head_dim = head_dim;
  op.causal = causal;
  op.kv_heads = kv_heads;
  return op;
}

Op elementwise(double bytes, DType dtype, double flops_per_byte) {
  Op op;
  op.kind = OpKind::elementwise;
  op.dtype = dtype;
  op.bytes = bytes;
  op.flops_per_byte = flops_per_byte;
  return op;
}

Op shard_columns(Op op, int tp) {
  CS_ASSERT(tp >= 1, "shard_columns: tensor-parallel degree < 1");
  CS_ASSERT(op.kind == OpKind::gemm || op.kind == OpKind::batched_gemm, "shard_columns: not a GEMM");
  op.n = std::ceil(op.n / tp);
  return op;
}

Op shard_rows(Op op, int tp) {
  CS_ASSERT(tp >= 1, "shard_rows: tensor-parallel degree < 1");
  CS_ASSERT(op.kind == OpKind::gemm || op.kind == OpKind::batched_gemm, "shard_rows: not a GEMM");
  op.k = std::ceil(op.k / tp);
  return op;
}

Op shard_heads(Op op, int tp) {
  CS_ASSERT(tp >= 1, "shard_heads: tensor-parallel degree < 1");
  CS_ASSERT(op.kind == OpKind::attention, "shard_heads: not attention");
  const double kv = op.kv_heads > 0 ? op.kv_heads : op.heads;
  op.heads = std::ceil(op.heads / tp);
  // Fewer KV heads than ranks: each rank keeps (a replica of) one.
  op.kv_heads = static_cast<int>(std::max(1.0, std::ceil(kv / tp)));
  return op;
}

Op shard_bytes(Op op, int tp) {
  CS_ASSERT(tp >= 1, "shard_bytes: tensor-parallel degree < 1");
  CS_ASSERT(op.kind == OpKind::elementwise || op.kind == OpKind::reduction, "shard_bytes: not element-wise");
  op.bytes /= tp;
  return op;
}

OpCost ComputeModel::cost(const Op& op) const {
  const AcceleratorSpec& d = *device_;
  OpCost c;
  c.flops = op.flops();
  c.bytes = op.bytes_moved();
  const bool is_gemm = op.kind == OpKind::gemm || op.kind == OpKind::batched_gemm;
  const bool tensor_op = is_gemm || op.kind == OpKind::attention;
  double peak = 0.0;
  if (tensor_op) {
    // 2:4 sparsity applies to a GEMM's weight operand only, and only when the op asks for it.
    peak = d.peak(op.dtype, op.sparse && is_gemm);
    if (peak <= 0.0) {
      throw InputError("accelerator " + d.name + " has no " + std::string(name(op.dtype)) +
                       " throughput; choose a precision it supports");
    }
  } else {
    // Vector work runs on the non-tensor units: use the fp32 rate as the roofline ceiling.
    peak = std::max(d.peak(DType::fp32), 1e9);
  }
  switch (op.kind) {
    case OpKind::gemm:
    case OpKind::batched_gemm: {
      // A batched GEMM fills the machine as one GEMM whose M spans the batch.
      c.compute_efficiency = d.efficiency.gemm(op.dtype, op.m * op.batch, op.n, op.k, d.compute_units, peak);
      break;
    }
    case OpKind::attention:
      c.compute_efficiency = d.efficiency.attention(op.dtype, op.q_len, op.kv_len, op.head_dim,
                                                    op.batch * op.heads, d.compute_units, peak);
      break;
    case OpKind::elementwise:
    case OpKind::reduction: c.compute_efficiency = 0.5; break;
  }
  c.memory_efficiency = d.efficiency.memory(c.bytes);
  CS_ASSERT(d.memory_bandwidth > 0.0, "ComputeModel: accelerator without memory bandwidth");
  c.compute_seconds = c.flops > 0 ? c.flops / (peak * c.compute_efficiency) : 0.0;
  c.memory_seconds = c.bytes > 0 ? c.bytes / (d.memory_bandwidth * c.memory_efficiency) : 0.0;
  c.compute_bound = c.compute_seconds >= c.memory_seconds;
  // A measured rate already holds the per-kernel fixed cost of a back-to-back stream
  // (loaders/calibration_fit.hpp), so only ops priced by the default curves add it.
  const bool measured = is_gemm ? d.efficiency.gemm_measured(op.dtype)
                                : (op.kind != OpKind::attention && d.efficiency.memory_measured());
  c.seconds = std::max(c.compute_seconds, c.memory_seconds) + (measured ? 0.0 : d.kernel_launch_overhead_s);
  c.time = sim::SimTime::from_seconds_ceil(c.seconds);
  return c;
}

}  // namespace cs::hw
