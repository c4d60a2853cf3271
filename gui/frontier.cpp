#include "gui/frontier.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cs::gui {

std::vector<ScreenPoint> project_points(const std::vector<Candidate>& cands, const std::string& x_key,
                                        const std::string& y_key, const Scale& xs, const Scale& ys,
                                        const PlotRect& rect) {
  std::vector<ScreenPoint> out;
  for (std::size_t i = 0; i < cands.size(); ++i) {
    const Metric* mx = cands[i].metric(x_key);
    const Metric* my = cands[i].metric(y_key);
    if (!mx || !my) continue;
    if ((xs.log() && !(mx->value > 0)) || (ys.log() && !(my->value > 0))) continue;
    const double ux = xs.to_unit(mx->value);
    const double uy = ys.to_unit(my->value);
    out.push_back({i, static_cast<float>(rect.x0 + ux * (rect.x1 - rect.x0)),
                   static_cast<float>(rect.y1 - uy * (rect.y1 - rect.y0))});
  }
  return out;
}

std::optional<std::size_t> hit_test(const std::vector<ScreenPoint>& points, float mx, float my, float radius) {
  std::optional<std::size_t> best;
  float best_d2 = radius * radius;
  for (const auto& p : points) {
    const float dx = p.x - mx, dy = p.y - my;
    const float d2 = dx * dx + dy * dy;
    if (d2 <= best_d2) {
      best_d2 = d2;
      best = p.index;
    }
  }
  return best;
}

std::vector<std::size_t> pareto_minimise(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<std::size_t> order(std::min(x.size(), y.size()));
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return x[a] != x[b] ? x[a] < x[b] : y[a] < y[b];
  });
  std::vector<std::size_t> front;
  double best_y = std::numeric_limits<double>::infinity();
  for (std::size_t i : order) {
    if (y[i] < best_y) {
      front.push_back(i);
      best_y = y[i];
    }
  }
  return front;
}

std::optional<std::pair<double, double>> metric_range(const std::vector<Candidate>& cands, const std::string& key,
                                                      bool positive_only) {
  std::optional<std::pair<double, double>> r;
  for (const auto& c : cands) {
    const Metric* m = c.metric(key);
    if (!m || (positive_only && !(m->value > 0))) continue;
    if (!r) r = std::make_pair(m->value, m->value);
    r->first = std::min(r->first, m->value);
    r->second = std::max(r->second, m->value);
  }
  return r;
}

std::vector<std::size_t> sort_candidates(const std::vector<Candidate>& cands, const std::string& key, bool ascending) {
  std::vector<std::size_t> order(cands.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (key == "label") {
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return ascending ? cands[a].label < cands[b].label : cands[b].label < cands[a].label;
    });
    return order;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Metric* ma = cands[a].metric(key);
    const Metric* mb = cands[b].metric(key);
    if (!ma || !mb) return ma != nullptr && mb == nullptr;  // missing last
    return ascending ? ma->value < mb->value : ma->value > mb->value;
  });
  return order;
}

}  // namespace cs::gui
