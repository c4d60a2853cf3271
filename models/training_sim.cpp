#include "models/training_sim.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>
#include <vector>

#include "sim/core/assert.hpp"
#include "sim/core/engine.hpp"

namespace cs::models {

std::vector<SchedulePass> pipeline_order(int stage, int pp, int m, int v) {
  std::vector<SchedulePass> order;
  const int total = m * v;
  order.reserve(2 * total);
  auto fwd_pass = [&](int k) {
    if (v == 1) return SchedulePass{k, 0, true};
    const int in_group = k % (pp * v);
    return SchedulePass{(k / (pp * v)) * pp + k % pp, in_group / pp, true};
  };
  auto bwd_pass = [&](int k) {
    SchedulePass p = fwd_pass(k);
    p.forward = false;
    if (v > 1) p.chunk = v - 1 - p.chunk;
    return p;
  };
  int warmup = 0;
  if (v == 1) {
    warmup = std::min(pp - stage - 1, m);
  } else if (m == pp) {
    warmup = total;
  } else {
    warmup = std::min(total, (pp - stage - 1) * 2 + (v - 1) * pp);
  }
  for (int k = 0; k < warmup; ++k) order.push_back(fwd_pass(k));
  for (int k = 0; k < total - warmup; ++k) {
    order.push_back(fwd_pass(warmup + k));
    order.push_back(bwd_pass(k));
  }
  for (int k = total - warmup; k < total; ++k) order.push_back(bwd_pass(k));
  return order;
}

namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kGroupFlag = std::uint64_t{1} << 63;

enum class TaskKind : std::uint8_t { forward, backward, tp, cp, ep, p2p, dp_reduce, param_gather, optimizer };
constexpr std::array<std::string_view, 9> kKindNames{"forward", "backward", "tp_comm", "cp_comm", "ep_comm",
                                                     "p2p_send", "dp_reduce", "param_gather", "optimizer"};
enum Stream : int { kCompute = 0, kP2p, kReduce, kGather, kTpSide, kStreams };
constexpr std::array<std::string_view, kStreams> kStreamNames{"compute", "p2p", "dp reduce", "param gather",
                                                              "tp side"};
// Collective group kinds, for instance numbering in full mode.
enum GroupKind : int { kTpGroup = 0, kCpGroup, kEpGroup, kDpGroup, kGroupKinds };

struct Task {
  std::int64_t dur = 0;
  std::int64_t start = -1;
  std::uint32_t stream = 0;
  std::uint32_t pending = 0;
  std::uint32_t succ_begin = 0;
  std::uint32_t group = kNone;    // collective instance (full mode)
  std::uint32_t wait_dep = kNone; // the cross-stream dependency that gates it (for attribution)
  TaskKind kind = TaskKind::forward;
};

struct PendingGroup {  // while building: which group instance a collective task joins
  std::uint32_t task;
  std::uint32_t group_index;  // index of the group among groups of its kind
  std::uint32_t seq;          // k-th collective of that kind on this rank
  std::uint8_t kind;
};

class StepSim {
 public:
  StepSim(const TrainingSpec& spec, const StepCosts& costs, const TrainingSimOptions& o)
      : s_(spec), c_(costs), o_(o), l_(spec.layout) {}

  TrainingSimResult run();

 private:
  // Layout helpers.
  int simulated_ranks() const { return o_.all_ranks ? l_.gpus() : l_.pp; }
  int stage_of(int r) const { return o_.all_ranks ? r / (l_.tp * l_.cp * l_.dp) : r; }
  int global_rank(int r) const { return o_.all_ranks ? r : r * l_.tp * l_.cp * l_.dp; }

  std::uint32_t add_task(int rank, Stream stream, TaskKind kind, double seconds) {
    Task t;
    t.dur = seconds > 0 ? sim::SimTime::from_seconds_ceil(seconds).ns() : 0;
    t.stream = static_cast<std::uint32_t>(rank * kStreams + stream);
    t.kind = kind;
    tasks_.push_back(t);
    return static_cast<std::uint32_t>(tasks_.size() - 1);
  }
  void edge(std::uint32_t from, std::uint32_t to) {
    if (from == kNone || to == kNone) return;
    edges_.push_back({from, to});
  }
  // A collective task: in full mode it joins the instance of its group.
  std::uint32_t add_collective(int rank, Stream stream, TaskKind kind, double seconds, GroupKind g) {
    const std::uint32_t t = add_task(rank, stream, kind, seconds);
    if (!o_.all_ranks) return t;
    int size = 1;
    std::uint32_t index = 0;
    const int tp_i = rank % l_.tp, cp_i = (rank / l_.tp) % l_.cp, dp_i = (rank / (l_.tp * l_.cp)) % l_.dp;
    const int st = stage_of(rank);
    switch (g) {
      case kTpGroup: size = l_.tp; index = static_cast<std::uint32_t>(rank / l_.tp); break;
      case kCpGroup:
        size = l_.cp;
        index = static_cast<std::uint32_t>((st * l_.dp + dp_i) * l_.tp + tp_i);
        break;
      case kEpGroup: {
        size = l_.ep;
        const int dc = dp_i * l_.cp + cp_i;  // position in dp x cp; EP groups are consecutive blocks
        index = static_cast<std::uint32_t>(((st * (l_.dp * l_.cp / l_.ep) + dc / l_.ep) * l_.tp) + tp_i);
        break;
      }
      case kDpGroup: size = l_.dp * l_.cp; index = static_cast<std::uint32_t>(st * l_.tp + tp_i); break;
      default: break;
    }
    if (size <= 1) return t;
    auto& seq = seq_[static_cast<std::size_t>(rank) * kGroupKinds + g];
    pending_groups_.push_back({t, index, seq++, static_cast<std::uint8_t>(g)});
    group_size_of_kind_[g] = size;
    return t;
  }

  void build_rank(int rank);
  void build_rank_per_tensor(int rank);  // ZeRO-3, Zero3Impl::deepspeed_2021
  void link_pipeline(int rank);
  void finalize();
  void try_start(std::uint32_t stream);
  void complete(std::uint32_t task);
  void on_event(const sim::Event& e);
  TimeBreakdown attribute(int rank, std::int64_t step_end) const;

  const TrainingSpec& s_;
  const StepCosts& c_;
  const TrainingSimOptions& o_;
  const ParallelLayout& l_;
  sim::Engine engine_;

  std::vector<Task> tasks_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges_;
  std::vector<std::uint32_t> succ_;
  std::uint32_t succ_end_ = 0;
  std::vector<std::uint32_t> stream_tasks_;   // task ids grouped by stream (CSR)
  std::vector<std::uint32_t> stream_begin_;   // size streams + 1
  std::vector<std::uint32_t> stream_head_;
  std::vector<std::uint8_t> stream_busy_;
  // Per rank: task ids of each pass's output (after its blocking comm), for linking stages.
  std::vector<std::uint32_t> fwd_out_, bwd_out_;  // [rank][mb][chunk]
  std::vector<std::uint32_t> fwd_in_, bwd_in_;    // first compute task of each pass
  std::vector<std::uint32_t> seq_;
  std::vector<PendingGroup> pending_groups_;
  std::array<int, kGroupKinds> group_size_of_kind_{1, 1, 1, 1};
  // Collective instances (CSR of members).
  std::vector<std::uint32_t> group_members_, group_begin_, group_arrived_;
  std::vector<std::uint32_t> last_compute_;  // per rank
};

// DeepSpeed-2021 ZeRO-3: every weight tensor is gathered before each use (forward,
// recomputed forward, backward) and its gradient reduce-scattered after its backward, on
// one communication stream in issue order; the gather of tensor i+1 is issued when tensor
// i's compute starts (one tensor of prefetch), so it may run under that compute.
void StepSim::build_rank_per_tensor(int r) {
  const int st = stage_of(r);
  const int m = c_.micro_batches, v = l_.virtual_stages;
  const StageCosts& sc = c_.stages[st];
  const std::size_t base = static_cast<std::size_t>(r) * m * v;
  const bool full = s_.recompute == Recompute::full;
  struct Step {
    Zero3Step z;
    int pass;
  };
  const std::vector<SchedulePass> order = pipeline_order(st, l_.pp, m, v);
  std::vector<Step> steps;
  for (int k = 0; k < static_cast<int>(order.size()); ++k) {
    const SchedulePass& p = order[k];
    for (const Zero3Step& z : zero3_pass_steps(sc.chunks[p.chunk], p.forward, full)) steps.push_back({z, k});
  }
  const std::size_t n = steps.size();
  std::vector<std::uint32_t> comp(n, kNone), gat(n, kNone);
  auto issue_gather = [&](std::size_t i) {
    if (steps[i].z.gather <= 0) return;
    gat[i] = add_collective(r, kGather, TaskKind::param_gather, steps[i].z.gather, kDpGroup);
    if (i >= 2) edge(comp[i - 2], gat[i]);
  };
  if (n > 0) issue_gather(0);
  std::uint32_t last_reduce = kNone, prev_compute = kNone, pass_first = kNone, gate = kNone;
  for (std::size_t i = 0; i < n; ++i) {
    const Step& stp = steps[i];
    const SchedulePass& p = order[stp.pass];
    comp[i] = add_task(r, kCompute, p.forward ? TaskKind::forward : TaskKind::backward, stp.z.compute);
    if (pass_first == kNone) pass_first = comp[i];
    if (gat[i] != kNone) {
      edge(gat[i], comp[i]);
      tasks_[comp[i]].wait_dep = gat[i];
    }
    if (gate != kNone) {
      // The host waited for the previous reduction before launching the last one.
      edge(gate, comp[i]);
      if (tasks_[comp[i]].wait_dep == kNone) tasks_[comp[i]].wait_dep = gate;
    }
    if (i + 1 < n) issue_gather(i + 1);
    if (stp.z.reduce > 0) {
      const std::uint32_t red = add_collective(r, kGather, TaskKind::dp_reduce, stp.z.reduce, kDpGroup);
      edge(comp[i], red);
      gate = s_.overlap_dp_comm ? last_reduce : red;  // without overlap the backward waits for it
      last_reduce = red;
    }
    if (i + 1 < n && steps[i + 1].pass == stp.pass) continue;
    // End of the pass: its blocking TP / CP / EP collectives.
    const ChunkCosts& ch = sc.chunks[p.chunk];
    const double tp = p.forward ? ch.tp_fwd : ch.tp_bwd;
    if (tp > 0) {
      if (s_.overlap_tp_comm) {
        const std::uint32_t t = add_collective(r, kTpSide, TaskKind::tp, tp, kTpGroup);
        edge(prev_compute, t);
        const std::uint32_t join = add_task(r, kTpSide, TaskKind::tp, 0.0);
        edge(comp[i], join);
      } else {
        add_collective(r, kCompute, TaskKind::tp, tp, kTpGroup);
      }
    }
    const double cpt = p.forward ? ch.cp_fwd : ch.cp_bwd;
    if (cpt > 0) add_collective(r, kCompute, TaskKind::cp, cpt, kCpGroup);
    const double ept = p.forward ? ch.ep_fwd : ch.ep_bwd;
    if (ept > 0) add_collective(r, kCompute, TaskKind::ep, ept, kEpGroup);
    (p.forward ? fwd_in_ : bwd_in_)[base + static_cast<std::size_t>(p.micro_batch) * v + p.chunk] = pass_first;
    pass_first = kNone;
    prev_compute = comp[i];
  }
  last_compute_[r] = prev_compute;
  const std::uint32_t opt = add_task(r, kCompute, TaskKind::optimizer, sc.optimizer);
  if (last_reduce != kNone) {
    edge(last_reduce, opt);
    tasks_[opt].wait_dep = last_reduce;
  }
}

void StepSim::build_rank(int r) {
  if (l_.zero_stage == 3 && l_.zero3_impl == Zero3Impl::deepspeed_2021) {
    build_rank_per_tensor(r);
    return;
  }
  const int st = stage_of(r);
  const int m = c_.micro_batches, v = l_.virtual_stages;
  const StageCosts& sc = c_.stages[st];
  const std::size_t base = static_cast<std::size_t>(r) * m * v;
  const bool bucketed = l_.zero_stage <= 1 && s_.overlap_dp_comm && (l_.dp * l_.cp > 1);
  std::vector<int> last_bwd_of_chunk(v, -1);
  const std::vector<SchedulePass> order = pipeline_order(st, l_.pp, m, v);
  for (int k = 0; k < static_cast<int>(order.size()); ++k) {
    if (!order[k].forward) last_bwd_of_chunk[order[k].chunk] = k;
  }
  std::uint32_t prev_compute = kNone, prev_prev_compute = kNone, last_reduce = kNone;
  for (int k = 0; k < static_cast<int>(order.size()); ++k) {
    const SchedulePass& p = order[k];
    const ChunkCosts& ch = sc.chunks[p.chunk];
    // ZeRO-3: gather this chunk's weights before the pass, prefetching one pass ahead.
    std::uint32_t gather = kNone;
    if (l_.zero_stage == 3 && ch.param_gather > 0) {
      gather = add_collective(r, kGather, TaskKind::param_gather, ch.param_gather, kDpGroup);
      edge(prev_prev_compute, gather);
    }
    const double compute = p.forward ? ch.fwd : ch.bwd;
    const bool split = !p.forward && bucketed && k == last_bwd_of_chunk[p.chunk] && ch.grad_reduce > 0;
    const int pieces = split ? std::max(1, std::min(ch.layers, 8)) : 1;
    std::uint32_t first = kNone, last = kNone;
    for (int i = 0; i < pieces; ++i) {
      const std::uint32_t t = add_task(r, kCompute, p.forward ? TaskKind::forward : TaskKind::backward,
                                       compute / pieces);
      if (i == 0) first = t;
      last = t;
      if (split) {
        const std::uint32_t red = add_collective(r, kReduce, TaskKind::dp_reduce, ch.grad_reduce / pieces, kDpGroup);
        edge(t, red);
        last_reduce = red;
      }
    }
    if (gather != kNone) {
      edge(gather, first);
      tasks_[first].wait_dep = gather;
    }
    std::uint32_t out = last;
    const double tp = p.forward ? ch.tp_fwd : ch.tp_bwd;
    if (tp > 0) {
      if (s_.overlap_tp_comm) {
        // On the side stream, running under this pass's GEMMs (it may start once the
        // previous pass is done); a zero-length join marks when both are finished.
        const std::uint32_t t = add_collective(r, kTpSide, TaskKind::tp, tp, kTpGroup);
        edge(prev_compute, t);
        const std::uint32_t join = add_task(r, kTpSide, TaskKind::tp, 0.0);
        edge(last, join);
        out = join;
      } else {
        out = add_collective(r, kCompute, TaskKind::tp, tp, kTpGroup);
      }
    }
    const double cpt = p.forward ? ch.cp_fwd : ch.cp_bwd;
    if (cpt > 0) out = add_collective(r, kCompute, TaskKind::cp, cpt, kCpGroup);
    const double ept = p.forward ? ch.ep_fwd : ch.ep_bwd;
    if (ept > 0) out = add_collective(r, kCompute, TaskKind::ep, ept, kEpGroup);
    const std::size_t idx = base + static_cast<std::size_t>(p.micro_batch) * v + p.chunk;
    (p.forward ? fwd_in_ : bwd_in_)[idx] = first;
    // The pass's output goes to the next (forward) or previous (backward) stage: the last
    // stage's chunk c feeds stage 0's chunk c + 1 when interleaved.
    const bool hop = l_.pp > 1 && (p.forward ? (st + 1 < l_.pp || p.chunk + 1 < v) : (st > 0 || p.chunk > 0));
    if (hop) {
      const std::uint32_t send = add_task(r, kP2p, TaskKind::p2p, c_.p2p);
      edge(out, send);
      (p.forward ? fwd_out_ : bwd_out_)[idx] = send;
    }
    if (!p.forward && l_.zero_stage >= 2 && ch.grad_reduce > 0) {
      const std::uint32_t red = add_collective(r, kReduce, TaskKind::dp_reduce, ch.grad_reduce, kDpGroup);
      edge(out, red);
      last_reduce = red;
    }
    prev_prev_compute = prev_compute;
    prev_compute = last;
  }
  last_compute_[r] = prev_compute;
  if (l_.zero_stage <= 1 && !bucketed) {
    for (int ch = 0; ch < v; ++ch) {
      if (sc.chunks[ch].grad_reduce <= 0) continue;
      const std::uint32_t red = add_collective(r, kReduce, TaskKind::dp_reduce, sc.chunks[ch].grad_reduce, kDpGroup);
      edge(prev_compute, red);
      last_reduce = red;
    }
  }
  const std::uint32_t opt = add_task(r, kCompute, TaskKind::optimizer, sc.optimizer);
  if (last_reduce != kNone) {
    edge(last_reduce, opt);
    tasks_[opt].wait_dep = last_reduce;
  }
  if (l_.zero_stage == 1 || l_.zero_stage == 2) {
    // Updated weight shards are gathered back; with overlap only the first bucket is
    // exposed (the rest overlaps the next step's forward, as Megatron's overlap_param_gather).
    for (int ch = 0; ch < v; ++ch) {
      const ChunkCosts& c = sc.chunks[ch];
      if (c.param_gather <= 0) continue;
      const double t = s_.overlap_dp_comm ? c.param_gather / std::max(1, c.layers) : c.param_gather;
      const std::uint32_t g = add_collective(r, kGather, TaskKind::param_gather, t, kDpGroup);
      edge(opt, g);
    }
  }
}

// Activations flow forward stage to stage (last stage, chunk c -> first stage, chunk c+1)
// and gradients back; each hop's send (made in build_rank) gates the receiver's pass.
void StepSim::link_pipeline(int r) {
  if (l_.pp == 1) return;
  const int st = stage_of(r);
  const int m = c_.micro_batches, v = l_.virtual_stages;
  const int stride = o_.all_ranks ? l_.tp * l_.cp * l_.dp : 1;
  const int next = st + 1 < l_.pp ? r + stride : r - (l_.pp - 1) * stride;
  const int prev = st > 0 ? r - stride : r + (l_.pp - 1) * stride;
  for (int mb = 0; mb < m; ++mb) {
    for (int ch = 0; ch < v; ++ch) {
      const std::size_t here = (static_cast<std::size_t>(r) * m + mb) * v + ch;
      if (const std::uint32_t send = fwd_out_[here]; send != kNone) {
        const int nch = st + 1 < l_.pp ? ch : ch + 1;
        const std::uint32_t in = fwd_in_[(static_cast<std::size_t>(next) * m + mb) * v + nch];
        edge(send, in);
        tasks_[in].wait_dep = send;
      }
      if (const std::uint32_t send = bwd_out_[here]; send != kNone) {
        const int nch = st > 0 ? ch : ch - 1;
        const std::uint32_t in = bwd_in_[(static_cast<std::size_t>(prev) * m + mb) * v + nch];
        edge(send, in);
        tasks_[in].wait_dep = send;
      }
    }
  }
}

void StepSim::finalize() {
  // Successor lists (CSR) and dependency counts.
  std::vector<std::uint32_t> count(tasks_.size() + 1, 0);
  for (const auto& [from, to] : edges_) {
    ++count[from];
    ++tasks_[to].pending;
  }
  std::uint32_t acc = 0;
  for (std::size_t i = 0; i < tasks_.size(); ++i) {
    tasks_[i].succ_begin = acc;
    acc += count[i];
    count[i] = tasks_[i].succ_begin;
  }
  succ_end_ = acc;
  succ_.assign(acc, 0);
  for (const auto& [from, to] : edges_) succ_[count[from]++] = to;
  edges_.clear();
  edges_.shrink_to_fit();

  // Streams: tasks in creation order (program order per stream).
  const std::size_t streams = static_cast<std::size_t>(simulated_ranks()) * kStreams;
  stream_begin_.assign(streams + 1, 0);
  for (const Task& t : tasks_) ++stream_begin_[t.stream + 1];
  for (std::size_t i = 0; i < streams; ++i) stream_begin_[i + 1] += stream_begin_[i];
  stream_tasks_.assign(tasks_.size(), 0);
  std::vector<std::uint32_t> fill(stream_begin_.begin(), stream_begin_.end() - 1);
  for (std::uint32_t i = 0; i < tasks_.size(); ++i) stream_tasks_[fill[tasks_[i].stream]++] = i;
  stream_head_.assign(stream_begin_.begin(), stream_begin_.end() - 1);
  stream_busy_.assign(streams, 0);

  // Collective instances: the k-th collective of a kind on every member of a group.
  if (!pending_groups_.empty()) {
    std::array<std::uint32_t, kGroupKinds> max_seq{}, max_index{}, offset{};
    for (const auto& g : pending_groups_) {
      max_seq[g.kind] = std::max(max_seq[g.kind], g.seq + 1);
      max_index[g.kind] = std::max(max_index[g.kind], g.group_index + 1);
    }
    std::uint32_t total = 0;
    for (int k = 0; k < kGroupKinds; ++k) {
      offset[k] = total;
      total += max_seq[k] * max_index[k];
    }
    group_begin_.assign(total + 1, 0);
    for (auto& g : pending_groups_) {
      const std::uint32_t id = offset[g.kind] + g.group_index * max_seq[g.kind] + g.seq;
      tasks_[g.task].group = id;
      ++group_begin_[id + 1];
    }
    for (std::uint32_t i = 0; i < total; ++i) group_begin_[i + 1] += group_begin_[i];
    group_members_.assign(pending_groups_.size(), 0);
    std::vector<std::uint32_t> gfill(group_begin_.begin(), group_begin_.end() - 1);
    for (const auto& g : pending_groups_) group_members_[gfill[tasks_[g.task].group]++] = g.task;
    group_arrived_.assign(total, 0);
    pending_groups_.clear();
    pending_groups_.shrink_to_fit();
  }
}

void StepSim::try_start(std::uint32_t stream) {
  if (stream_busy_[stream]) return;
  const std::uint32_t pos = stream_head_[stream];
  if (pos == stream_begin_[stream + 1]) return;
  const std::uint32_t id = stream_tasks_[pos];
  Task& t = tasks_[id];
  if (t.pending > 0) return;
  stream_busy_[stream] = 1;
  const sim::Handler h = sim::Handler::member<&StepSim::on_event>(*this);
  if (t.group != kNone) {
    const std::uint32_t g = t.group;
    const std::uint32_t members = group_begin_[g + 1] - group_begin_[g];
    if (++group_arrived_[g] < members) return;  // waits, holding its stream, for the group
    std::int64_t dur = 0;
    for (std::uint32_t i = group_begin_[g]; i < group_begin_[g + 1]; ++i) {
      Task& mt = tasks_[group_members_[i]];
      mt.start = engine_.now().ns();
      dur = std::max(dur, mt.dur);
    }
    engine_.schedule_in(sim::SimTime::from_ns(dur), h, kGroupFlag | g);
    return;
  }
  t.start = engine_.now().ns();
  engine_.schedule_in(sim::SimTime::from_ns(t.dur), h, id);
}

void StepSim::complete(std::uint32_t id) {
  const Task& t = tasks_[id];
  const std::uint32_t stream = t.stream;
  stream_busy_[stream] = 0;
  ++stream_head_[stream];
  if (o_.trace) {
    const int rank = static_cast<int>(stream / kStreams);
    const int g = global_rank(rank);
    o_.trace->span(kKindNames[static_cast<int>(t.kind)], stream % kStreams == kCompute ? "compute" : "comm",
                   g / std::max(1, c_.gpus_per_node), g * 8 + static_cast<int>(stream % kStreams),
                   sim::SimTime::from_ns(t.start), engine_.now() - sim::SimTime::from_ns(t.start));
  }
  const std::uint32_t end = id + 1 < tasks_.size() ? tasks_[id + 1].succ_begin : succ_end_;
  for (std::uint32_t i = t.succ_begin; i < end; ++i) {
    Task& s = tasks_[succ_[i]];
    if (--s.pending == 0) try_start(s.stream);
  }
  try_start(stream);
}

void StepSim::on_event(const sim::Event& e) {
  if (e.payload & kGroupFlag) {
    const auto g = static_cast<std::uint32_t>(e.payload & ~kGroupFlag);
    for (std::uint32_t i = group_begin_[g]; i < group_begin_[g + 1]; ++i) complete(group_members_[i]);
    return;
  }
  complete(static_cast<std::uint32_t>(e.payload));
}

TimeBreakdown StepSim::attribute(int rank, std::int64_t step_end) const {
  TimeBreakdown b;
  const std::uint32_t stream = static_cast<std::uint32_t>(rank * kStreams + kCompute);
  std::int64_t prev_end = 0;
  auto sec = [](std::int64_t ns) { return static_cast<double>(ns) * 1e-9; };
  for (std::uint32_t i = stream_begin_[stream]; i < stream_begin_[stream + 1]; ++i) {
    const Task& t = tasks_[stream_tasks_[i]];
    const std::int64_t gap = std::max<std::int64_t>(0, t.start - prev_end);
    const std::int64_t end = t.start + t.dur;
    switch (t.kind) {
      case TaskKind::tp: b.tp_comm += sec(gap + t.dur); break;
      case TaskKind::cp: b.cp_comm += sec(gap + t.dur); break;
      case TaskKind::ep: b.ep_comm += sec(gap + t.dur); break;
      case TaskKind::optimizer:
        b.dp_comm += sec(gap);
        b.optimizer += sec(t.dur);
        break;
      default: {
        b.compute += sec(t.dur);
        if (gap > 0 && t.wait_dep != kNone) {
          const Task& d = tasks_[t.wait_dep];
          const std::int64_t lo = std::max(prev_end, d.start), hi = std::min(t.start, d.start + d.dur);
          const std::int64_t comm = std::max<std::int64_t>(0, hi - lo);
          if (d.kind == TaskKind::p2p) {
            b.pp_comm += sec(comm);
            b.bubble += sec(gap - comm);
          } else {
            b.dp_comm += sec(gap);
          }
        } else {
          b.bubble += sec(gap);
        }
      }
    }
    prev_end = end;
  }
  // After the optimizer: weight gathers still running (DP), or the TP side stream.
  std::int64_t tp_end = 0;
  const std::uint32_t side = static_cast<std::uint32_t>(rank * kStreams + kTpSide);
  for (std::uint32_t i = stream_begin_[side]; i < stream_begin_[side + 1]; ++i) {
    const Task& t = tasks_[stream_tasks_[i]];
    tp_end = std::max(tp_end, t.start + t.dur);
  }
  const std::int64_t tail = std::max<std::int64_t>(0, step_end - prev_end);
  const std::int64_t tp_tail = std::clamp<std::int64_t>(tp_end - prev_end, 0, tail);
  b.tp_comm += sec(tp_tail);
  b.dp_comm += sec(tail - tp_tail);
  return b;
}

TrainingSimResult StepSim::run() {
  const int ranks = simulated_ranks();
  const std::size_t per_rank = static_cast<std::size_t>(c_.micro_batches) * l_.virtual_stages;
  fwd_out_.assign(per_rank * ranks, kNone);
  bwd_out_.assign(per_rank * ranks, kNone);
  fwd_in_.assign(per_rank * ranks, kNone);
  bwd_in_.assign(per_rank * ranks, kNone);
  seq_.assign(static_cast<std::size_t>(ranks) * kGroupKinds, 0);
  last_compute_.assign(ranks, kNone);
  tasks_.reserve(per_rank * ranks * 4 + 64);
  edges_.reserve(per_rank * ranks * 5);
  for (int r = 0; r < ranks; ++r) build_rank(r);
  for (int r = 0; r < ranks; ++r) link_pipeline(r);
  finalize();
  fwd_out_ = {};
  bwd_out_ = {};
  fwd_in_ = {};
  bwd_in_ = {};
  // Compute scenes of the trace: process = node, thread = rank x 8 + stream.
  if (o_.trace) {
    for (int r = 0; r < ranks; ++r) {
      const int g = global_rank(r);
      const int node = g / std::max(1, c_.gpus_per_node);
      if (g % std::max(1, c_.gpus_per_node) == 0 || !o_.all_ranks) {
        o_.trace->process_name(node, "node " + std::to_string(node));
      }
      for (int st = 0; st < kStreams; ++st) {
        o_.trace->thread_name(node, g * 8 + st, "rank " + std::to_string(g) + " " + std::string(kStreamNames[st]));
      }
    }
  }
  for (std::uint32_t st = 0; st < stream_busy_.size(); ++st) try_start(st);
  engine_.run();

  TrainingSimResult res;
  std::int64_t step_end = 0;
  for (const Task& t : tasks_) {
    CS_ASSERT(t.start >= 0, "training simulation: a task never ran (dependency cycle)");
    step_end = std::max(step_end, t.start + t.dur);
  }
  res.step_s = static_cast<double>(step_end) * 1e-9;
  for (int r = 0; r < ranks; ++r) {
    const TimeBreakdown b = attribute(r, step_end);
    res.breakdown.compute += b.compute / ranks;
    res.breakdown.tp_comm += b.tp_comm / ranks;
    res.breakdown.cp_comm += b.cp_comm / ranks;
    res.breakdown.ep_comm += b.ep_comm / ranks;
    res.breakdown.pp_comm += b.pp_comm / ranks;
    res.breakdown.dp_comm += b.dp_comm / ranks;
    res.breakdown.bubble += b.bubble / ranks;
    res.breakdown.optimizer += b.optimizer / ranks;
  }
  double rec = 0;
  for (int r = 0; r < ranks; ++r) {
    for (const ChunkCosts& ch : c_.stages[stage_of(r)].chunks) rec += ch.recompute * c_.micro_batches;
  }
  res.breakdown.recompute = rec / ranks;
  res.representative = !o_.all_ranks;
  res.ranks_simulated = ranks;
  res.ranks_total = l_.gpus();
  res.tasks = tasks_.size();
  res.events = engine_.events_executed();
  return res;
}

}  // namespace

TrainingSimResult simulate_training_step(const TrainingSpec& spec, const StepCosts& costs,
                                         const TrainingSimOptions& options) {
  StepSim sim(spec, costs, options);
  return sim.run();
}

}  // namespace cs::models
