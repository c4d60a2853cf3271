#pragma once
// One sweep across processes with MPI. When clustersim runs under mpirun (Open MPI, MPICH,
// or any launcher that sets the usual rank variables) and was built with MPI, each rank
// evaluates shard rank/size and rank 0 gathers every result, so the output equals a single
// process's. Without MPI in the build, mpi_launched() is still detected and mpi_begin()
// refuses with a clear message rather than having every rank write the whole sweep.
#include <vector>

#include "planner/planner.hpp"

namespace cs::planner {

struct MpiSession {
  bool active = false;
  int rank = 0;
  int size = 1;
};

bool mpi_compiled_in();
// True when the environment says this process is one rank of several.
bool mpi_launched();
// Initialises MPI when launched with more than one rank; otherwise returns an inactive session.
MpiSession mpi_begin();
void mpi_end(const MpiSession& s);
// Rank 0 receives all ranks' results (in rank order); other ranks receive an empty vector.
std::vector<CandidateResult> mpi_gather(const MpiSession& s, const std::vector<CandidateResult>& local);
// Rank 0's value, on every rank.
int mpi_broadcast(const MpiSession& s, int value);

}  // namespace cs::planner
