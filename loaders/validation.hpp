#pragma once
// Validation against published measurements (tests/validation/published.json).
//
// `clustersim validate FILE --kind KIND` reads the records, hands those of a kind to that
// kind's validator, and prints one row per case, then
//   validated n=N median_abs_error_pct=X max_abs_error_pct=Y skipped=K
// A record a validator cannot use is a skipped row with its reason, never dropped.
#include <functional>
#include <string>
#include <vector>

#include "loaders/json_reader.hpp"
#include "sim/hw/catalog.hpp"

namespace cs::load {

struct ValidationRow {
  std::string id;        // record id, plus "#case" when one record yields several cases
  std::string metric;    // what is compared, with its unit ("busbw_GBps", "tflops_per_gpu")
  double predicted = 0;
  double measured = 0;
  bool skipped = false;
  std::string reason;    // why skipped; or a short note on the mapping
  double error_pct() const { return measured != 0 ? 100.0 * (predicted - measured) / measured : 0.0; }
};

struct ValidationSummary {
  int n = 0;
  int skipped = 0;
  double median_abs_error_pct = 0;
  double max_abs_error_pct = 0;
};

struct ValidationContext {
  const hw::HardwareCatalog* catalog = nullptr;
  std::string data_root;  // for scenarios/catalogs a validator may need
  bool reduced = false;   // CI's reduced form: validators may sample fewer cases
};

// A validator receives the records of its kind (each a Node into the document).
using Validator = std::function<std::vector<ValidationRow>(const std::vector<Node>& records,
                                                           const ValidationContext& ctx)>;

ValidationSummary summarize(const std::vector<ValidationRow>& rows);

}  // namespace cs::load
