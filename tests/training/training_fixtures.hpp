#pragma once
// Hand-built hardware and models for training tests, independent of the shipped profiles.
#include "models/training_spec.hpp"
#include "sim/hw/cluster.hpp"

namespace cs::test {

// A DGX-A100-like node: 8 x (312 TFLOP/s bf16, 80 GiB, 2 TB/s), NVSwitch 300 GB/s, 8 x 25 GB/s NICs.
inline hw::ClusterSpec a100_cluster(int nodes, double memory_bytes = 80.0 * 1024 * 1024 * 1024) {
  hw::ClusterSpec c;
  auto& a = c.accelerator;
  a.name = "test-a100";
  a.peak_dense[hw::index(hw::DType::bf16)] = 312e12;
  a.peak_dense[hw::index(hw::DType::fp16)] = 312e12;
  a.peak_dense[hw::index(hw::DType::fp32)] = 19.5e12;
  a.compute_units = 108;
  a.memory_bytes = memory_bytes;
  a.memory_bandwidth = 2.0e12;
  a.kernel_launch_overhead_s = 4e-6;
  a.scale_up.bandwidth_per_direction = 300e9;
  c.node.name = "test-dgx";
  c.node.accelerator = a.name;
  c.node.accelerators = 8;
  c.node.scale_up.kind = hw::ScaleUpKind::nvswitch;
  c.node.scale_up.domain_size = 8;
  c.node.scale_up.bandwidth_per_accelerator = 300e9;
  c.node.scale_up.latency_s = 1e-6;
  c.node.nics = 8;
  c.node.nic_rate = 25e9;
  c.nic.latency_s = 2e-6;
  c.nodes = nodes;
  c.accelerators = nodes * 8;
  c.fabric.topology = nodes > 1 ? hw::FabricTopology::fat_tree : hw::FabricTopology::single_node;
  return c;
}

// A small GPT: 4 layers, hidden 1024, 16 heads, ffn 4096, vocab 32000, seq 1024.
inline models::TransformerSpec small_gpt() {
  models::TransformerSpec m;
  m.name = "small-gpt";
  m.display_name = m.name;
  m.layers = 4;
  m.hidden = 1024;
  m.ffn_hidden = 4096;
  m.heads = 16;
  m.kv_heads = 16;
  m.head_dim = 64;
  m.vocab = 32000;
  m.max_seq_len = 1024;
  m.ffn = models::FfnKind::gelu;
  m.tied_embeddings = false;
  return m;
}

// A GPT with hidden 4096 (32 heads of 128, ffn 16384, vocab 51200, seq 2048): big enough
// that communication and compute are both visible in a step.
inline models::TransformerSpec gpt_4096(int layers) {
  models::TransformerSpec m = small_gpt();
  m.layers = layers;
  m.hidden = 4096;
  m.ffn_hidden = 16384;
  m.heads = 32;
  m.kv_heads = 32;
  m.head_dim = 128;
  m.vocab = 51200;
  m.max_seq_len = 2048;
  return m;
}

inline models::TrainingSpec small_job(int tp, int pp, int dp) {
  models::TrainingSpec t;
  t.model = small_gpt();
  t.layout.tp = tp;
  t.layout.pp = pp;
  t.layout.dp = dp;
  t.seq_len = 1024;
  t.micro_batch = 1;
  t.global_batch = 8 * dp;
  return t;
}

}  // namespace cs::test
