#include "gui/png.hpp"

#include <stdexcept>
#include <string>

#include <stb_image_write.h>

#include "sim/core/atomic_file.hpp"

namespace cs::gui {

void write_png(const std::filesystem::path& path, const Image& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.rgba.size() != static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 4) {
    throw std::runtime_error("write_png: image size does not match its pixels");
  }
  std::string bytes;
  auto append = [](void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
  };
  if (!stbi_write_png_to_func(append, &bytes, image.width, image.height, 4, image.rgba.data(), image.width * 4)) {
    throw std::runtime_error("write_png: encoding failed");
  }
  sim::write_file_atomically(path, bytes);
}

void flip_rows(Image& image) {
  const std::size_t stride = static_cast<std::size_t>(image.width) * 4;
  for (int y = 0; y < image.height / 2; ++y) {
    auto* a = image.rgba.data() + static_cast<std::size_t>(y) * stride;
    auto* b = image.rgba.data() + static_cast<std::size_t>(image.height - 1 - y) * stride;
    for (std::size_t i = 0; i < stride; ++i) std::swap(a[i], b[i]);
  }
}

}  // namespace cs::gui
