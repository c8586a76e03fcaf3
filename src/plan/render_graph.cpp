// The plan as a Graphviz graph and as a text Gantt chart.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "plan/render.h"

namespace smsup::plan {
namespace {

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string hours(double minutes) {
  auto m = static_cast<long>(minutes + 0.5);
  return fmt::format("{}:{:02}", m / 60, m % 60);
}

}  // namespace

std::string render_dot(const Plan& p, const Schedule& s) {
  std::set<size_t> crit(s.critical.begin(), s.critical.end());
  std::set<std::pair<std::string, std::string>> crit_edges;
  for (size_t k = 1; k < s.critical.size(); ++k) {
    crit_edges.insert({p.steps[s.critical[k - 1]].id, p.steps[s.critical[k]].id});
  }
  std::string out = fmt::format("digraph {} {{\n", quoted("smsup plan: " + p.hierarchy));
  out += fmt::format(
      "  label={};\n  labelloc=t;\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n",
      quoted(fmt::format("{}: upgrade to SMS 2003 SP2, estimated {}", p.hierarchy, format_minutes(s.total_min))));
  std::map<std::string, std::vector<size_t>> by_site;
  for (size_t i = 0; i < p.steps.size(); ++i) by_site[p.steps[i].site].push_back(i);
  for (const auto& [site, idx] : by_site) {
    bool cluster = site != "*";
    std::string indent = cluster ? "    " : "  ";
    if (cluster)
      out += fmt::format("  subgraph {} {{\n    label={};\n", quoted("cluster_" + site), quoted("Site " + site));
    for (size_t i : idx) {
      const auto& st = p.steps[i];
      std::string attrs = fmt::format(
          "label={}", quoted(fmt::format("{}. {}\n{} · {}", i + 1, st.title, st.id, format_minutes(st.estimate_min))));
      if (st.manual) attrs += ", style=filled, fillcolor=lightyellow";
      if (crit.contains(i)) attrs += ", color=red, penwidth=2";
      out += fmt::format("{}{} [{}];\n", indent, quoted(st.id), attrs);
    }
    if (cluster) out += "  }\n";
  }
  for (const auto& st : p.steps) {
    for (const auto& a : st.after) {
      bool c = crit_edges.contains({a, st.id});
      out += fmt::format("  {} -> {}{};\n", quoted(a), quoted(st.id), c ? " [color=red, penwidth=2]" : "");
    }
  }
  out += "}\n";
  return out;
}

std::string render_gantt(const Plan& p, const Schedule& s, int width) {
  std::set<size_t> crit(s.critical.begin(), s.critical.end());
  size_t id_w = 4;
  for (const auto& st : p.steps) id_w = std::max(id_w, st.id.size());
  double total = std::max(1.0, s.total_min);
  std::string out = fmt::format(
      "Gantt: {}, estimated total {} ({} min); one column = {:.0f} min; "
      "* and # = critical path, M = manual\n\n",
      p.hierarchy, format_minutes(s.total_min), std::lround(s.total_min), std::ceil(total / width));
  out += fmt::format("{:>4}    {:<{}} |{:<{}}| {:>7} {:>7}\n", "#", "step", id_w, "timeline", width, "start", "end");
  for (size_t i = 0; i < p.steps.size(); ++i) {
    const auto& st = p.steps[i];
    auto from = static_cast<int>(std::floor(s.start[i] / total * width));
    auto to = static_cast<int>(std::ceil(s.finish[i] / total * width));
    from = std::clamp(from, 0, width - 1);
    to = std::clamp(to, from + 1, width);
    bool c = crit.contains(i);
    std::string bar(static_cast<size_t>(width), ' ');
    for (int k = from; k < to; ++k) bar[static_cast<size_t>(k)] = c ? '#' : '=';
    out += fmt::format("{:>4} {}{} {:<{}} |{}| {:>7} {:>7}\n", i + 1, c ? '*' : ' ', st.manual ? 'M' : ' ', st.id, id_w,
                       bar, hours(s.start[i]), hours(s.finish[i]));
  }
  std::vector<std::string> path;
  for (size_t i : s.critical) path.push_back(p.steps[i].id);
  out += fmt::format("\nCritical path ({} steps, {}): {}\n", path.size(), format_minutes(s.total_min),
                     fmt::join(path, " -> "));
  out += fmt::format("Total: {}\n", format_minutes(s.total_min));
  return out;
}

}  // namespace smsup::plan
