#pragma once
// Request traces in the Azure LLM inference trace format (CSV):
//   TIMESTAMP,ContextTokens,GeneratedTokens
//   2023-11-16 18:15:46.6805900,374,44
// The timestamp is "YYYY-MM-DD HH:MM:SS[.fraction]" (or plain seconds); arrivals are
// returned in seconds from the first row. A malformed line is an InputError naming the
// file and the line number.
#include <filesystem>
#include <string>
#include <string_view>

#include "models/serving/serving_spec.hpp"

namespace cs::load {

// Parses CSV text (`name` is used in messages). Rows must be in arrival order.
models::serving::TraceSource parse_azure_trace(std::string_view text, const std::string& name);
models::serving::TraceSource load_azure_trace(const std::filesystem::path& path);

}  // namespace cs::load
