#pragma once
// The scenario's "inference" section (docs/scenario-format.md, "## inference"): a serving
// deployment (model, replica layout, scheduler, router, optional disaggregation), its
// workload (synthetic arrivals or a trace replay) and its SLOs, resolved into a
// models::serving::ServingSpec.
#include <cstdint>

#include "loaders/data_paths.hpp"
#include "loaders/json_reader.hpp"
#include "models/serving/serving_spec.hpp"
#include "sim/hw/catalog.hpp"
#include "sim/hw/cluster.hpp"

namespace cs::load {

class ModelCatalog;

// `cluster` (the scenario's cluster section, when it has one) supplies the accelerator
// unless the section names one; relative trace paths resolve against the scenario's
// folder, then the data root's scenarios/.
models::serving::ServingSpec read_inference_section(const Node& node, const hw::HardwareCatalog& hardware,
                                                    const ModelCatalog& models, const DataPaths& data,
                                                    const hw::ClusterSpec* cluster, std::uint64_t seed);

// A length or value distribution: a number (fixed), or an object
//   {"kind": "fixed", "value": v} | {"kind": "uniform", "min": a, "max": b}
//   {"kind": "lognormal", "mean": m, "cv": c} | {"kind": "lognormal", "mu": m, "sigma": s}
//   {"kind": "gamma", "mean": m, "cv": c} | {"kind": "exponential", "mean": m}
//   {"kind": "empirical", "values": [...], "weights": [...]}
//   {"kind": "empirical", "trace": "file.csv", "column": "prompt" | "output"}
// with optional "min" / "max" clamps (lognormal, gamma, exponential, empirical).
sim::Distribution read_distribution(const Node& node, const DataPaths& data);

}  // namespace cs::load
