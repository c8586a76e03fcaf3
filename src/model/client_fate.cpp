#include "model/client_fate.h"

#include <fmt/format.h>

namespace smsup {

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
        return say(
            c.ie_tenths < 0
                ? "Windows 98 with an unknown Internet Explorer: the SP2 Legacy Client needs IE 5.5 or later"
                : fmt::format("Windows 98 with Internet Explorer {}.{}: the SP2 Legacy Client needs IE 5.5 or later",
                              c.ie_tenths / 10, c.ie_tenths % 10));
      }
      return true;
    case WinFamily::nt4:
      if (c.os.sp < 6) return say(fmt::format("{}: the SP2 Legacy Client needs NT 4.0 SP6", describe(c.os)));
      return true;
    case WinFamily::win95:
    case WinFamily::winme:
      return say(fmt::format("{} is not an SMS 2003 client platform", describe(c.os)));
    default:
      return true;  // NT5 is handled by the caller
  }
}

ClientFate classify(const Client& c, std::string* why) {
  if (c.version == SmsLevel::sp2) return ClientFate::already_sp2;
  if (c.kind == ClientKind::advanced) {
    if (sp2_advanced_client_supported(c.os)) return ClientFate::push;
    if (why)
      *why = fmt::format("{} is below Windows 2000 SP4 / XP SP1: it will not install the SP2 client", describe(c.os));
    return ClientFate::advanced_os;
  }
  if (is_nt5(c.os.family) && c.os.family != WinFamily::vs2005) {
    if (sp2_advanced_client_supported(c.os)) {
      if (why)
        *why = fmt::format("Legacy Client on {} (NT5): not supported at SP2; move it to the Advanced Client",
                           describe(c.os));
      return ClientFate::to_advanced;
    }
    if (why)
      *why = fmt::format("Legacy Client on {}: neither the SP2 Legacy Client nor the SP2 Advanced Client supports it",
                         describe(c.os));
    return ClientFate::nt5_old_sp;
  }
  if (!legacy_platform_supported(c, why)) return ClientFate::legacy_platform;
  if (c.autoupgrade_disabled) {
    if (why) *why = "cliupgrade /disable was run: the CCIM cycle does not upgrade it";
    return ClientFate::autoupgrade_off;
  }
  return ClientFate::ccim;
}

std::string_view to_string(ClientFate f) {
  switch (f) {
    case ClientFate::already_sp2:
      return "already-sp2";
    case ClientFate::ccim:
      return "ccim";
    case ClientFate::push:
      return "push";
    case ClientFate::to_advanced:
      return "to-advanced";
    case ClientFate::autoupgrade_off:
      return "autoupgrade-disabled";
    case ClientFate::legacy_platform:
      return "legacy-platform";
    case ClientFate::advanced_os:
      return "advanced-os";
    case ClientFate::nt5_old_sp:
      return "nt5-old-sp";
  }
  return "?";
}

}  // namespace smsup
