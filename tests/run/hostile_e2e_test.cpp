// Hostile inventory values end to end: an inventory whose free-text values
// (the site database's name, the install folder) are shell code goes through
// `plan` and `apply --target shell` with real processes; each value reaches
// the step's command as one argument, byte for byte, and nothing of it runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "support.h"

using namespace smsup;

namespace {

std::vector<std::string> nul_split(const std::string& bytes) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\0') {
      out.push_back(bytes.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

}  // namespace

TEST(HostileValues, FromInventoryThroughPlanToApplyTargetShellStayOneArgumentAndNeverRun) {
  test::TempDir t;
  const std::string pwned = t / "PWNED", pwned2 = t / "PWNED2";
  const std::string db = "SMS_$(touch " + pwned + ")";
  const std::string dir = "C:\\SMS\"; touch " + pwned2 + "; echo \"";
  nlohmann::json inv = {{"format", "smsup-inventory/1"},
                        {"hierarchy", "Hostile"},
                        {"method", "update-quiet"},
                        {"sites",
                         {{{"code", "CEN"},
                           {"type", "primary"},
                           {"parent", nullptr},
                           {"version", "sp1"},
                           {"last_backup", "2006-06-10"},
                           {"install_dir", dir},
                           {"database",
                            {{"server", "CEN01"},
                             {"name", db},
                             {"sql", "2000-sp4"},
                             {"data_mb", 1000},
                             {"log_mb", 200},
                             {"free_disk_mb", 50000},
                             {"dbtest", {{"data_mb_after", 1500}, {"log_mb_after", 400}}}}},
                           {"systems",
                            {{{"host", "CEN01"},
                              {"os", "w2003"},
                              {"os_sp", 1},
                              {"roles", {"site_server", "provider", "management_point", "database_server"}}}}}}}}};
  // JSON is YAML: the values go in quoted exactly.
  std::ofstream(t / "inv.yaml") << inv.dump(2);
  auto planned = test::run_smsup({"plan", t / "inv.yaml", "-o", t / "plan.json", "--as-of", "2006-06-12"});
  ASSERT_EQ(planned.status, 0) << planned.out << planned.err;

  // Every kind of the plan runs the helper; backup dumps its arguments.
  std::ifstream in(t / "plan.json");
  nlohmann::json p = nlohmann::json::parse(in);
  std::set<std::string> kinds;
  for (auto& s : p["steps"]) {
    kinds.insert(s["kind"].get<std::string>());
    s["manual"] = false;  // nobody here to confirm
  }
  std::ofstream(t / "plan.json") << p.dump();
  ASSERT_TRUE(kinds.count("backup")) << "the plan has no backup step";
  std::string hosts = "format: smsup-hosts/1\nlogs: " + (t / "logs/{host}") + "\ntimeout: 30s\nkinds:\n";
  for (const auto& k : kinds) {
    if (k == "backup")
      hosts += "  backup:\n    command: [" + std::string(SMSUP_TEST_HELPER) + ", argv-dump, " + (t / "argv.bin") +
               ", '{db}', '{install_dir}', '--db={db}']\n";
    else if (k == "settle")
      hosts += "  settle: {wait: 1ms}\n";
    else if (k == "verify")
      hosts += "  verify: {timeout: 10ms, poll: 1ms}\n";
    else
      hosts += "  " + k + ":\n    command: [" + std::string(SMSUP_TEST_HELPER) + ", exit, '0']\n";
  }
  std::ofstream(t / "hosts.yaml") << hosts;
  auto applied = test::run_smsup({"apply", t / "plan.json", "--target", "shell", "--hosts", t / "hosts.yaml",
                                  "--journal", t / "j.db", "--plain", "--no-preflight"});  // no site logs here
  ASSERT_NE(applied.status, 2) << applied.out << applied.err;

  std::ifstream dump(t / "argv.bin", std::ios::binary);
  ASSERT_TRUE(dump) << "the backup step never ran: " << applied.out << applied.err;
  std::string bytes((std::istreambuf_iterator<char>(dump)), std::istreambuf_iterator<char>());
  EXPECT_EQ(nul_split(bytes), (std::vector<std::string>{db, dir, "--db=" + db}));
  EXPECT_FALSE(std::filesystem::exists(pwned));
  EXPECT_FALSE(std::filesystem::exists(pwned2));
}
