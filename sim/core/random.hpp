#pragma once
// Seeded random streams with the project's own generator and distributions.
//
// std:: distributions are implementation-defined, so the same seed gives different draws
// under libstdc++ and libc++. clustersim uses xoshiro256** (Blackman & Vigna) seeded through
// SplitMix64, and its own sampling algorithms, so a seed gives the same draws on every
// compiler and platform (given IEEE-754 doubles and a faithfully rounded libm).
//
// Each component gets its own stream, derived from the scenario seed and a stable name
// ("inference/source", "replica/17"), so adding a component never shifts another's draws.
#include <array>
#include <cstdint>
#include <string_view>

namespace cs::sim {

class RandomStream {
 public:
  explicit RandomStream(std::uint64_t seed = 1);
  // Independent stream for a named component (and an optional index, e.g. a replica).
  static RandomStream derive(std::uint64_t scenario_seed, std::string_view component,
                             std::uint64_t index = 0);

  std::uint64_t next_u64();
  // Uniform in [0, 1) with 53 random bits.
  double uniform();
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n), unbiased (Lemire's method). n must be > 0.
  std::uint64_t uniform_index(std::uint64_t n);

  double exponential(double mean);
  double normal(double mean, double stddev);
  double lognormal(double mu, double sigma);
  // Marsaglia & Tsang; shape > 0, scale > 0. Mean = shape * scale.
  double gamma(double shape, double scale);

 private:
  std::array<std::uint64_t, 4> s_{};
  double spare_normal_ = 0.0;
  bool has_spare_normal_ = false;
};

// Stable 64-bit hash of a string (FNV-1a), used to derive stream seeds from names.
std::uint64_t stable_hash(std::string_view text);
// SplitMix64 step: a good mixer for turning structured seeds into generator state.
std::uint64_t splitmix64(std::uint64_t& state);

}  // namespace cs::sim
