#include "plan/render.h"
#include "plan/step_kinds.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace smsup::plan {

std::vector<int> waves_of(const Plan& p) {
  std::unordered_map<std::string, int> site_wave;
  // Plan order is topological: a parent's upgrade is seen before its child's.
  for (const auto& s : p.steps) {
    if (!is(s, Kind::upgrade)) continue;
    int w = 0;
    for (const auto& a : s.after) {
      auto slash = a.find('/');
      if (!a.ends_with("/verify") || a.compare(0, slash, s.site) == 0) continue;
      auto it = site_wave.find(a.substr(0, slash));
      if (it != site_wave.end()) w = std::max(w, it->second + 1);
    }
    site_wave[s.site] = w;
  }
  int last = 0;
  for (const auto& [site, w] : site_wave) last = std::max(last, w);
  std::vector<int> out;
  out.reserve(p.steps.size());
  for (const auto& s : p.steps) {
    if (s.site == "*") {
      out.push_back(is(s, Kind::readiness) ? -1 : last + 1);
    } else {
      auto it = site_wave.find(s.site);
      out.push_back(it == site_wave.end() ? 0 : it->second);
    }
  }
  return out;
}

std::string render_json(const Plan& p, const Schedule& s) {
  auto j = to_json(p);
  nlohmann::json times = nlohmann::json::object();
  for (size_t i = 0; i < p.steps.size(); ++i) {
    times[p.steps[i].id] = {{"start_min", s.start[i]}, {"finish_min", s.finish[i]}};
  }
  nlohmann::json critical = nlohmann::json::array();
  for (size_t i : s.critical) critical.push_back(p.steps[i].id);
  j["schedule"] = {{"total_min", s.total_min}, {"critical_path", critical}, {"steps", times}};
  return j.dump(1) + "\n";
}

}  // namespace smsup::plan
