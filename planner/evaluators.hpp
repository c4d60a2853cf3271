#pragma once
// The evaluators this build provides, behind the planner's seams (planner.hpp Evaluators):
//   training analytical  adapter over models/training_estimate.hpp (the training model's
//                        fast estimate), when the build has it;
//   training simulated   adapter over models/training_sim.hpp, when the build has it;
//   serving simulated    adapter over models/serving/, when the build has it.
// Each is compiled in only when its header exists, so the planner builds and runs (with the
// tiers it has, and saying which it lacks) whatever order the layers land in.
#include <memory>
#include <string>
#include <vector>

#include "planner/planner.hpp"

namespace cs::planner {

class EvaluatorSet {
 public:
  EvaluatorSet();
  ~EvaluatorSet();
  EvaluatorSet(const EvaluatorSet&) = delete;
  EvaluatorSet& operator=(const EvaluatorSet&) = delete;
  Evaluators get() const;
  // "training analytical: models::TrainingEstimator; ..." for reports.
  std::vector<std::string> describe() const;

 private:
  std::unique_ptr<TrainingEstimator> training_;
  std::unique_ptr<TrainingEstimator> training_sim_;
  std::unique_ptr<ServingSimulator> serving_sim_;
};

}  // namespace cs::planner
