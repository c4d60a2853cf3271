#include "loaders/trace_loader.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "sim/core/error.hpp"

namespace cs::load {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool parse_int(std::string_view s, long long& out) {
  s = trim(s);
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool parse_double(std::string_view s, double& out) {
  s = trim(s);
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(out);
}

// Days from 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

// "YYYY-MM-DD HH:MM:SS[.fffffff]" or a plain number of seconds.
bool parse_timestamp(std::string_view s, double& seconds) {
  s = trim(s);
  if (parse_double(s, seconds)) return true;
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' ||
      s[16] != ':') {
    return false;
  }
  long long y, mo, d, h, mi;
  double sec;
  if (!parse_int(s.substr(0, 4), y) || !parse_int(s.substr(5, 2), mo) || !parse_int(s.substr(8, 2), d) ||
      !parse_int(s.substr(11, 2), h) || !parse_int(s.substr(14, 2), mi) || !parse_double(s.substr(17), sec)) {
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec < 0 || sec >= 61) return false;
  seconds = static_cast<double>(days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))) * 86400.0 +
            static_cast<double>(h * 3600 + mi * 60) + sec;
  return true;
}

}  // namespace

models::serving::TraceSource parse_azure_trace(std::string_view text, const std::string& name) {
  models::serving::TraceSource t;
  t.file = name;
  std::size_t pos = 0;
  int line_no = 0;
  bool header_seen = false;
  double origin = 0, previous = 0;
  auto fail = [&](const std::string& what) {
    throw InputError(name + ":" + std::to_string(line_no) + ": " + what);
  };
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line = trim(text.substr(pos, end - pos));
    ++line_no;
    pos = end + 1;
    if (line.empty()) {
      if (end >= text.size()) break;
      continue;
    }
    if (!header_seen) {
      header_seen = true;
      if (line.substr(0, 9) == "TIMESTAMP") {
        if (line != "TIMESTAMP,ContextTokens,GeneratedTokens") {
          fail("expected the header TIMESTAMP,ContextTokens,GeneratedTokens, got '" + std::string(line) + "'");
        }
        continue;
      }
    }
    const std::size_t c1 = line.find(',');
    const std::size_t c2 = c1 == std::string_view::npos ? c1 : line.find(',', c1 + 1);
    if (c2 == std::string_view::npos || line.find(',', c2 + 1) != std::string_view::npos) {
      fail("expected 3 comma-separated fields (TIMESTAMP,ContextTokens,GeneratedTokens), got '" + std::string(line) +
           "'");
    }
    double ts = 0;
    long long ctx = 0, gen = 0;
    if (!parse_timestamp(line.substr(0, c1), ts)) {
      fail("bad timestamp '" + std::string(trim(line.substr(0, c1))) + "' (expected YYYY-MM-DD HH:MM:SS.fff or seconds)");
    }
    if (!parse_int(line.substr(c1 + 1, c2 - c1 - 1), ctx) || ctx < 1 || ctx > 10'000'000) {
      fail("bad ContextTokens '" + std::string(trim(line.substr(c1 + 1, c2 - c1 - 1))) + "' (expected an integer >= 1)");
    }
    if (!parse_int(line.substr(c2 + 1), gen) || gen < 0 || gen > 10'000'000) {
      fail("bad GeneratedTokens '" + std::string(trim(line.substr(c2 + 1))) + "' (expected an integer >= 0)");
    }
    if (t.arrival_s.empty()) origin = ts;
    const double at = ts - origin;
    if (!t.arrival_s.empty() && at < previous) fail("timestamp earlier than the previous row (rows must be in arrival order)");
    previous = at;
    t.arrival_s.push_back(at);
    t.prompt_tokens.push_back(static_cast<std::int32_t>(ctx));
    // A zero-length completion still returns one token (the first).
    t.output_tokens.push_back(static_cast<std::int32_t>(std::max(1LL, gen)));
    if (end >= text.size()) break;
  }
  if (t.arrival_s.empty()) throw InputError(name + ": trace has no rows");
  return t;
}

models::serving::TraceSource load_azure_trace(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open trace file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_azure_trace(ss.str(), path.string());
}

}  // namespace cs::load
