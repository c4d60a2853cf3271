#include "planner/sweep_csv.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <sstream>

#include "sim/core/error.hpp"

namespace cs::planner {

namespace {

constexpr std::string_view kMarker = "# clustersim-sweep ";

std::string quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c == '\n' ? ' ' : c;
  }
  return q + "\"";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

}  // namespace

std::string format_number(double v) {
  if (std::isnan(v)) return "";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";
  return fmt::format("{:.6g}", v);
}

std::string csv_header(const Planner&) {
  std::string h = "index,node,accelerator,nodes,fabric,serve_tp,serve_max_batch,prefill_fraction,training_layout,"
                  "valid,feasible,binding,binding_ratio";
  for (int i = 0; i < kMetricCount; ++i) h += fmt::format(",{}", metric_name(static_cast<Metric>(i)));
  return h + ",note\n";
}

std::string csv_row(const Planner& p, const CandidateResult& r) {
  const Candidate c = p.candidate(r.index);
  const PlanSpec& s = p.spec();
  const HardwareOption& h = s.hardware.at(c.hardware);
  std::string row = fmt::format("{},{},{},{},{}", r.index, quote(h.node.name), quote(h.accelerator.name),
                                s.nodes.at(c.nodes), quote(s.fabrics.at(c.fabric).label));
  if (s.serving) {
    const ServingSetting& st = s.serving->settings.at(c.serving);
    row += fmt::format(",{},{},{}", st.tp, st.max_batch, format_number(st.prefill_fraction));
  } else {
    row += ",,,";
  }
  row += ',';
  row += quote(r.training_layout);
  row += fmt::format(",{},{},{},{}", r.valid ? 1 : 0, r.feasible ? 1 : 0,
                     r.binding >= 0 ? quote(s.constraints.at(static_cast<std::size_t>(r.binding)).text) : "",
                     r.binding >= 0 ? format_number(r.binding_ratio) : "");
  for (double v : r.metrics) {
    row += ',';
    row += format_number(v);
  }
  row += ',';
  row += quote(r.invalid_reason);
  row += '\n';
  return row;
}

std::string sweep_csv(const Planner& p, std::vector<CandidateResult> results, const Shard& shard) {
  std::sort(results.begin(), results.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  std::string out;
  if (shard.count > 1) {
    out += fmt::format("{}plan={} candidates={} shard={}/{}\n", kMarker, p.spec().name, p.candidate_count(),
                       shard.index, shard.count);
  }
  out += csv_header(p);
  for (const auto& r : results) out += csv_row(p, r);
  return out;
}

std::string merge_shards(const std::vector<ShardFile>& shards) {
  if (shards.empty()) throw InputError("merge: no shard files given");
  std::string plan, header;
  long long candidates = -1;
  int count = -1;
  std::map<int, std::string> seen_shard;
  std::map<long long, std::string> rows;
  for (const ShardFile& f : shards) {
    const std::vector<std::string> lines = lines_of(f.text);
    if (lines.empty() || lines[0].rfind(kMarker, 0) != 0) {
      throw InputError(f.name + ": not a sweep shard (the first line must start with \"" + std::string(kMarker) +
                       "\"; write shards with clustersim sweep --shard i/N)");
    }
    const std::string meta = lines[0].substr(kMarker.size());
    const auto cpos = meta.rfind(" candidates=");
    const auto spos = meta.rfind(" shard=");
    if (meta.rfind("plan=", 0) != 0 || cpos == std::string::npos || spos == std::string::npos || spos < cpos) {
      throw InputError(f.name + ":1: malformed shard marker line");
    }
    const std::string p = meta.substr(5, cpos - 5);
    long long n = 0;
    int si = 0, sn = 0;
    try {
      n = std::stoll(meta.substr(cpos + 12, spos - cpos - 12));
      const std::string sh = meta.substr(spos + 7);
      const Shard s = parse_shard(sh);
      si = s.index;
      sn = s.count;
    } catch (const std::exception&) {
      throw InputError(f.name + ":1: malformed shard marker line");
    }
    if (lines.size() < 2) throw InputError(f.name + ": no CSV header after the marker line");
    if (candidates < 0) {
      plan = p;
      candidates = n;
      count = sn;
      header = lines[1];
    } else {
      if (p != plan) throw InputError(f.name + ": plan \"" + p + "\" differs from \"" + plan + "\" in the other shards");
      if (n != candidates) throw InputError(f.name + ": candidate count differs from the other shards");
      if (sn != count) throw InputError(f.name + fmt::format(": split into {} shards, the others into {}", sn, count));
      if (lines[1] != header) throw InputError(f.name + ": CSV header differs from the other shards");
    }
    if (auto it = seen_shard.find(si); it != seen_shard.end()) {
      throw InputError(f.name + fmt::format(": shard {}/{} also given as {}", si, sn, it->second));
    }
    seen_shard[si] = f.name;
    for (std::size_t i = 2; i < lines.size(); ++i) {
      if (lines[i].empty()) continue;
      long long idx = -1;
      try {
        std::size_t used = 0;
        idx = std::stoll(lines[i], &used);
        if (used >= lines[i].size() || lines[i][used] != ',') idx = -1;
      } catch (const std::exception&) {
        idx = -1;
      }
      if (idx < 0 || idx >= candidates) throw InputError(fmt::format("{}:{}: not a candidate row", f.name, i + 1));
      if (idx % sn != si) {
        throw InputError(fmt::format("{}:{}: candidate {} does not belong to shard {}/{}", f.name, i + 1, idx, si, sn));
      }
      if (!rows.emplace(idx, lines[i]).second) {
        throw InputError(fmt::format("{}:{}: candidate {} appears twice", f.name, i + 1, idx));
      }
    }
  }
  if (static_cast<int>(seen_shard.size()) != count) {
    std::string missing;
    for (int i = 0; i < count; ++i) {
      if (!seen_shard.count(i)) missing += (missing.empty() ? "" : ", ") + fmt::format("{}/{}", i, count);
    }
    throw InputError("merge: missing shard(s) " + missing);
  }
  if (static_cast<long long>(rows.size()) != candidates) {
    throw InputError(fmt::format("merge: {} candidate rows, expected {} (a shard file is truncated?)", rows.size(),
                                 candidates));
  }
  std::string out = header + "\n";
  for (const auto& [i, line] : rows) out += line + "\n";
  return out;
}

}  // namespace cs::planner
