#include "gui/compare.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace cs::gui {

bool CompareRow::differs() const {
  for (const auto& c : cells) {
    if (c.verdict == Verdict::better || c.verdict == Verdict::worse) return true;
    if (c.delta && *c.delta != 0.0 && c.verdict != Verdict::same) return true;
  }
  return false;
}

std::vector<CompareRow> compare_metrics(const std::vector<CompareColumn>& columns, double same_pct) {
  std::vector<CompareRow> rows;
  std::map<std::string, std::size_t> index;
  for (const auto& col : columns) {
    for (const auto& m : col.metrics) {
      if (index.count(m.key)) continue;
      index[m.key] = rows.size();
      CompareRow r;
      r.key = m.key;
      r.label = m.label;
      r.unit = m.unit;
      r.better = m.better;
      r.cells.resize(columns.size());
      rows.push_back(std::move(r));
    }
  }
  for (std::size_t c = 0; c < columns.size(); ++c) {
    for (const auto& m : columns[c].metrics) rows[index[m.key]].cells[c].value = m.value;
  }
  for (auto& row : rows) {
    const auto& base = row.cells.empty() ? std::optional<double>{} : row.cells[0].value;
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
      CompareCell& cell = row.cells[c];
      if (!cell.value) {
        cell.verdict = Verdict::missing;
        continue;
      }
      if (c == 0) {
        cell.verdict = Verdict::baseline;
        continue;
      }
      if (!base) {
        cell.verdict = Verdict::missing;
        continue;
      }
      cell.delta = *cell.value - *base;
      if (*base != 0.0) cell.delta_pct = 100.0 * *cell.delta / std::fabs(*base);
      const bool tiny = *cell.delta == 0.0 || (cell.delta_pct && std::fabs(*cell.delta_pct) < same_pct);
      if (tiny) {
        cell.verdict = Verdict::same;
      } else if (row.better == Better::lower) {
        cell.verdict = *cell.delta < 0 ? Verdict::better : Verdict::worse;
      } else if (row.better == Better::higher) {
        cell.verdict = *cell.delta > 0 ? Verdict::better : Verdict::worse;
      } else {
        cell.verdict = Verdict::missing;  // changed, but no direction to judge it by
      }
    }
  }
  return rows;
}

SharedBars shared_cost_bars(const std::vector<CompareColumn>& columns) {
  SharedBars s;
  for (const auto& col : columns) {
    const BarSet* found = nullptr;
    for (const auto& b : col.breakdowns) {
      if (b.is_cost()) {
        found = &b;
        break;
      }
    }
    s.bars.push_back(found);
    if (found) s.max_total = std::max(s.max_total, found->total());
  }
  return s;
}

CompareColumn column_from_result(const std::string& title, const ResultModel& r) {
  CompareColumn c;
  c.title = title.empty() ? r.name : title;
  c.metrics = r.headline;
  for (const auto& p : r.percentiles) {
    for (const auto& v : p.values) {
      c.metrics.push_back({p.key + "/" + v.label, p.title + " " + v.label, v.value, p.unit, better_for_key(p.key)});
    }
  }
  c.breakdowns = r.breakdowns;
  c.binding = r.binding_constraints;
  return c;
}

CompareColumn column_from_candidate(const Candidate& cand) {
  CompareColumn c;
  c.title = cand.label;
  c.metrics = cand.metrics;
  c.breakdowns = cand.breakdowns;
  if (!cand.binding.empty()) c.binding.push_back(cand.binding);
  return c;
}

}  // namespace cs::gui
