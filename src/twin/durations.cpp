#include "twin/durations.h"

#include <algorithm>
#include <fmt/format.h>

#include <utility>
#include <vector>

#include "util/error.h"

namespace smsup::twin {
namespace {

std::vector<std::pair<const char*, double Durations::*>> fields() {
  return {{"upgrade_base", &Durations::upgrade_base},
          {"upgrade_per_gb", &Durations::upgrade_per_gb},
          {"upgrade_per_system", &Durations::upgrade_per_system},
          {"upgrade_per_10k_clients", &Durations::upgrade_per_10k_clients},
          {"secondary_upgrade", &Durations::secondary_upgrade},
          {"reinstall_base", &Durations::reinstall_base},
          {"reinstall_per_system", &Durations::reinstall_per_system},
          {"backup_base", &Durations::backup_base},
          {"backup_per_gb", &Durations::backup_per_gb},
          {"dbtest_base", &Durations::dbtest_base},
          {"dbtest_per_gb", &Durations::dbtest_per_gb},
          {"restore_base", &Durations::restore_base},
          {"restore_per_gb", &Durations::restore_per_gb},
          {"os_sp1", &Durations::os_sp1},
          {"fix", &Durations::fix},
          {"mp_reinstall", &Durations::mp_reinstall},
          {"drw", &Durations::drw},
          {"replication", &Durations::replication},
          {"disk_check", &Durations::disk_check},
          {"verify", &Durations::verify},
          {"console_upgrade", &Durations::console_upgrade},
          {"itmu", &Durations::itmu},
          {"readiness", &Durations::readiness},
          {"legacy_to_advanced_base", &Durations::legacy_to_advanced_base},
          {"push_per_hour", &Durations::push_per_hour},
          {"settle", &Durations::settle},
          {"hang_timeout", &Durations::hang_timeout},
          {"verify_wait", &Durations::verify_wait},
          {"heartbeats_per_day", &Durations::heartbeats_per_day},
          {"hardware_inventory_per_day", &Durations::hardware_inventory_per_day},
          {"software_inventory_per_day", &Durations::software_inventory_per_day},
          {"jitter", &Durations::jitter}};
}

}  // namespace

Durations durations_from_json(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object()) throw InputError({file, 0, 0}, "", "expected a JSON object of durations");
  Durations d;
  auto fs = fields();
  for (const auto& item : j.items()) {
    // Named, not a structured binding: clang (the fuzz build) cannot capture
    // a structured binding in a lambda before C++20's P1091 landed.
    const std::string& key = item.key();
    const nlohmann::json& value = item.value();
    auto it = std::find_if(fs.begin(), fs.end(), [&](const auto& f) { return key == f.first; });
    if (it == fs.end()) {
      throw InputError({file, 0, 0}, key, "unknown key; expected one of the twin's durations");
    }
    if (!value.is_number() || value.get<double>() < 0) {
      throw InputError({file, 0, 0}, key, "expected a non-negative number (minutes)");
    }
    d.*(it->second) = value.get<double>();
  }
  if (d.push_per_hour <= 0) throw InputError({file, 0, 0}, "push_per_hour", "expected a positive number");
  if (d.jitter >= 1) throw InputError({file, 0, 0}, "jitter", "expected a fraction below 1");
  return d;
}

nlohmann::json to_json(const Durations& d) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [key, member] : fields()) j[key] = d.*member;
  return j;
}

}  // namespace smsup::twin
