#include <doctest/doctest.h>

#include <string>

#include "loaders/trace_loader.hpp"
#include "sim/core/error.hpp"

using cs::load::parse_azure_trace;

namespace {
std::string error_of(const std::string& text) {
  try {
    parse_azure_trace(text, "t.csv");
  } catch (const cs::InputError& e) {
    return e.what();
  }
  return {};
}
}  // namespace

TEST_CASE("azure trace: timestamps become seconds from the first row") {
  const auto t = parse_azure_trace(
      "TIMESTAMP,ContextTokens,GeneratedTokens\n"
      "2023-11-16 18:15:46.6805900,374,44\n"
      "2023-11-16 18:15:50.9951690,396,109\r\n"
      "2023-11-16 18:16:46.6805900,10,0\n",
      "t.csv");
  REQUIRE(t.arrival_s.size() == 3);
  CHECK(t.arrival_s[0] == 0.0);
  CHECK(t.arrival_s[1] == doctest::Approx(4.314579).epsilon(1e-6));
  CHECK(t.arrival_s[2] == doctest::Approx(60.0).epsilon(1e-6));
  CHECK(t.prompt_tokens[1] == 396);
  CHECK(t.output_tokens[1] == 109);
  CHECK(t.output_tokens[2] == 1);  // a zero-token completion still returns its first token
}

TEST_CASE("azure trace: a day boundary and plain-second timestamps") {
  const auto t = parse_azure_trace("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-12-31 23:59:59.5,1,1\n2024-01-01 00:00:00.5,1,1\n", "t.csv");
  CHECK(t.arrival_s[1] == doctest::Approx(1.0));
  const auto u = parse_azure_trace("0.5,10,2\n1.25,20,3\n", "u.csv");
  CHECK(u.arrival_s[1] == doctest::Approx(0.75));
}

TEST_CASE("azure trace: a malformed line is reported with its file and line number") {
  const std::string head = "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,374,44\n";
  CHECK(error_of(head + "2023-11-16 18:15:47.00,abc,44\n").find("t.csv:3: bad ContextTokens 'abc'") != std::string::npos);
  CHECK(error_of(head + "\n2023-11-16 18:15:47.00,12\n").find("t.csv:4: expected 3 comma-separated fields") !=
        std::string::npos);
  CHECK(error_of(head + "2023-11-16 18:15:47.00,12,-3\n").find("t.csv:3: bad GeneratedTokens") != std::string::npos);
  CHECK(error_of(head + "2023-13-16 18:15:47.00,12,3\n").find("t.csv:3: bad timestamp") != std::string::npos);
  CHECK(error_of(head + "2023-11-16 18:15:40.00,12,3\n").find("t.csv:3: timestamp earlier") != std::string::npos);
  CHECK(error_of("TIMESTAMP,Context,Generated\n").find("t.csv:1: expected the header") != std::string::npos);
  CHECK(error_of("TIMESTAMP,ContextTokens,GeneratedTokens\n").find("no rows") != std::string::npos);
}

TEST_CASE("azure trace: the shipped traces load") {
  const auto conv = cs::load::load_azure_trace(std::string(CLUSTERSIM_SOURCE_DIR) + "/scenarios/traces/azure_llm_2023_conv.csv");
  CHECK(conv.arrival_s.size() == 19366);
  CHECK(conv.arrival_s.back() > 3000.0);
  CHECK(conv.arrival_s.back() < 3700.0);
  const auto code = cs::load::load_azure_trace(std::string(CLUSTERSIM_SOURCE_DIR) + "/scenarios/traces/azure_llm_2023_code.csv");
  CHECK(code.arrival_s.size() == 8819);
}
