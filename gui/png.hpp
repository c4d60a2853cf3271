#pragma once
// PNG output for screenshots and exports (stb_image_write from Debian's libstb), written
// atomically like every other output file.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace cs::gui {

struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgba;  // row-major, top row first, 4 bytes per pixel
};

// Throws cs::InputError when the folder is not writable, std::runtime_error when encoding fails.
void write_png(const std::filesystem::path& path, const Image& image);
// Flips rows in place (OpenGL reads bottom row first).
void flip_rows(Image& image);

}  // namespace cs::gui
