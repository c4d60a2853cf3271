#pragma once
// Serving communication from the cluster's fabric model (sim/hw/network.hpp): TP
// all-reduces and PP sends timed by estimate_collective on the ranks a replica occupies,
// and the KV-transfer bandwidth between the prefill and decode pools.
//
// Placement: replicas fill ranks in order (replica r of a pool with g GPUs takes ranks
// first + r*g .. first + (r+1)*g - 1); the decode pool follows the prefill pool.
#include "models/serving/serving_sim.hpp"
#include "sim/hw/cluster.hpp"

namespace cs::models::serving {

// Throws InputError when the deployment needs more accelerators than the cluster has.
ServingComm fabric_comm(const ServingSpec& spec, const hw::ClusterSpec& cluster);

// The point-to-point bandwidth (bytes/s) of one GPU pair between the first prefill and
// the first decode replica, as the fabric model estimates it for a large message.
double fabric_kv_bandwidth(const ServingSpec& spec, const hw::ClusterSpec& cluster);

}  // namespace cs::models::serving
