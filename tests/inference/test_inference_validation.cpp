#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>

#include "loaders/data_paths.hpp"
#include "loaders/json_reader.hpp"
#include "loaders/profile_loader.hpp"
#include "loaders/validate_inference.hpp"

using namespace cs::load;

// MLPerf Inference v4.1 Llama-2-70B, validated against the serving simulation (reduced
// form under CLUSTERSIM_REDUCED=1: an eighth of the offline query, 4 minutes of server
// traffic). The mapping is documented in docs/inference.md.
TEST_CASE("validation: MLPerf Inference v4.1 Llama-2-70B") {
  const DataPaths data{CLUSTERSIM_SOURCE_DIR};
  const Document doc = read_json_file(data.validation() / "published.json");
  ObjectReader top(Node::root(doc));
  const Node records = top.required("records");
  std::vector<Node> all;
  for (std::size_t i = 0; i < records.size(); ++i) all.push_back(records.at(i));
  top.skip("title");
  top.skip("schema");
  top.skip("conventions");
  top.finish();

  const auto catalog = load_catalog(data.profiles());
  ValidationContext ctx;
  ctx.catalog = &catalog;
  ctx.data_root = data.root.string();
  ctx.reduced = std::getenv("CLUSTERSIM_REDUCED") != nullptr;
  const auto rows = validate_inference(all, ctx);

  int offline = 0, server = 0;
  for (const auto& r : rows) {
    std::ostringstream line;
    line << r.id << " " << r.metric << " predicted=" << r.predicted << " measured=" << r.measured
         << " error=" << r.error_pct() << "% " << r.reason;
    MESSAGE(line.str());
    if (r.skipped) continue;
    CHECK(std::isfinite(r.predicted));
    CHECK(r.predicted > 0);
    if (r.metric == "output_tokens_per_s") {
      ++offline;
      CAPTURE(r.id);
      CHECK(std::fabs(r.error_pct()) <= 10.0);  // target: offline throughput within 10%
    } else {
      ++server;
    }
  }
  CHECK(offline >= 1);  // the DGX H100 offline record at least
  CHECK(server >= 2);   // its server p99 TTFT and TPOT rows are computed and reported
}
