#include "twin/campaign.h"

#include <fmt/format.h>

#include <map>
#include <tuple>

#include "twin/faults.h"

namespace smsup::twin {

// Assumption (the checklist names only the NT5 and Windows 98 cases): the SP2
// Legacy Client runs on Windows 98 with IE 5.5 or later and on NT 4.0 SP6 or
// later; SMS 2003 never supported Windows 95 or Me.
bool legacy_platform_supported(const Client& c, std::string* why) {
  auto say = [&](std::string s) {
    if (why) *why = std::move(s);
    return false;
  };
  switch (c.os.family) {
    case WinFamily::win98:
      if (c.ie_tenths < 55) {
        return say(c.ie_tenths < 0 ? "Windows 98 with an unknown Internet Explorer: the SP2 Legacy Client needs IE 5.5 or later"
                                   : fmt::format("Windows 98 with Internet Explorer {}.{}: the SP2 Legacy Client needs IE 5.5 or later",
                                                 c.ie_tenths / 10, c.ie_tenths % 10));
      }
      return true;
    case WinFamily::nt4:
      if (c.os.sp < 6) return say(fmt::format("{}: the SP2 Legacy Client needs NT 4.0 SP6", describe(c.os)));
      return true;
    case WinFamily::win95:
    case WinFamily::winme: return say(fmt::format("{} is not an SMS 2003 client platform", describe(c.os)));
    default: return true;  // NT5 is handled by the caller
  }
}

ClientFate classify(const Client& c, std::string* why) {
  if (c.version == SmsLevel::sp2) return ClientFate::already_sp2;
  if (c.kind == ClientKind::advanced) {
    if (sp2_advanced_client_supported(c.os)) return ClientFate::push;
    if (why) *why = fmt::format("{} is below Windows 2000 SP4 / XP SP1: it will not install the SP2 client", describe(c.os));
    return ClientFate::advanced_os;
  }
  if (is_nt5(c.os.family) && c.os.family != WinFamily::vs2005) {
    if (sp2_advanced_client_supported(c.os)) {
      if (why) *why = fmt::format("Legacy Client on {} (NT5): not supported at SP2; move it to the Advanced Client", describe(c.os));
      return ClientFate::to_advanced;
    }
    if (why) *why = fmt::format("Legacy Client on {}: neither the SP2 Legacy Client nor the SP2 Advanced Client supports it", describe(c.os));
    return ClientFate::nt5_old_sp;
  }
  if (!legacy_platform_supported(c, why)) return ClientFate::legacy_platform;
  if (c.autoupgrade_disabled) {
    if (why) *why = "cliupgrade /disable was run: the CCIM cycle does not upgrade it";
    return ClientFate::autoupgrade_off;
  }
  return ClientFate::ccim;
}

int ccim_period_h(SmsLevel v) { return v == SmsLevel::sms20 ? 23 : 25; }

int ccim_phase_h(std::string_view name, uint64_t seed, int period_h) {
  return static_cast<int>(hash64(seed, name, 0xCC1Du) % static_cast<uint64_t>(period_h));
}

VTime next_cycle(VTime ready, int phase_h, int period_h) {
  VTime phase = phase_h * kHour;
  VTime period = period_h * kHour;
  if (ready < phase) return phase;
  return phase + ((ready - phase) / period + 1) * period;
}

std::vector<Cohort> build_cohorts(const Hierarchy& h, uint64_t seed,
                                  std::vector<int32_t>* client_cohort) {
  using Key = std::tuple<int, int, int, int, int, int, int>;
  std::map<Key, int32_t> index;
  std::vector<Cohort> out;
  if (client_cohort) client_cohort->assign(h.clients.size(), -1);
  for (size_t i = 0; i < h.clients.size(); ++i) {
    const Client& c = h.clients[i];
    Cohort k;
    k.kind = c.kind;
    k.fate = classify(c);
    k.version = c.version;
    k.site = c.site;
    k.http_port = c.http_port;
    if (c.reassign_to >= 0 && c.reassign_to != c.site) {
      k.site = c.reassign_to;
      k.from_site = c.site;
      const auto& from = h.sites[static_cast<size_t>(c.site)];
      const auto& to = h.sites[static_cast<size_t>(c.reassign_to)];
      k.rejected = c.kind == ClientKind::advanced && from.client_auth_encryption &&
                   !to.client_auth_encryption;
    }
    if (k.fate == ClientFate::ccim) {
      k.cycle_h = static_cast<int16_t>(ccim_period_h(c.version));
      k.phase_h = static_cast<int16_t>(ccim_phase_h(c.name, seed, k.cycle_h));
    }
    k.cut_off = c.kind == ClientKind::advanced &&
                c.http_port != h.sites[static_cast<size_t>(k.site)].http_port;
    Key key{k.site, static_cast<int>(k.kind), static_cast<int>(k.fate), static_cast<int>(k.version),
            k.phase_h, k.http_port, k.from_site};
    auto [it, fresh] = index.try_emplace(key, static_cast<int32_t>(out.size()));
    if (fresh) out.push_back(k);
    out[static_cast<size_t>(it->second)].count += 1;
    if (client_cohort) (*client_cohort)[i] = it->second;
  }
  return out;
}

std::string_view to_string(ClientFate f) {
  switch (f) {
    case ClientFate::already_sp2: return "already-sp2";
    case ClientFate::ccim: return "ccim";
    case ClientFate::push: return "push";
    case ClientFate::to_advanced: return "to-advanced";
    case ClientFate::autoupgrade_off: return "autoupgrade-disabled";
    case ClientFate::legacy_platform: return "legacy-platform";
    case ClientFate::advanced_os: return "advanced-os";
    case ClientFate::nt5_old_sp: return "nt5-old-sp";
  }
  return "?";
}

}  // namespace smsup::twin
