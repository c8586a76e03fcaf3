#include <fmt/format.h>

#include <set>

#include "plan/render.h"
#include "plan/step_kinds.h"

namespace smsup::plan {

nlohmann::json summary_json(const Plan& p, const Schedule& s) {
  auto waves = waves_of(p);
  std::set<int> site_waves;
  std::set<std::string> sites;
  int manual = 0;
  for (size_t i = 0; i < p.steps.size(); ++i) {
    manual += p.steps[i].manual ? 1 : 0;
    if (p.steps[i].site == "*") continue;
    site_waves.insert(waves[i]);
    if (is(p.steps[i], Kind::upgrade)) sites.insert(p.steps[i].site);
  }
  nlohmann::json critical = nlohmann::json::array();
  for (size_t i : s.critical) critical.push_back(p.steps[i].id);
  return {{"hierarchy", p.hierarchy},   {"steps", p.steps.size()},          {"manual_steps", manual},
          {"waves", site_waves.size()}, {"sites_to_upgrade", sites.size()}, {"total_min", s.total_min},
          {"critical_path", critical}};
}

std::string render_summary(const Plan& p, const Schedule& s) {
  auto j = summary_json(p, s);
  std::vector<std::string> path = j["critical_path"];
  return fmt::format(
      "Plan for {}: {} steps ({} manual) in {} wave(s), {} site(s) to upgrade.\n"
      "Estimated total: {} ({} min).\n"
      "Critical path ({} steps): {}\n",
      p.hierarchy, p.steps.size(), j["manual_steps"].get<int>(), j["waves"].get<size_t>(),
      j["sites_to_upgrade"].get<size_t>(), format_minutes(s.total_min), static_cast<long>(s.total_min + 0.5),
      path.size(), fmt::join(path, " -> "));
}

}  // namespace smsup::plan
