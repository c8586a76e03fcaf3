// Client steps of one site: Legacy Clients on NT5 moved to the Advanced
// Client before the site upgrade; after it, the Legacy Clients' own upgrade
// at their CCIM cycle and the push of the SP2 Advanced Client.
#include <cmath>
#include <fmt/format.h>

#include "model/client_fate.h"
#include "plan/planner_build.h"

namespace smsup::plan::detail {

std::vector<ClientTally> tally_clients(const Hierarchy& h) {
  std::vector<ClientTally> t(h.sites.size());
  for (const auto& c : h.clients) {
    if (c.site < 0 || static_cast<size_t>(c.site) >= t.size()) continue;
    auto& s = t[c.site];
    ++s.total;
    // One classification with the twin and `smsup clients` (model/client_fate.h).
    switch (classify(c)) {
      case ClientFate::already_sp2:
        break;
      case ClientFate::ccim:
        ++s.legacy_auto;
        s.legacy_sms2003 = s.legacy_sms2003 || c.version != SmsLevel::sms20;
        break;
      case ClientFate::autoupgrade_off:
        s.legacy_disabled.push_back(c.name);
        break;
      case ClientFate::legacy_platform:
        (c.os.family == WinFamily::win98 ? s.legacy_old_ie : s.legacy_unsupported).push_back(c.name);
        break;
      case ClientFate::to_advanced:
      case ClientFate::nt5_old_sp:
        s.legacy_nt5.push_back(c.name);
        s.legacy_nt5_sms20 = s.legacy_nt5_sms20 || c.version == SmsLevel::sms20;
        break;
      case ClientFate::push:
        s.push.push_back(c.name);
        break;
      case ClientFate::advanced_os:
        s.cannot.push_back(c.name);
        break;
    }
  }
  for (auto it = h.top_down.rbegin(); it != h.top_down.rend(); ++it) {
    t[*it].held += t[*it].total;
    int parent = h.sites[*it].parent_index;
    if (parent >= 0) t[parent].held += t[*it].held;
  }
  return t;
}

std::string add_legacy_to_advanced(Builder& b, int i) {
  const auto& t = b.clients[i];
  if (t.legacy_nt5.empty()) return "";
  const Site& s = b.h.sites[i];
  Workload w{0, static_cast<int64_t>(t.legacy_nt5.size()), 0};
  std::string id = b.add(
      s.code, Kind::legacy_to_advanced, "", s.site_server().host,
      fmt::format("Move {} Legacy Client(s) on NT5 of {} to the Advanced Client", t.legacy_nt5.size(), s.code), w);
  auto& st = b.at(id);
  st.params = {{"collection", fmt::format("{} - Legacy Clients on NT5", s.code)},
               {"count", t.legacy_nt5.size()},
               {"clients", t.legacy_nt5},
               {"client", "SMS 2003 SP2 Advanced Client (from the SP2 files)"}};
  if (!s.is_primary()) st.params["assign_to"] = b.h.sites[s.parent_index].code;
  st.why.emplace_back("legacy-on-nt5");
  if (t.legacy_nt5_sms20) st.why.emplace_back("sms20-client-nt5");
  return id;
}

void add_after_verify_client_steps(Builder& b, int i) {
  const auto& t = b.clients[i];
  const Site& s = b.h.sites[i];
  const std::string& verify = b.sites[i].verify;
  // The step waits for the clients that will upgrade; the ones that will not
  // are listed beside them (and reported by check and `smsup clients`).
  if (t.legacy_auto > 0) {
    int hours = t.legacy_sms2003 ? 25 : 23;
    std::string id =
        b.add(s.code, Kind::legacy_autoupgrade, "", "",
              fmt::format("Let {} Legacy Client(s) of {} upgrade at their CCIM cycle", t.legacy_auto, s.code),
              {0, t.legacy_auto, 0});
    auto& st = b.at(id);
    // The step lasts a whole CCIM cycle; the estimates table adds to it.
    const auto& cost = b.opts.estimates.by_kind.at(std::string(name(Kind::legacy_autoupgrade)));
    st.estimate_min =
        std::round(hours * 60 + cost.base + cost.per_1000_clients * static_cast<double>(t.legacy_auto) / 1000.0);
    st.params = {
        {"count", t.legacy_auto},
        {"cycle_hours", hours},
        {"sooner", {"restart the SMS Client Service", "Systems Management Properties > Sites > Update Configuration"}},
        {"will_not_upgrade", t.legacy_disabled},
        {"ie_below_5_5", t.legacy_old_ie},
        {"unsupported_platform", t.legacy_unsupported}};
    b.wait(id, verify);
  }
  if (!t.push.empty() || !t.cannot.empty()) {
    std::string id = b.add(s.code, Kind::advanced_push, "", s.site_server().host,
                           fmt::format("Push the SP2 Advanced Client to {} client(s) of {}", t.push.size(), s.code),
                           {0, static_cast<int64_t>(t.push.size()), 0});
    auto& st = b.at(id);
    st.params = {{"method",
                  "Client Push Installation Wizard: Always install (repair or upgrade "
                  "existing client)"},
                 {"alternative", "advertise the SP2 client to a collection"},
                 {"collection", fmt::format("{} - Advanced Clients below SP2", s.code)},
                 {"count", t.push.size()},
                 {"clients", t.push},
                 {"cannot_upgrade", t.cannot}};
    if (!t.cannot.empty()) st.why.emplace_back("advclient-os");
    if (b.opts.clients_first) {
      // Before the site's upgrade, and not during it: a push is a configuration
      // change, which the checklist forbids in the 30 minutes after setup.
      st.params["before_site_upgrade"] = true;
      b.wait(b.sites[i].upgrade, id);
    } else {
      b.wait(id, verify);
    }
  }
}

}  // namespace smsup::plan::detail
