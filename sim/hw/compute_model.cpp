#include "sim/hw/compute_model.hpp"

#include <algorithm>

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

OpCost ComputeModel::cost(const Op& op) const {
  const AcceleratorSpec& d = *device_;
  OpCost c;
  c.flops = op.flops();
  c.bytes = op.bytes_moved();
  const bool tensor_op = op.kind == OpKind::gemm || op.kind == OpKind::batched_gemm || op.kind == OpKind::attention;
  double peak = 0.0;
  if (tensor_op) {
    peak = d.peak(op.dtype, op.sparse);
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
      c.compute_efficiency = d.efficiency.gemm(op.dtype, op.m * op.batch, op.n, op.k, d.compute_units);
      break;
    }
    case OpKind::attention:
      c.compute_efficiency = d.efficiency.attention(op.dtype, op.q_len, op.kv_len, op.head_dim,
                                                    op.batch * op.heads, d.compute_units);
      break;
    case OpKind::elementwise:
    case OpKind::reduction: c.compute_efficiency = 0.5; break;
  }
  c.memory_efficiency = d.efficiency.memory(c.bytes);
  CS_ASSERT(d.memory_bandwidth > 0.0, "ComputeModel: accelerator without memory bandwidth");
  c.compute_seconds = c.flops > 0 ? c.flops / (peak * c.compute_efficiency) : 0.0;
  c.memory_seconds = c.bytes > 0 ? c.bytes / (d.memory_bandwidth * c.memory_efficiency) : 0.0;
  c.compute_bound = c.compute_seconds >= c.memory_seconds;
  c.seconds = std::max(c.compute_seconds, c.memory_seconds) + d.kernel_launch_overhead_s;
  c.time = sim::SimTime::from_seconds_ceil(c.seconds);
  return c;
}

}  // namespace cs::hw
