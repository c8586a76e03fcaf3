#include "web/svg.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "plan/schedule.h"
#include "web/html.h"

namespace smsup::web {

namespace {

std::string kind_text(const Site& s) {
  if (s.is_central()) return "central site";
  return s.is_primary() ? "primary site" : "secondary site";
}

}  // namespace

std::string svg_tree(const Hierarchy& h, const std::map<std::string, std::string>& states) {
  const size_t n = h.sites.size();
  std::string o;
  if (n == 0 || h.central < 0) return o;
  // Leaves take consecutive slots in depth-first order; a parent sits
  // centred over its children.
  std::vector<double> slot(n, 0);
  std::vector<int> depth(n, 0);
  double next = 0;
  int max_depth = 0;
  struct Frame {
    int site;
    size_t child;
  };
  std::vector<Frame> stack{{h.central, 0}};
  std::vector<bool> seen(n, false);
  seen[static_cast<size_t>(h.central)] = true;
  while (!stack.empty()) {
    auto& f = stack.back();
    const auto& s = h.sites[static_cast<size_t>(f.site)];
    if (f.child < s.children.size()) {
      int c = s.children[f.child++];
      if (seen[static_cast<size_t>(c)]) continue;
      seen[static_cast<size_t>(c)] = true;
      depth[static_cast<size_t>(c)] = depth[static_cast<size_t>(f.site)] + 1;
      max_depth = std::max(max_depth, depth[static_cast<size_t>(c)]);
      stack.push_back({c, 0});
      continue;
    }
    if (s.children.empty()) {
      slot[static_cast<size_t>(f.site)] = next++;
    } else {
      double lo = slot[static_cast<size_t>(s.children.front())];
      double hi = slot[static_cast<size_t>(s.children.back())];
      slot[static_cast<size_t>(f.site)] = (lo + hi) / 2;
    }
    stack.pop_back();
  }
  bool wide = next > 40;  // many leaves: lay the tree out left to right
  const double w = 76, hgt = 28, gap_slot = wide ? 34 : 86, gap_depth = wide ? 130 : 74;
  auto x_of = [&](size_t i) { return wide ? 10 + depth[i] * gap_depth : 10 + slot[i] * gap_slot; };
  auto y_of = [&](size_t i) { return wide ? 10 + slot[i] * gap_slot : 10 + depth[i] * gap_depth; };
  double width = wide ? 20 + max_depth * gap_depth + w : 20 + (next - 1) * gap_slot + w;
  double height = wide ? 20 + (next - 1) * gap_slot + hgt : 20 + max_depth * gap_depth + hgt;
  put(o,
      "<svg id=\"tree\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{:.0f}\" "
      "viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"site hierarchy\">",
      width, height, width, height);
  o += "<g class=\"edges\">";
  for (size_t i = 0; i < n; ++i) {
    int p = h.sites[i].parent_index;
    if (p < 0 || !seen[i]) continue;
    auto pi = static_cast<size_t>(p);
    if (wide) {
      put(o, "<path d=\"M{:.0f} {:.0f}H{:.0f}V{:.0f}H{:.0f}\"/>", x_of(pi) + w, y_of(pi) + hgt / 2,
          x_of(pi) + w + (gap_depth - w) / 2, y_of(i) + hgt / 2, x_of(i));
    } else {
      put(o, "<path d=\"M{:.0f} {:.0f}V{:.0f}H{:.0f}V{:.0f}\"/>", x_of(pi) + w / 2, y_of(pi) + hgt,
          y_of(pi) + hgt + (gap_depth - hgt) / 2, x_of(i) + w / 2, y_of(i));
    }
  }
  o += "</g>";
  for (size_t i = 0; i < n; ++i) {
    if (!seen[i]) continue;
    const auto& s = h.sites[i];
    auto st = states.find(s.code);
    std::string state = st == states.end() ? "unknown" : st->second;
    std::string code = esc(s.code);
    put(o, "<g class=\"site st-{}\" data-site=\"{}\" tabindex=\"0\" transform=\"translate({:.0f} {:.0f})\">",
        esc(state), code, x_of(i), y_of(i));
    put(o, "<title>{} ({}), {}: {} — {} site system(s); click for the list</title>", code, esc(s.name), kind_text(s),
        esc(state), s.systems.size());
    put(o, "<rect width=\"{:.0f}\" height=\"{:.0f}\" rx=\"5\" class=\"{}\"/>", w, hgt,
        s.is_primary() ? "primary" : "secondary");
    put(o, "<text x=\"{:.0f}\" y=\"18\">{}</text></g>", w / 2, code);
  }
  o += "</svg>";
  return o;
}

std::string svg_gantt(const plan::Plan& p, const std::vector<run::JournalStep>* journal, double now) {
  std::string o;
  const size_t n = p.steps.size();
  if (n == 0) return o;
  auto sched = plan::schedule(p);
  std::vector<bool> crit(n, false);
  for (size_t i : sched.critical) crit[i] = true;

  // The journal's steps by id; its time origin is the first start.
  std::unordered_map<std::string_view, const run::JournalStep*> by_id;
  double origin = 0;
  double span = sched.total_min;
  if (journal) {
    for (const auto& s : *journal) {
      by_id.emplace(s.id, &s);
      if (s.started > 0 && (origin == 0 || s.started < origin)) origin = s.started;
    }
    for (const auto& s : *journal) {
      if (s.started <= 0) continue;
      double end = s.finished > 0 ? s.finished : now;
      span = std::max(span, (end - origin) / 60.0);
    }
  }
  if (span <= 0) span = 1;
  const double label_w = 280, chart_w = 900, row = 14;
  const double height = 34 + row * static_cast<double>(n);
  const double scale = chart_w / span;
  put(o,
      "<svg id=\"gantt\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{:.0f}\" "
      "viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"plan timeline\" data-steps=\"{}\">",
      label_w + chart_w + 20, height, label_w + chart_w + 20, height, n);
  // Time axis: at most about a dozen ticks at a round interval.
  static const double steps[] = {5, 15, 30, 60, 120, 240, 480, 720, 1440, 2880, 10080, 43200};
  double tick = steps[std::size(steps) - 1];
  for (double s : steps) {
    if (span / s <= 12) {
      tick = s;
      break;
    }
  }
  o += "<g class=\"axis\">";
  for (double t = 0; t <= span + 1e-9; t += tick) {
    double x = label_w + t * scale;
    put(o, "<line x1=\"{:.1f}\" y1=\"20\" x2=\"{:.1f}\" y2=\"{:.0f}\"/><text x=\"{:.1f}\" y=\"14\">+{}</text>", x, x,
        height, x, esc(plan::format_minutes(t)));
  }
  o += "</g><g class=\"rows\"></g></svg>";
  // The rows are data, drawn by the page's script (drawGantt): all of them
  // for a plan of up to kGanttAll steps, else the rows in view of the
  // scrolling chart (and all of them for printing). Ten thousand SVG rows
  // with a tooltip each were most of a big page's 25 s of layout in Chromium.
  // A row: [id, state, x, width, flags (1 critical, 2 manual), start, duration]
  // and, for a started step, [.., actual x, actual width, state, duration].
  auto r1 = [](double v) { return std::round(v * 10) / 10; };
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i = 0; i < n; ++i) {
    const auto& s = p.steps[i];
    const run::JournalStep* js = nullptr;
    if (journal) {
      auto it = by_id.find(s.id);
      if (it != by_id.end()) js = it->second;
    }
    double x = label_w + sched.start[i] * scale;
    double w = std::max(1.0, (sched.finish[i] - sched.start[i]) * scale);
    nlohmann::json item = {s.id,
                           js ? run::to_string(js->state) : "planned",
                           r1(x),
                           r1(w),
                           (crit[i] ? 1 : 0) | (s.manual ? 2 : 0),
                           plan::format_minutes(sched.start[i]),
                           plan::format_minutes(sched.finish[i] - sched.start[i])};
    if (js && js->started > 0) {
      const auto& j = *js;
      double end = j.finished > 0 ? j.finished : now;
      item.push_back(r1(label_w + (j.started - origin) / 60.0 * scale));
      item.push_back(r1(std::max(1.0, (end - j.started) / 60.0 * scale)));
      item.push_back(run::to_string(j.state));
      item.push_back(plan::format_minutes((end - j.started) / 60.0));
    }
    rows.push_back(std::move(item));
  }
  nlohmann::json data = {{"label_w", label_w}, {"row", row}, {"all", kGanttAll}, {"rows", std::move(rows)}};
  put_data(o, "gantt-data", data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return o;
}

std::string svg_curve(const std::vector<std::array<int64_t, 2>>& days) {
  std::string o;
  if (days.empty()) return o;
  const double w = 720, h = 240, left = 48, bottom = 28, top = 10;
  const double n = static_cast<double>(days.size());
  auto x_of = [&](size_t d) { return left + (n <= 1 ? 0 : static_cast<double>(d) / (n - 1) * (w - left - 10)); };
  auto y_of = [&](double share) { return top + (1 - share) * (h - top - bottom); };
  put(o,
      "<svg id=\"curve\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{:.0f}\" "
      "viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"clients at SP2 by day\"><g class=\"axis\">",
      w, h, w, h);
  for (int pct = 0; pct <= 100; pct += 25) {
    double y = y_of(pct / 100.0);
    put(o, "<line x1=\"{:.0f}\" y1=\"{:.1f}\" x2=\"{:.0f}\" y2=\"{:.1f}\"/><text x=\"4\" y=\"{:.1f}\">{} %</text>",
        left, y, w - 10, y, y + 4, pct);
  }
  size_t label_every = std::max<size_t>(1, days.size() / 10);
  for (size_t d = 0; d < days.size(); d += label_every) {
    put(o, "<text x=\"{:.1f}\" y=\"{:.0f}\">day {}</text>", x_of(d) - 12, h - 8, d + 1);
  }
  o += "</g><polyline class=\"forecast\" points=\"";
  for (size_t d = 0; d < days.size(); ++d) {
    double share = days[d][1] > 0 ? static_cast<double>(days[d][0]) / static_cast<double>(days[d][1]) : 0;
    put(o, "{:.1f},{:.1f} ", x_of(d), y_of(share));
  }
  o += "\"/>";
  for (size_t d = 0; d < days.size(); ++d) {
    double share = days[d][1] > 0 ? static_cast<double>(days[d][0]) / static_cast<double>(days[d][1]) : 0;
    put(o,
        "<circle class=\"pt\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\"><title>day {}: {} of {} clients at SP2 ({:.1f} "
        "%)</title></circle>",
        x_of(d), y_of(share), d + 1, days[d][0], days[d][1], share * 100);
  }
  o += "</svg>";
  return o;
}

}  // namespace smsup::web
