// Client rules (rules.md "Clients"): one finding per client; the report
// counts them per site and rule so that a million clients stay readable.
#include <fmt/format.h>

#include "rules/rule.h"

namespace smsup::rules {
namespace {

void advclient_os(const Context&, const Client& c, Emit& e) {
  if (c.kind != ClientKind::advanced || sp2_advanced_client_supported(c.os)) return;
  e.fire(c.name,
         fmt::format("{} runs {}; the SP2 Advanced Client needs Windows 2000 SP4 or Windows XP SP1 "
                     "or later",
                     c.name, describe(c.os)),
         "Install the service pack (or a supported system) and then the SP2 client; until then "
         "it keeps reduced SMS functionality.");
}

void legacy_on_nt5(const Context&, const Client& c, Emit& e) {
  if (c.kind != ClientKind::legacy || !is_nt5(c.os.family)) return;
  e.fire(c.name,
         fmt::format("{} is a Legacy Client on {}: not supported at SP2 and cannot receive client "
                     "hotfixes",
                     c.name, describe(c.os)),
         "Upgrade it to the SP2 Advanced Client, preferably before its site is upgraded.");
}

void legacy_win98_ie(const Context&, const Client& c, Emit& e) {
  if (c.kind != ClientKind::legacy || c.os.family != WinFamily::win98) return;
  if (c.ie_tenths >= 55) return;
  std::string ie = c.ie_tenths < 0 ? std::string("an unknown Internet Explorer version")
                                   : fmt::format("Internet Explorer {}.{}", c.ie_tenths / 10, c.ie_tenths % 10);
  e.fire(c.name,
         fmt::format("{} is a Legacy Client on Windows 98 with {}; the SP2 Legacy Client needs "
                     "Internet Explorer 5.5 or later",
                     c.name, ie),
         "Install Internet Explorer 5.5 or later on it before its site is upgraded.");
}

void legacy_autoupgrade_disabled(const Context&, const Client& c, Emit& e) {
  if (c.kind != ClientKind::legacy) return;
  if (c.unknown_fact(ClientFact::autoupgrade_disabled)) return e.unknown(c.name, "autoupgrade_disabled");
  if (!c.autoupgrade_disabled) return;
  e.fire(c.name,
         fmt::format("{} is a Legacy Client with automatic upgrade disabled (cliupgrade /disable): "
                     "it will not upgrade by itself",
                     c.name),
         "Run cliupgrade /enable on it after its site is upgraded, or upgrade it by hand.");
}

void sms20_client_nt5(const Context&, const Client& c, Emit& e) {
  if (c.version != SmsLevel::sms20 || !is_nt5(c.os.family)) return;
  e.fire(c.name,
         fmt::format("{} is an SMS 2.0 client on {}: it cannot report software inventory to an SP2 "
                     "site",
                     c.name, describe(c.os)),
         "Upgrade it to the SP2 Advanced Client (it can be done before the site upgrade).");
}

void vista_limited(const Context&, const Client& c, Emit& e) {
  if (c.kind != ClientKind::advanced) return;
  if (c.os.family != WinFamily::vista && c.os.family != WinFamily::longhorn) return;
  e.fire(c.name,
         fmt::format("{} is an Advanced Client on {}: SMS 2003 SP2 supports it only in part", c.name, describe(c.os)),
         "Expect limited support until SMS 2003 SP3.");
}

using namespace section;
const Rule kClientRules[] = {
    {"advclient-os", Gravity::warning, kAdvClientSupport, "an Advanced Client's system will not take the SP2 client",
     advclient_os},
    {"legacy-on-nt5", Gravity::warning, kLegacySupport, "a Legacy Client on Windows 2000 or later: unsupported at SP2",
     legacy_on_nt5},
    {"legacy-win98-ie", Gravity::warning, kLegacySupport,
     "a Legacy Client on Windows 98 with Internet Explorer below 5.5", legacy_win98_ie},
    {"legacy-autoupgrade-disabled", Gravity::warning, kLegacyClients, "a Legacy Client with automatic upgrade disabled",
     legacy_autoupgrade_disabled},
    {"sms20-client-nt5", Gravity::warning, kLegacyClients,
     "an SMS 2.0 client on NT5 cannot report software inventory to SP2", sms20_client_nt5},
    {"vista-limited", Gravity::info, kAdvClientSupport, "an Advanced Client on Vista or Longhorn: limited support",
     vista_limited},
};

}  // namespace

std::span<const Rule> client_rules() { return kClientRules; }

}  // namespace smsup::rules
