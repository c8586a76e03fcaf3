// Who holds a journal: this host's name, a process's start time, whether it
// still runs, and the boot id (a reboot loses the commits not yet synced).
#pragma once

#include <cstdint>
#include <string>

namespace smsup::run {

std::string hostname();
int64_t process_start(int64_t pid);
std::string boot_id();
bool process_alive(int64_t pid, int64_t start);

}  // namespace smsup::run
