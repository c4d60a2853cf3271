#pragma once
// In-process runner for the clustersim CLI, plus temp-file helpers for e2e tests.
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "cli/commands.hpp"

namespace cs::test {

struct CliResult {
  int code = -1;
  std::string out;
  std::string err;
};

inline CliResult run_cli(std::initializer_list<std::string> args) {
  std::vector<std::string> store{"clustersim"};
  store.insert(store.end(), args.begin(), args.end());
  std::vector<const char*> argv;
  for (const auto& s : store) argv.push_back(s.c_str());
  std::ostringstream out, err;
  CliResult r;
  r.code = cs::cli::run(static_cast<int>(argv.size()), argv.data(), out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// A fresh, empty directory under the system temp folder, removed on destruction.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("clustersim-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string write(const std::string& name, const std::string& content) const {
    const auto p = path_ / name;
    std::ofstream(p) << content;
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

inline std::string source_path(const std::string& relative) {
  return std::string(CLUSTERSIM_SOURCE_DIR) + "/" + relative;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace cs::test
