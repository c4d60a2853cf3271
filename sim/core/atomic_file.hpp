#pragma once
// Atomic output files: content goes to a temporary file beside the target, which is
// renamed over the target only when complete. An interrupted or failed run never leaves a
// half-written result, and a reader never sees a partial file.
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace cs::sim {

class AtomicFile {
 public:
  // Opens "<path>.tmp.<pid>.<n>" in the target's directory. Throws InputError when the
  // directory does not exist or is not writable.
  explicit AtomicFile(std::filesystem::path path);
  ~AtomicFile();  // removes the temporary file unless commit() succeeded
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  // Flushes, closes and renames into place. Throws std::runtime_error on a write error.
  void commit();

 private:
  std::filesystem::path path_;
  std::filesystem::path temp_;
  std::ofstream out_;
  bool committed_ = false;
};

void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace cs::sim
