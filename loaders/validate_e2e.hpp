#pragma once
// `clustersim validate FILE --kind e2e`: whole PyTorch steps measured on a real GPU
// (calibration/pytorch/e2e_steps.py; records of kind "e2e_step") against clustersim's
// prediction of the same steps on the catalog accelerator, with its measured profile
// applied when one ships (docs/calibration.md, "End-to-end check").
#include <vector>

#include "loaders/validation.hpp"

namespace cs::load {

std::vector<ValidationRow> validate_e2e(const std::vector<Node>& records, const ValidationContext& ctx);

}  // namespace cs::load
