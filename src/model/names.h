// The names Windows and SQL Server allow, as one rule for every reader of
// them: the inventory, the collector and the plan (whose hosts reach HOSTS.yaml
// commands as {host}, on this machine and on the remote one).
#pragma once

#include <string>
#include <string_view>

namespace smsup {

// True when `name` is a name a Windows host can have (NetBIOS or DNS rules:
// letters, digits, '-' and '_', labels of 1-63 between single dots).
bool windows_host_name(std::string_view name);

// Empty when `server` names a SQL Server as SMS 2003 does: HOST,
// HOST\INSTANCE (1-16 letters, digits, _ or $) or HOST,PORT; else what is
// wrong with it, ending in what was expected, for a message.
std::string sql_server_problem(std::string_view server);

}  // namespace smsup
