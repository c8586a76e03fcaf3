// The preflight of a shell run (drivers/preflight.h): what it finds wrong,
// with fake probes for the outside world, and the real probes on local
// folders, PATH and a check command that overstays its timeout.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <map>

#include "drivers/hosts_file.h"
#include "drivers/preflight.h"
#include "plan/plan.h"
#include "support.h"

using namespace smsup;
using namespace smsup::drivers;

namespace {

plan::Step step(std::string id, std::string kind, std::string host = "CEN01") {
  plan::Step s;
  s.id = std::move(id);
  s.kind = std::move(kind);
  s.site = "CEN";
  s.host = std::move(host);
  s.params = {{"install_dir", "C:\\SMS"}};
  return s;
}

plan::Plan plan_of(std::vector<plan::Step> steps) {
  plan::Plan p;
  p.steps = std::move(steps);
  return p;
}

// Programs that exist are those in `present`; logs are fine unless listed in `bad_logs`.
class FakeProbes : public PreflightProbes {
 public:
  std::map<std::string, std::string> present;   // program -> path
  std::map<std::string, std::string> bad_logs;  // root -> what is wrong
  int check_status = 0;
  std::vector<std::vector<std::string>> checks_run;
  std::vector<std::string> logs_probed;

  LogsProbe logs(const std::string& root, const std::string&) override {
    logs_probed.push_back(root);
    if (auto it = bad_logs.find(root); it != bad_logs.end()) return {false, it->second};
    return {true, "SMSSetup.log not there yet; Logs listed"};
  }
  std::optional<std::string> find_program(const std::string& p, std::string& why) override {
    if (auto it = present.find(p); it != present.end()) return it->second;
    why = "'" + p + "' is not in PATH";
    return std::nullopt;
  }
  CheckRun run_check(const std::vector<std::string>& argv, std::chrono::milliseconds) override {
    checks_run.push_back(argv);
    return {true, false, check_status, check_status ? "Access is denied." : ""};
  }
};

const PreflightRow* row(const PreflightReport& r, const std::string& what_prefix) {
  for (const auto& h : r.hosts)
    for (const auto& x : h.rows)
      if (x.what.rfind(what_prefix, 0) == 0) return &x;
  return nullptr;
}

constexpr const char* kGood =
    "format: smsup-hosts/1\n"
    "logs: /mnt/{host}/C$\n"
    "sites: {PR1: {logs: 'smb://adm@{host}/D$'}}\n"
    "kinds:\n"
    "  backup: {command: [sqsh, -S, '{host}', -C, 'BACKUP {site}'], check: [wmiexec.py, '{host}', cmd /c ver]}\n"
    "  verify: {timeout: 1h}\n";

}  // namespace

TEST(Preflight, AllGoodListsEveryHostWithItsLogsProgramsAndChecks) {
  auto hosts = parse_hosts(kGood, "hosts.yaml");
  FakeProbes probes;
  probes.present = {{"sqsh", "/usr/bin/sqsh"}, {"wmiexec.py", "/usr/bin/wmiexec.py"}};
  auto p = plan_of({step("CEN/backup", "backup"), step("CEN/verify", "verify"), [] {
                      auto s = step("PR1/verify", "verify", "PR101");
                      s.site = "PR1";
                      return s;
                    }()});
  auto r = preflight(p, hosts, nullptr, probes);
  EXPECT_TRUE(r.ok()) << preflight_text(r);
  ASSERT_EQ(r.hosts.size(), 2u);
  EXPECT_EQ(r.hosts[0].host, "CEN01");
  // logs: per site before the default, placeholders filled.
  EXPECT_EQ(probes.logs_probed, (std::vector<std::string>{"/mnt/CEN01/C$", "smb://adm@PR101/D$"}));
  ASSERT_EQ(probes.checks_run.size(), 1u);
  EXPECT_EQ(probes.checks_run[0], (std::vector<std::string>{"wmiexec.py", "CEN01", "cmd /c ver"}));
  ASSERT_NE(row(r, "program sqsh"), nullptr);
  EXPECT_NE(row(r, "program sqsh")->detail.find("/usr/bin/sqsh"), std::string::npos);
  EXPECT_NE(preflight_text(r).find("Preflight: 2 host(s) ready"), std::string::npos) << preflight_text(r);
}

TEST(Preflight, NamesAMissingProgramAPlaceholderWithoutValueAndMissingLogs) {
  auto hosts = parse_hosts(
      "format: smsup-hosts/1\n"
      "kinds:\n"
      "  backup: {command: [sqsh, -D, '{db}']}\n"
      "  upgrade: {command: [winexe, '//{host}', 'Update.exe /quiet']}\n"
      "  verify: {}\n",
      "hosts.yaml");
  FakeProbes probes;
  probes.present = {{"sqsh", "/usr/bin/sqsh"}};
  auto r = preflight(plan_of({step("CEN/backup", "backup"), step("CEN/upgrade", "upgrade"),
                              step("CEN/verify", "verify"), step("CEN/drw", "drw")}),
                     hosts, nullptr, probes);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.failures(), 4) << preflight_text(r);
  auto* ph = row(r, "placeholders kinds.backup.command");
  ASSERT_NE(ph, nullptr) << preflight_text(r);
  EXPECT_NE(ph->detail.find("{db}"), std::string::npos) << ph->detail;
  auto* prog = row(r, "program winexe");
  ASSERT_NE(prog, nullptr);
  EXPECT_FALSE(prog->ok);
  EXPECT_NE(prog->detail.find("not in PATH"), std::string::npos);
  EXPECT_FALSE(prog->fix.empty());
  auto* logs = row(r, "logs");
  ASSERT_NE(logs, nullptr);
  EXPECT_FALSE(logs->ok);
  auto* kind = row(r, "kind drw");
  ASSERT_NE(kind, nullptr);
  EXPECT_NE(kind->fix.find("kinds.drw"), std::string::npos);
  std::string text = preflight_text(r);
  EXPECT_NE(text.find("FAIL"), std::string::npos);
  EXPECT_NE(text.find("fix:"), std::string::npos);
  EXPECT_NE(text.find("4 problem(s)"), std::string::npos) << text;
}

TEST(Preflight, AFailingCheckCommandIsAProblemWithItsOutput) {
  auto hosts = parse_hosts(kGood, "hosts.yaml");
  FakeProbes probes;
  probes.present = {{"sqsh", "/usr/bin/sqsh"}, {"wmiexec.py", "/usr/bin/wmiexec.py"}};
  probes.check_status = 1;
  auto r = preflight(plan_of({step("CEN/backup", "backup")}), hosts, nullptr, probes);
  auto* c = row(r, "check backup");
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->ok);
  EXPECT_NE(c->detail.find("exit status 1: Access is denied."), std::string::npos) << c->detail;
  auto j = nlohmann::json::parse(preflight_json(r));
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["problems"], 1);
}

TEST(Preflight, ManualStepsAreNotChecked) {
  auto hosts = parse_hosts("format: smsup-hosts/1\nkinds: {}\n", "hosts.yaml");
  FakeProbes probes;
  auto s = step("CEN/drw", "drw");
  s.manual = true;
  auto r = preflight(plan_of({s}), hosts, nullptr, probes);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.hosts.empty());
}

TEST(FindInPath, LooksUpAsExecvpDoes) {
  test::TempDir t;
  test::write_file(t.path / "a/tool", "#!/bin/sh\n");
  test::write_file(t.path / "b/tool", "#!/bin/sh\n");
  ::chmod((t.path / "b/tool").c_str(), 0755);
  std::string why;
  auto path = (t.path / "a").string() + ":" + (t.path / "b").string();
  // a/tool is not executable: execvp goes on to b/tool.
  EXPECT_EQ(find_in_path("tool", path, why), (t.path / "b/tool").string());
  EXPECT_FALSE(find_in_path("tool", (t.path / "a").string(), why));
  EXPECT_NE(why.find("not executable"), std::string::npos) << why;
  EXPECT_FALSE(find_in_path("nothing-such", path, why));
  EXPECT_NE(why.find("not in any folder of PATH"), std::string::npos) << why;
  EXPECT_EQ(find_in_path((t.path / "b/tool").string(), "", why), (t.path / "b/tool").string());
  EXPECT_FALSE(find_in_path((t.path / "a/tool").string(), "/usr/bin", why));
}

TEST(SystemProbes, LocalLogsAndACheckThatOverstaysItsTimeout) {
  test::TempDir t;
  auto probes = system_probes({});
  auto none = probes->logs(t / "absent", "C:\\SMS");
  EXPECT_FALSE(none.ok);
  EXPECT_NE(none.detail.find("not a folder"), std::string::npos) << none.detail;
  std::filesystem::create_directories(t.path / "root/SMS/Logs");
  auto fresh = probes->logs(t / "root", "C:\\SMS");
  EXPECT_TRUE(fresh.ok) << fresh.detail;
  EXPECT_NE(fresh.detail.find("SMSSetup.log not there yet"), std::string::npos) << fresh.detail;
  test::write_file(t.path / "root/smssetup.log", "<06-05-2006 09:40:00> SMS Setup\n");
  auto present = probes->logs(t / "root", "C:\\SMS");
  EXPECT_NE(present.detail.find("SMSSetup.log present"), std::string::npos) << present.detail;
  EXPECT_FALSE(probes->logs(t / "root", "C:\\Other").ok);  // no Logs folder there

  auto start = std::chrono::steady_clock::now();
  auto slow = probes->run_check({"sleep", "30"}, std::chrono::milliseconds(200));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_TRUE(slow.timed_out);
  auto fails = probes->run_check({"sh", "-c", "echo denied; exit 3"}, std::chrono::seconds(10));
  EXPECT_EQ(fails.status, 3);
  EXPECT_NE(fails.output.find("denied"), std::string::npos);
}
