#pragma once
// Replica: one serving engine (a model on tp x pp GPUs) with a continuous-batching
// scheduler and a paged KV cache.
//
// One event per iteration; the batch state is kept incrementally, so an iteration costs
// O(scheduled prefill chunks + finished or preempted sequences), never O(batch):
//   * every decoding sequence gains one token per decode iteration, so its context is
//     known from the replica's decode step counter; the sum of contexts advances by the
//     number of decoders;
//   * finishing is known at admission: a min-heap keyed by the decode step of the last
//     token (lazy deletion by a per-sequence generation);
//   * a decoder needs a new KV block when its context crosses a block boundary, which
//     happens at a fixed phase of the step counter: a count per phase (block size
//     entries) says how many new blocks each step needs.
// When the blocks run out, the most recently admitted sequences are preempted (their KV
// freed) and requeued at the front for recomputation (prompt + tokens so far).
#include <cstdint>
#include <deque>
#include <queue>
#include <vector>

#include "models/serving/iteration_model.hpp"
#include "sim/core/engine.hpp"
#include "sim/core/stats.hpp"

namespace cs::models::serving {

class ServingSim;

enum class ReplicaRole : std::uint8_t { unified, prefill, decode };
std::string_view to_string(ReplicaRole r);

enum class SeqState : std::uint8_t { pending, waiting, prefilling, decoding, transferring, done };

// Per-request state, owned by ServingSim and indexed by request id.
struct Seq {
  sim::SimTime arrival;
  sim::SimTime scheduled = sim::SimTime::max();
  sim::SimTime first_token = sim::SimTime::max();
  sim::SimTime finish = sim::SimTime::max();
  std::int32_t prompt = 0;
  std::int32_t output = 0;
  std::int32_t generated = 0;       // tokens produced (when not decoding)
  std::int32_t prefill_target = 0;  // tokens the next prefill must put in KV
  std::int32_t prefilled = 0;
  std::int32_t kv_start = 0;        // KV tokens when decoding began
  std::int64_t decode_start = 0;    // replica decode step when decoding began
  std::uint32_t generation = 0;
  std::int32_t replica = -1;        // replica holding it now
  std::int32_t first_replica = -1;
  std::int32_t preemptions = 0;
  SeqState state = SeqState::pending;
};

class Replica {
 public:
  Replica(ServingSim& owner, sim::Engine& engine, int index, ReplicaRole role, IterationModel& model,
          const SchedulerSpec& scheduler);
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;

  // A request to prefill (or, on a decode replica, one whose KV has arrived: prefilled ==
  // prefill_target), queued FCFS.
  void enqueue(std::uint32_t id);
  void on_iteration_done(const sim::Event& e);

  int index() const { return index_; }
  ReplicaRole role() const { return role_; }
  std::int64_t outstanding() const { return static_cast<std::int64_t>(waiting_.size() + prefilling_.size()) + decoders_; }
  double kv_used_fraction() const { return static_cast<double>(blocks_used_) / static_cast<double>(blocks_total_); }
  std::int64_t waiting() const { return static_cast<std::int64_t>(waiting_.size()); }
  std::int64_t running() const { return static_cast<std::int64_t>(prefilling_.size()) + decoders_; }
  const IterationModel& model() const { return *model_; }

  // Statistics, read at the end.
  std::uint64_t iterations() const { return iterations_; }
  std::uint64_t preemptions() const { return preemptions_; }
  std::uint64_t requests_started() const { return started_; }
  double busy_seconds() const { return busy_s_; }
  double flops() const { return flops_; }
  const sim::TimeWeighted& kv_series() const { return kv_tw_; }
  const sim::TimeWeighted& queue_series() const { return queue_tw_; }
  const sim::TimeWeighted& running_series() const { return running_tw_; }
  std::int64_t kv_blocks() const { return blocks_total_; }

 private:
  struct FinishEntry {
    std::int64_t step;
    std::uint32_t id;
    std::uint32_t generation;
    bool operator>(const FinishEntry& o) const { return step != o.step ? step > o.step : id > o.id; }
  };
  struct Scheduled {
    std::uint32_t id;
    std::int32_t tokens;
  };

  void start_iteration();
  bool has_work() const { return !waiting_.empty() || !prefilling_.empty() || decoders_ > 0; }
  std::int64_t blocks_for(std::int64_t tokens) const { return (tokens + block_ - 1) / block_; }
  std::int64_t free_blocks() const { return blocks_total_ - blocks_used_; }
  bool preempt_one(std::int64_t step, std::int64_t& need);
  void start_decoding(std::uint32_t id);
  void stop_decoding(Seq& s, std::int64_t kv_tokens);
  void requeue_for_recompute(std::uint32_t id);
  bool admit_prefill(std::int32_t& budget, bool whole_prompt_only);
  void update_series(sim::SimTime now);

  ServingSim* owner_;
  sim::Engine* engine_;
  int index_;
  ReplicaRole role_;
  IterationModel* model_;
  SchedulerSpec sched_;
  std::int64_t block_;
  std::int64_t blocks_total_;
  std::int64_t blocks_used_ = 0;
  std::int64_t watermark_blocks_;

  std::deque<std::uint32_t> waiting_;
  std::vector<std::uint32_t> prefilling_;     // admitted, prefill not finished, admission order
  std::vector<std::pair<std::uint32_t, std::uint32_t>> decode_order_;  // (id, generation), lazy
  std::priority_queue<FinishEntry, std::vector<FinishEntry>, std::greater<>> finish_heap_;
  std::vector<std::int64_t> phase_count_;     // decoders per (kv_start - decode_start) mod block
  std::int64_t decoders_ = 0;
  double decode_context_ = 0;                 // sum of decoders' KV tokens before the step
  std::int64_t step_ = 0;                     // decode steps completed

  bool busy_ = false;
  bool iteration_has_decode_ = false;
  std::int32_t iteration_decoders_ = 0;
  std::vector<Scheduled> scheduled_;
  std::vector<PrefillChunk> chunks_;
  sim::SimTime iteration_start_;

  std::uint64_t iterations_ = 0;
  std::uint64_t preemptions_ = 0;
  std::uint64_t started_ = 0;
  double busy_s_ = 0;
  double flops_ = 0;
  sim::TimeWeighted kv_tw_;
  sim::TimeWeighted queue_tw_;
  sim::TimeWeighted running_tw_;
};

}  // namespace cs::models::serving
