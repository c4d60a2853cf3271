#include "planner/sweep_mpi.hpp"

#include <cstdlib>
#include <cstring>
#include <string>

#include "sim/core/error.hpp"

#ifdef CLUSTERSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace cs::planner {

namespace {

int env_int(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : 0;
}

#ifdef CLUSTERSIM_HAVE_MPI
// CandidateResult <-> bytes, for the gather. Fixed little helpers; both ends are this binary.
template <class T>
void put(std::string& b, const T& v) {
  b.append(reinterpret_cast<const char*>(&v), sizeof v);
}
void put_string(std::string& b, const std::string& s) {
  put(b, static_cast<std::uint64_t>(s.size()));
  b += s;
}
template <class T>
T take(const char*& p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return v;
}
std::string take_string(const char*& p) {
  const auto n = take<std::uint64_t>(p);
  std::string s(p, n);
  p += n;
  return s;
}

std::string serialise(const std::vector<CandidateResult>& rs) {
  std::string b;
  put(b, static_cast<std::uint64_t>(rs.size()));
  for (const auto& r : rs) {
    put(b, static_cast<std::uint64_t>(r.index));
    put(b, static_cast<std::uint8_t>(r.valid));
    put(b, static_cast<std::uint8_t>(r.feasible));
    put(b, r.binding);
    put(b, r.binding_ratio);
    for (double m : r.metrics) put(b, m);
    put(b, r.serving_replicas);
    put(b, r.serving_batch);
    put(b, r.utilisation);
    put_string(b, r.invalid_reason);
    put_string(b, r.training_layout);
  }
  return b;
}

void deserialise(const char* p, std::vector<CandidateResult>& out) {
  const auto n = take<std::uint64_t>(p);
  for (std::uint64_t i = 0; i < n; ++i) {
    CandidateResult r;
    r.index = static_cast<std::size_t>(take<std::uint64_t>(p));
    r.valid = take<std::uint8_t>(p) != 0;
    r.feasible = take<std::uint8_t>(p) != 0;
    r.binding = take<int>(p);
    r.binding_ratio = take<double>(p);
    for (double& m : r.metrics) m = take<double>(p);
    r.serving_replicas = take<int>(p);
    r.serving_batch = take<int>(p);
    r.utilisation = take<double>(p);
    r.invalid_reason = take_string(p);
    r.training_layout = take_string(p);
    out.push_back(std::move(r));
  }
}
#endif

}  // namespace

bool mpi_compiled_in() {
#ifdef CLUSTERSIM_HAVE_MPI
  return true;
#else
  return false;
#endif
}

bool mpi_launched() {
  return env_int("OMPI_COMM_WORLD_SIZE") > 1 || env_int("PMI_SIZE") > 1 || env_int("PMIX_SIZE") > 1 ||
         env_int("MPI_LOCALNRANKS") > 1;
}

MpiSession mpi_begin() {
  MpiSession s;
  if (!mpi_launched()) return s;
#ifdef CLUSTERSIM_HAVE_MPI
  int inited = 0;
  MPI_Initialized(&inited);
  if (!inited) MPI_Init(nullptr, nullptr);
  MPI_Comm_rank(MPI_COMM_WORLD, &s.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &s.size);
  s.active = s.size > 1;
  return s;
#else
  throw InputError(
      "clustersim runs under an MPI launcher but was built without MPI; rebuild with MPI found "
      "(Debian: libopenmpi-dev) or run shards with --shard i/N");
#endif
}

void mpi_end(const MpiSession& s) {
#ifdef CLUSTERSIM_HAVE_MPI
  if (s.active) MPI_Finalize();
#else
  (void)s;
#endif
}

std::vector<CandidateResult> mpi_gather(const MpiSession& s, const std::vector<CandidateResult>& local) {
  if (!s.active) return local;
#ifdef CLUSTERSIM_HAVE_MPI
  const std::string mine = serialise(local);
  int len = static_cast<int>(mine.size());
  std::vector<int> lens(static_cast<std::size_t>(s.size));
  MPI_Gather(&len, 1, MPI_INT, lens.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> displs(static_cast<std::size_t>(s.size), 0);
  std::string all;
  if (s.rank == 0) {
    int total = 0;
    for (int r = 0; r < s.size; ++r) {
      displs[static_cast<std::size_t>(r)] = total;
      total += lens[static_cast<std::size_t>(r)];
    }
    all.resize(static_cast<std::size_t>(total));
  }
  MPI_Gatherv(mine.data(), len, MPI_CHAR, all.data(), lens.data(), displs.data(), MPI_CHAR, 0, MPI_COMM_WORLD);
  std::vector<CandidateResult> out;
  if (s.rank == 0) {
    for (int r = 0; r < s.size; ++r) deserialise(all.data() + displs[static_cast<std::size_t>(r)], out);
  }
  return out;
#else
  return local;
#endif
}

int mpi_broadcast(const MpiSession& s, int value) {
#ifdef CLUSTERSIM_HAVE_MPI
  if (s.active) MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
#else
  (void)s;
#endif
  return value;
}

}  // namespace cs::planner
