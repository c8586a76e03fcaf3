// One classification of clients for the whole program: what each client will
// do once its site runs SP2, in the checklist's terms. The planner counts its
// client steps with it, the twin simulates with it and `smsup clients` reports
// it, so the three always give the same numbers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/hierarchy.h"

namespace smsup {

// Why a client will or will not reach SP2 once its site is SP2.
enum class ClientFate : uint8_t {
  already_sp2,
  ccim,             // Legacy Client on a supported platform: next CCIM cycle after its site is SP2
  push,             // Advanced Client on a supported OS: upgrades when pushed or advertised
  to_advanced,      // Legacy Client on NT5: must be moved to the Advanced Client
  autoupgrade_off,  // Legacy Client after cliupgrade /disable
  legacy_platform,  // Legacy Client on a platform the SP2 Legacy Client does not support
  advanced_os,      // Advanced Client on an OS below W2000 SP4 / XP SP1
  nt5_old_sp,       // Legacy Client on NT5 whose OS cannot take the SP2 Advanced Client either
};
std::string_view to_string(ClientFate f);

// The fate of a client and, when it cannot reach SP2, why (checklist words).
ClientFate classify(const Client& c, std::string* why = nullptr);
bool legacy_platform_supported(const Client& c, std::string* why);

}  // namespace smsup
