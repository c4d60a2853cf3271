#include "cli/simulate_inference.hpp"

#include <ostream>

#include "loaders/inference_report.hpp"
#include "models/serving/fabric_comm.hpp"
#include "models/serving/serving_sim.hpp"
#include "sim/core/atomic_file.hpp"
#include "sim/core/trace.hpp"

namespace cs::cli {

int run_inference_simulation(const CommandContext& c, const load::Scenario& s, const InferenceOutputs& o) {
  namespace sv = models::serving;
  sv::ServingSpec spec = *s.inference;
  sim::TraceRecorder recorder;
  sv::ServingOptions options;
  options.keep_requests = !o.requests.empty();
  options.trace = o.trace.empty() ? nullptr : &recorder;
  // With a cluster section, communication comes from its fabric model; without one, from
  // the accelerator's scale-up link (alpha-beta).
  sv::ServingComm comm{sv::scale_up_comm(spec.accelerator), sv::scale_up_comm(spec.accelerator)};
  if (s.cluster) {
    comm = sv::fabric_comm(spec, *s.cluster);
    if (spec.disaggregation.enabled && spec.disaggregation.transfer_bandwidth <= 0) {
      spec.disaggregation.transfer_bandwidth = sv::fabric_kv_bandwidth(spec, *s.cluster);
    }
  }
  sv::ServingSim simulation(spec, std::move(comm), options);
  const sv::ServingResult r = simulation.run();

  if (!o.quiet) load::print_serving_summary(r, spec, c.out);
  if (!o.out.empty()) {
    nlohmann::json j = load::serving_result_json(r, spec);
    j["scenario"] = s.header.name;
    j["seed"] = s.header.seed;
    sim::write_file_atomically(o.out, j.dump(2) + "\n");
  }
  if (!o.requests.empty()) {
    sim::AtomicFile f(o.requests);
    load::write_requests_csv(r, f.stream());
    f.commit();
  }
  if (!o.trace.empty()) {
    sim::AtomicFile f(o.trace);
    recorder.write_json(f.stream());
    f.commit();
  }
  return kExitOk;
}

}  // namespace cs::cli
