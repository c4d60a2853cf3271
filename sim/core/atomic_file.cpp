#include "sim/core/atomic_file.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "sim/core/error.hpp"

namespace cs::sim {
namespace {
std::atomic<unsigned> g_temp_counter{0};  // distinct temp names for concurrent writers
}

AtomicFile::AtomicFile(std::filesystem::path path) : path_(std::move(path)) {
  const auto dir = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw InputError(path_.string(), "", "cannot write: directory '" + dir.string() + "' does not exist");
  }
  temp_ = path_;
  temp_ += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(g_temp_counter++);
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!out_) {
    throw InputError(path_.string(), "", std::string("cannot write: ") + std::strerror(errno));
  }
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    out_.close();
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
}

void AtomicFile::commit() {
  out_.flush();
  const bool ok = static_cast<bool>(out_);
  out_.close();
  if (!ok || out_.fail()) {
    throw std::runtime_error("error writing " + path_.string());
  }
  std::error_code ec;
  std::filesystem::rename(temp_, path_, ec);
  if (ec) throw std::runtime_error("cannot rename into " + path_.string() + ": " + ec.message());
  committed_ = true;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  AtomicFile file(path);
  file.stream().write(content.data(), static_cast<std::streamsize>(content.size()));
  file.commit();
}

}  // namespace cs::sim
