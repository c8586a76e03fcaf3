// How long things take in the twin, in minutes, and how they grow with the
// work. Defaults are plausible figures for 2006-era hardware (assumptions, not
// measurements); a JSON file with any of these keys overrides them.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace smsup::twin {

struct Durations {
  double upgrade_base = 40;       // setup on an idle site
  double upgrade_per_gb = 6;      // per GB of site database (data + log)
  double upgrade_per_system = 4;  // per site system whose components are reinstalled
  double upgrade_per_10k_clients = 5;
  double secondary_upgrade = 30;
  double reinstall_base = 20;  // component reinstallation after setup (milestones)
  double reinstall_per_system = 2;
  double backup_base = 10;
  double backup_per_gb = 4;
  double dbtest_base = 20;
  double dbtest_per_gb = 8;
  double restore_base = 20;
  double restore_per_gb = 5;
  double os_sp1 = 45;  // per host, with the reboot
  double fix = 10;     // a DCOM, firewall or SCW edit
  double mp_reinstall = 30;
  double drw = 15;
  double replication = 15;
  double disk_check = 5;
  double verify = 5;
  double console_upgrade = 15;
  double itmu = 30;
  double readiness = 1;
  double legacy_to_advanced_base = 30;
  double push_per_hour = 600;     // clients a site pushes per hour
  double settle = 30;             // the checklist's wait after setup
  double hang_timeout = 240;      // when a hung step is given up
  double verify_wait = 120;       // how long verify waits for late milestones
  double heartbeats_per_day = 1;  // Heartbeat Discovery (SMS default is weekly)
  // Inventory reports per Advanced Client: daily, like heartbeats (the SMS
  // default for both inventories is weekly); only rejected ones are counted.
  double hardware_inventory_per_day = 1;
  double software_inventory_per_day = 1;
  double jitter = 0.1;  // +- fraction applied per step, from the seed
};

// Throws InputError (file, key) on an unknown key or a value that is not a
// non-negative number.
Durations durations_from_json(const nlohmann::json& j, const std::string& file);
nlohmann::json to_json(const Durations& d);

}  // namespace smsup::twin
