#pragma once
// Sweep output as CSV: one row per candidate, in candidate-index order, numbers in a fixed
// format ("%.6g"; "inf"; empty = not applicable), so the bytes depend only on the results.
//
// A shard's file starts with one line
//   # clustersim-sweep plan=<name> candidates=<N> shard=<i>/<count>
// and then the same header and rows an unsharded run writes for those candidates.
// merge_shards() checks that the shards belong together (same plan, count and header),
// that each shard appears once and that every candidate is present exactly once, and
// returns exactly the unsharded file.
#include <string>
#include <vector>

#include "planner/planner.hpp"

namespace cs::planner {

std::string csv_header(const Planner& planner);
std::string csv_row(const Planner& planner, const CandidateResult& r);
// Rows of `results` (sorted by index first); with a shard other than 0/1 the marker line leads.
std::string sweep_csv(const Planner& planner, std::vector<CandidateResult> results, const Shard& shard);

struct ShardFile {
  std::string name;  // for messages
  std::string text;
};
// Throws InputError naming the file and what is wrong.
std::string merge_shards(const std::vector<ShardFile>& shards);

// A fixed, locale-independent number rendering used by CSV and the tables.
std::string format_number(double v);

}  // namespace cs::planner
