#pragma once
// Resolving a catalog name read from a scenario: the entry, or an InputError at the JSON
// node naming the unknown name, the nearest known one and every name the catalog has.
#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "loaders/json_reader.hpp"
#include "sim/core/text.hpp"

namespace cs::load {

template <class Map>
[[noreturn]] void fail_unknown(const Node& n, std::string_view what, const std::string& name, const Map& map) {
  std::vector<std::string> names;
  for (const auto& [k, v] : map) names.push_back(k);
  const std::string near = nearest_match(name, names);
  n.fail(fmt::format("unknown {} \"{}\"{}; the catalog has: {}", what, name,
                     near.empty() ? "" : "; did you mean \"" + near + "\"?", join(names)));
}

// The entry named by the string at `n`.
template <class Map>
const typename Map::mapped_type& lookup(const Node& n, std::string_view what, const Map& map) {
  const std::string name = n.as_nonempty_string();
  const auto it = map.find(name);
  if (it == map.end()) fail_unknown(n, what, name, map);
  return it->second;
}

}  // namespace cs::load
