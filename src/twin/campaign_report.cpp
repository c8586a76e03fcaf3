#include "twin/campaign_report.h"

#include <algorithm>
#include <fmt/format.h>
#include <iterator>

#include "twin/campaign.h"

namespace smsup::twin {
namespace {

template <class... A>
void out(std::string& o, fmt::format_string<A...> f, A&&... a) {
  fmt::format_to(std::back_inserter(o), f, std::forward<A>(a)...);
}

bool reaches_sp2(ClientFate f) {
  return f == ClientFate::ccim || f == ClientFate::push || f == ClientFate::to_advanced;
}

std::string os_text(const Client& c) {
  return c.os.sp == 0 ? std::string(to_string(c.os.family)) : fmt::format("{} SP{}", to_string(c.os.family), c.os.sp);
}

// CSV fields never start with a formula character and quote commas.
std::string csv(std::string s) {
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) s = "'" + s;
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

}  // namespace

Campaign plan_campaign(const Hierarchy& h, uint64_t seed, int days, const Durations& d, bool rows) {
  Campaign c;
  const int64_t rate = std::max<int64_t>(1, static_cast<int64_t>(d.push_per_hour));
  std::vector<int64_t> pushed(h.sites.size(), 0);
  std::vector<int64_t> per_day(static_cast<size_t>(std::max(days, 0)) + 1, 0);
  int64_t already = 0;
  for (const auto& s : h.sites) c.sites.push_back({s.code, {}});
  if (rows) c.rows.reserve(h.clients.size());
  for (size_t i = 0; i < h.clients.size(); ++i) {
    const Client& cl = h.clients[i];
    ClientPlanRow r;
    r.client = static_cast<int>(i);
    r.fate = classify(cl, &r.reason);
    int site = cl.reassign_to >= 0 ? cl.reassign_to : cl.site;
    switch (r.fate) {
      case ClientFate::ccim: {
        int p = ccim_period_h(cl.version);
        int ph = ccim_phase_h(cl.name, seed, p);
        r.hour = static_cast<int>(next_cycle(0, ph, p) / kHour);
        if (rows) r.reason = fmt::format("CCIM cycle every {} h", p);
        break;
      }
      case ClientFate::push:
      case ClientFate::to_advanced: {
        auto& n = pushed[static_cast<size_t>(site)];
        r.hour = static_cast<int>(n / rate + 1);
        ++n;
        if (r.fate == ClientFate::push && rows) r.reason = "Client Push Installation (Always install) or advertisement";
        break;
      }
      case ClientFate::already_sp2:
        r.hour = 0;
        if (rows) r.reason = "already SP2";
        break;
      default:
        break;
    }
    c.by_fate[r.fate] += 1;
    c.sites[static_cast<size_t>(site)].by_fate[r.fate] += 1;
    if (!reaches_sp2(r.fate) && r.fate != ClientFate::already_sp2) {
      c.reasons[r.reason] += 1;
      ++c.cannot;
    }
    if (r.fate == ClientFate::already_sp2)
      ++already;
    else if (r.hour >= 0)
      per_day[std::min<size_t>(static_cast<size_t>((r.hour - 1) / 24), per_day.size() - 1)] += 1;
    if (rows) c.rows.push_back(std::move(r));
  }
  int64_t sum = already;
  for (int dd = 0; dd < days; ++dd) {
    sum += per_day[static_cast<size_t>(dd)];
    c.days.push_back({sum, static_cast<int64_t>(h.clients.size())});
  }
  return c;
}

nlohmann::json to_json(const Campaign& c, const Hierarchy& h) {
  nlohmann::json fates = nlohmann::json::object();
  for (const auto& [f, n] : c.by_fate) fates[std::string(to_string(f))] = n;
  nlohmann::json sites = nlohmann::json::array();
  for (const auto& s : c.sites) {
    nlohmann::json bf = nlohmann::json::object();
    for (const auto& [f, n] : s.by_fate) bf[std::string(to_string(f))] = n;
    sites.push_back({{"site", s.site}, {"by_fate", bf}});
  }
  nlohmann::json days = nlohmann::json::array();
  for (size_t i = 0; i < c.days.size(); ++i)
    days.push_back({{"day", i + 1}, {"sp2", c.days[i][0]}, {"total", c.days[i][1]}});
  nlohmann::json clients = nlohmann::json::array();
  for (const auto& r : c.rows) {
    const Client& cl = h.clients[static_cast<size_t>(r.client)];
    nlohmann::json j = {{"name", cl.name},
                        {"site", h.sites[static_cast<size_t>(cl.site)].code},
                        {"fate", to_string(r.fate)},
                        {"reason", r.reason}};
    if (r.hour >= 0) j["hour"] = r.hour;
    clients.push_back(std::move(j));
  }
  return {{"format", "smsup-clients/1"},
          {"hierarchy", h.name},
          {"total", h.clients.size()},
          {"cannot", c.cannot},
          {"by_fate", fates},
          {"reasons", c.reasons},
          {"sites", sites},
          {"days", days},
          {"clients", clients}};
}

std::string to_text(const Campaign& c, const Hierarchy& h, size_t examples) {
  std::string o;
  auto n = [&](ClientFate f) {
    auto it = c.by_fate.find(f);
    return it == c.by_fate.end() ? int64_t{0} : it->second;
  };
  out(o, "Client campaign of {}: {} clients\n\n", h.name, h.clients.size());
  out(o, "  already SP2                           {:>9}\n", n(ClientFate::already_sp2));
  out(o,
      "  upgrade by themselves (CCIM cycle)    {:>9}  Legacy Clients, within 25 h (23 h for SMS 2.0) of their site\n",
      n(ClientFate::ccim));
  out(o, "  need a push or advertisement          {:>9}  Advanced Clients on W2000 SP4, XP SP1, W2003 or later\n",
      n(ClientFate::push));
  out(o, "  move to the Advanced Client first     {:>9}  Legacy Clients on NT5, before their site's upgrade\n",
      n(ClientFate::to_advanced));
  out(o, "  cannot take SP2                       {:>9}\n", c.cannot);
  for (const auto& [why, k] : c.reasons) out(o, "      {:>9}  {}\n", k, why);
  out(o, "\n  {:<5} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "site", "sp2", "ccim", "push", "to-adv", "cannot");
  for (const auto& s : c.sites) {
    auto g = [&](ClientFate f) {
      auto it = s.by_fate.find(f);
      return it == s.by_fate.end() ? int64_t{0} : it->second;
    };
    int64_t cannot = g(ClientFate::autoupgrade_off) + g(ClientFate::legacy_platform) + g(ClientFate::advanced_os) +
                     g(ClientFate::nt5_old_sp);
    if (g(ClientFate::already_sp2) + g(ClientFate::ccim) + g(ClientFate::push) + g(ClientFate::to_advanced) + cannot ==
        0)
      continue;
    out(o, "  {:<5} {:>9} {:>9} {:>9} {:>9} {:>9}\n", s.site, g(ClientFate::already_sp2), g(ClientFate::ccim),
        g(ClientFate::push), g(ClientFate::to_advanced), cannot);
  }
  if (!c.days.empty()) {
    out(o, "\nSP2 clients after each day (sites ready and pushes started at hour 0):\n ");
    for (size_t i = 0; i < c.days.size() && i < 7; ++i) out(o, " day {}: {}", i + 1, c.days[i][0]);
    out(o, "{}\n", c.days.size() > 7 ? fmt::format(" ... day {}: {}", c.days.size(), c.days.back()[0]) : "");
  }
  std::map<std::string, std::vector<std::string>> shown;
  for (const auto& r : c.rows) {
    if (reaches_sp2(r.fate) || r.fate == ClientFate::already_sp2) continue;
    auto& v = shown[std::string(to_string(r.fate))];
    if (v.size() < examples) v.push_back(h.clients[static_cast<size_t>(r.client)].name + " (" + r.reason + ")");
  }
  if (!shown.empty()) out(o, "\nFirst clients that cannot take SP2:\n");
  for (const auto& [f, v] : shown) {
    for (const auto& s : v) out(o, "  {}: {}\n", f, s);
  }
  return o;
}

std::string to_csv(const Campaign& c, const Hierarchy& h) {
  std::string o = "name,site,kind,os,version,fate,reason,hour\n";
  for (const auto& r : c.rows) {
    const Client& cl = h.clients[static_cast<size_t>(r.client)];
    out(o, "{},{},{},{},{},{},{},{}\n", csv(cl.name), h.sites[static_cast<size_t>(cl.site)].code,
        cl.kind == ClientKind::legacy ? "legacy" : "advanced", os_text(cl), to_string(cl.version), to_string(r.fate),
        csv(r.reason), r.hour >= 0 ? std::to_string(r.hour) : "");
  }
  return o;
}

std::map<std::string, std::string> push_collections(const Campaign& c, const Hierarchy& h, ClientFate fate) {
  std::map<std::string, std::string> files;
  for (const auto& r : c.rows) {
    if (r.fate != fate) continue;
    const Client& cl = h.clients[static_cast<size_t>(r.client)];
    int site = cl.reassign_to >= 0 ? cl.reassign_to : cl.site;
    auto& text = files[h.sites[static_cast<size_t>(site)].code];
    if (text.empty()) text = "Name,Site,OS,Version\n";
    out(text, "{},{},{},{}\n", csv(cl.name), h.sites[static_cast<size_t>(site)].code, os_text(cl),
        to_string(cl.version));
  }
  return files;
}

}  // namespace smsup::twin
