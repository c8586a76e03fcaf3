// The Markdown runbook: what to do at 2 a.m., in order, with the checklist's
// words and what to look for.
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "plan/instructions.h"
#include "plan/render.h"
#include "plan/step_kinds.h"

namespace smsup::plan {
namespace {

std::string clock(double minutes) {
  auto m = static_cast<long>(minutes + 0.5);
  return fmt::format("+{}:{:02}", m / 60, m % 60);
}

void header(std::string& out, const Plan& p, const Schedule& s) {
  size_t manual = 0;
  for (const auto& st : p.steps) manual += st.manual ? 1 : 0;
  out += fmt::format("# Upgrade runbook: {} to SMS 2003 SP2\n\n", p.hierarchy);
  out += fmt::format("- Plan: {} made {} from `{}` (inventory sha256 `{}`)\n", p.format, p.created, p.inventory,
                     p.inventory_sha256.substr(0, 16));
  out += fmt::format(
      "- Options: default method {}, Windows Server 2003 SP1 track {}, {}, at most {} site "
      "upgrade(s) at once{}\n",
      p.options.method, p.options.with_os_sp1 ? "included" : "not included",
      p.options.clients_first ? "SP2 Advanced Clients pushed before their site's upgrade"
                              : "clients after their site's upgrade",
      p.options.max_parallel, p.options.as_of.empty() ? "" : ", as of " + p.options.as_of);
  if (!p.options.waived.empty()) {
    out += fmt::format("- Waived blockers (accepted risks): {}\n", fmt::join(p.options.waived, ", "));
  }
  out += fmt::format("- {} steps, {} of them manual (marked **[MANUAL]**); estimated total {}\n\n", p.steps.size(),
                     manual, format_minutes(s.total_min));
  out +=
      "How to use it: do the steps in number order. A step may start once every step in its "
      "*after* list is done, so steps of different sites can run at the same time by different "
      "people; site upgrades run in numbered lanes, one setup per lane at a time, which is why an "
      "upgrade may wait for another site's upgrade. Tick each box when the step's check holds; if a check fails, stop "
      "that site and "
      "fix it before going on. Times (`+h:mm`) are the estimated start from step 1.\n\n";
}

void critical_path(std::string& out, const Plan& p, const Schedule& s,
                   const std::unordered_map<std::string, size_t>& number) {
  out += fmt::format("## Critical path ({})\n\n", format_minutes(s.total_min));
  std::vector<std::string> parts;
  for (size_t i : s.critical) parts.push_back(fmt::format("{} `{}`", number.at(p.steps[i].id), p.steps[i].id));
  out += fmt::format("{}", fmt::join(parts, " → "));
  out += "\n\n";
}

void step(std::string& out, const Step& st, size_t n, double start, int max_parallel,
          const std::unordered_map<std::string, size_t>& number) {
  out += fmt::format("#### {}. {}{}\n\n", n, st.manual ? "**[MANUAL]** " : "", st.title);
  std::vector<size_t> after;
  for (const auto& a : st.after) after.push_back(number.at(a));
  std::sort(after.begin(), after.end());
  out += fmt::format("`{}`{} · ~{} · starts {}", st.id, st.host.empty() ? "" : " · on " + st.host,
                     format_minutes(st.estimate_min), clock(start));
  if (!after.empty()) out += fmt::format(" · after {}", fmt::join(after, ", "));
  if (auto lane = st.params.find("lane"); lane != st.params.end() && lane->is_number_integer()) {
    out += fmt::format(" · setup lane {} of {}", lane->get<int>(), max_parallel);
  }
  if (!st.why.empty()) out += fmt::format(" · why: {}", fmt::join(st.why, ", "));
  out += "\n\n";
  auto in = instructions_for(st);
  if (!in.section.empty()) out += fmt::format("Checklist: *{}*\n\n", in.section);
  for (size_t k = 0; k < in.todo.size(); ++k) out += fmt::format("{}. {}\n", k + 1, in.todo[k]);
  if (!in.check.empty()) {
    out += "\nIt worked when:\n";
    for (const auto& c : in.check) out += fmt::format("- {}\n", c);
  }
  out += "\n- [ ] done\n\n";
}

// "primary, Update.exe /quiet" or "secondary, from PR1's console", from the
// site's upgrade step.
std::unordered_map<std::string, std::string> site_notes(const Plan& p) {
  std::unordered_map<std::string, std::string> out;
  for (const auto& st : p.steps) {
    if (!is(st, Kind::upgrade)) continue;
    auto param = [&st](const char* key, std::string def) {
      auto it = st.params.find(key);
      return it != st.params.end() && it->is_string() ? it->get<std::string>() : def;
    };
    auto method = param("method", "");
    bool secondary = std::find(st.why.begin(), st.why.end(), "secondary-manual") != st.why.end();
    if (method == "parent-console") {
      out[st.site] = fmt::format("secondary site, upgraded from {}'s console", param("console", "its parent"));
    } else {
      out[st.site] = fmt::format("{} site, {}", secondary ? "secondary" : "primary", param("command", method));
    }
  }
  return out;
}

}  // namespace

std::string render_markdown(const Plan& p, const Schedule& s) {
  std::string out;
  std::unordered_map<std::string, size_t> number;
  for (size_t i = 0; i < p.steps.size(); ++i) number.emplace(p.steps[i].id, i + 1);
  header(out, p, s);
  critical_path(out, p, s, number);
  auto waves = waves_of(p);
  int last_wave = -2;
  std::string last_site;
  std::set<std::string> seen_sites;
  auto notes = site_notes(p);
  for (size_t i = 0; i < p.steps.size(); ++i) {
    const auto& st = p.steps[i];
    if (waves[i] != last_wave) {
      last_wave = waves[i];
      last_site.clear();
      if (st.site == "*") {
        out += is(st, Kind::readiness) ? "## Before you start\n\n" : "## After every site and client\n\n";
      } else {
        out += fmt::format("## Wave {}{}\n\n", waves[i], waves[i] == 0 ? " (central site)" : "");
      }
    }
    if (st.site != "*" && st.site != last_site) {
      bool again = !seen_sites.insert(st.site).second;
      auto note = notes.find(st.site);
      out += fmt::format("### Site {}{}{}\n\n", st.site, note == notes.end() ? "" : " (" + note->second + ")",
                         again ? ", continued" : "");
      last_site = st.site;
    }
    step(out, st, i + 1, s.start[i], p.options.max_parallel, number);
  }
  return out;
}

}  // namespace smsup::plan
