#pragma once
// Small text helpers shared by the loaders and the catalog's error messages.
#include <string>
#include <string_view>
#include <vector>

namespace cs {

// Levenshtein distance.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate nearest to `word`, or "" when none is plausibly a typo of it.
std::string nearest_match(std::string_view word, const std::vector<std::string>& candidates);
// "a, b, c"
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace cs
