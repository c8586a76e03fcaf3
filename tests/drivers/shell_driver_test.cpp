#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <thread>

#include "drivers/hosts_file.h"
#include "drivers/placeholders.h"
#include "drivers/process.h"
#include "drivers/shell_driver.h"
#include "logs/sample.h"
#include "logs/writer.h"
#include "support.h"
#include "util/error.h"

using namespace smsup;
using namespace smsup::drivers;
using namespace std::chrono_literals;

namespace {

const std::string kHelper = SMSUP_TEST_HELPER;

plan::Step make_step(std::string id, std::string kind, std::string site = "CEN", std::string host = "CEN01") {
  plan::Step s;
  s.id = std::move(id);
  s.kind = std::move(kind);
  s.site = std::move(site);
  s.host = std::move(host);
  s.title = s.id;
  return s;
}

ShellDriver driver(const std::string& yaml, const test::TempDir& t) {
  ShellOptions o;
  o.hosts = parse_hosts(yaml, "HOSTS.yaml");
  o.output_dir = t / "out";
  o.run_id = "test-run";
  o.kill_grace = 200ms;
  return ShellDriver(std::move(o));
}

Outcome run_one(ShellDriver& d, const plan::Step& s, std::chrono::seconds limit = 10s) {
  d.start(s);
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    auto f = d.poll(100ms);
    if (!f.empty()) return f[0].outcome;
  }
  ADD_FAILURE() << "step did not end";
  return {};
}

std::string hosts(const std::string& kinds) {
  return "format: smsup-hosts/1\nlogs: /mnt/{host}/C$\ntimeout: 30s\nkinds:\n" + kinds;
}

}  // namespace

TEST(ShellDriver, HostileInventoryValuesStayOneArgumentEach) {
  test::TempDir t;
  std::string out = t / "argv.bin";
  auto d = driver(hosts("  backup:\n    command: [" + kHelper + ", argv-dump, " + out +
                        ", '{host}', '{site}', '{db}', '--dir={install_dir}', '{method}', "
                        "'{step}']\n"),
                  t);
  auto s = make_step("CEN/backup", "backup", "$(touch " + (t / "PWNED") + ")", "; touch " + (t / "PWNED2") + " #");
  s.params = {{"database", "a'b\"c\nd e"},
              {"install_dir", "-rf --no-preserve-root"},
              {"method", "`touch x` && echo hi | cat > /dev/null"}};
  auto o = run_one(d, s);
  ASSERT_TRUE(o.succeeded) << o.message;
  std::ifstream in(out, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> got;
  size_t start = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\0') {
      got.push_back(bytes.substr(start, i - start));
      start = i + 1;
    }
  }
  std::vector<std::string> want = {
      "; touch " + (t / "PWNED2") + " #", "$(touch " + (t / "PWNED") + ")",         "a'b\"c\nd e",
      "--dir=-rf --no-preserve-root",     "`touch x` && echo hi | cat > /dev/null", "CEN/backup"};
  EXPECT_EQ(got, want);
  EXPECT_FALSE(std::filesystem::exists(t / "PWNED"));
  EXPECT_FALSE(std::filesystem::exists(t / "PWNED2"));
}

// A dbtest command branches on {mode}: same-server when the plan says so,
// copy otherwise, also for a plan made before the mode was written.
TEST(ShellDriver, ModePlaceholderFillsForDbtestSteps) {
  test::TempDir t;
  std::string out = t / "argv.bin";
  auto d =
      driver(hosts("  dbtest:\n    command: [" + kHelper + ", argv-dump, " + out + ", '--mode={mode}', '{db}']\n"), t);
  auto argv_of = [&](const plan::Step& s) {
    auto o = run_one(d, s);
    EXPECT_TRUE(o.succeeded) << o.message;
    std::ifstream in(out, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return bytes;
  };
  auto same = make_step("CEN/dbtest", "dbtest", "CEN", "CENSQL");
  same.params = {{"mode", plan::kDbtestSameServer}, {"database", "SMS_CEN"}};
  EXPECT_EQ(argv_of(same), std::string("--mode=same-server") + '\0' + "SMS_CEN" + '\0');
  auto old = make_step("CEN/dbtest", "dbtest", "CEN", "");
  old.params = {{"database", "SMS_CEN"}};  // no mode: a plan from before
  EXPECT_EQ(argv_of(old), std::string("--mode=copy") + '\0' + "SMS_CEN" + '\0');
  // Other kinds have no mode: a command that asks for one is told so.
  EXPECT_EQ(values_of(make_step("CEN/backup", "backup"), nullptr).count("mode"), 0u);
  EXPECT_TRUE(is_placeholder("mode"));
}

TEST(ShellDriver, ExitStatusAndOutputTailReachTheOutcome) {
  test::TempDir t;
  auto d = driver(hosts("  backup:\n    command: [" + kHelper + ", exit, '3', 'disk is full']\n"), t);
  auto o = run_one(d, make_step("CEN/backup", "backup"));
  EXPECT_FALSE(o.succeeded);
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_NE(o.output_tail.find("disk is full"), std::string::npos) << o.output_tail;
  EXPECT_EQ(o.message, "exit status 3");
}

TEST(ShellDriver, TimeoutKillsTheWholeProcessGroup) {
  test::TempDir t;
  std::string pidfile = t / "pid";
  // The step's own command starts a grandchild; the timeout must take both.
  auto d = driver(hosts("  upgrade:\n    timeout: 300ms\n    command: [/bin/sh, -c, 'sleep 30 & "
                        "echo $! > \"$0\"; wait', " +
                        pidfile + "]\n"),
                  t);
  auto began = std::chrono::steady_clock::now();
  auto o = run_one(d, make_step("CEN/upgrade", "upgrade"));
  EXPECT_FALSE(o.succeeded);
  EXPECT_NE(o.message.find("timed out"), std::string::npos) << o.message;
  EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
  std::ifstream in(pidfile);
  pid_t grandchild = 0;
  in >> grandchild;
  ASSERT_GT(grandchild, 0);
  bool gone = test::eventually(
      [&] {
        std::string s = test::read_file("/proc/" + std::to_string(grandchild) + "/stat");
        return s.empty() || s.find(") Z") != std::string::npos;
      },
      5s);
  EXPECT_TRUE(gone) << "the grandchild outlived the timeout";
}

TEST(ShellDriver, AMissingProgramFailsTheStepNotTheRun) {
  test::TempDir t;
  auto d = driver(hosts("  backup:\n    command: [/nonexistent/backup-tool, '{site}']\n"), t);
  auto o = run_one(d, make_step("CEN/backup", "backup"));
  EXPECT_FALSE(o.succeeded);
  EXPECT_EQ(o.exit_code, 127);
  EXPECT_NE(o.message.find("cannot run /nonexistent/backup-tool"), std::string::npos) << o.message;
}

TEST(ShellDriver, AWaitKindIsATimerWithoutAProcess) {
  test::TempDir t;
  auto d = driver(hosts("  settle:\n    wait: 200ms\n"), t);
  auto began = std::chrono::steady_clock::now();
  auto o = run_one(d, make_step("CEN/settle", "settle"));
  EXPECT_TRUE(o.succeeded);
  EXPECT_GE(std::chrono::steady_clock::now() - began, 200ms);
}

TEST(ShellDriver, VerifyRereadsTheLogsUntilTheMilestonesAppear) {
  test::TempDir t;
  ShellOptions opts;
  opts.hosts = parse_hosts(hosts("  verify:\n    timeout: 5s\n    poll: 20ms\n"), "HOSTS.yaml");
  opts.output_dir = t / "out";
  int calls = 0;
  std::string seen_root;
  opts.log_check = [&](const std::string& root, const std::string&, std::optional<double>) {
    seen_root = root;
    return LogCheckResult{++calls >= 3, calls >= 3 ? "all six milestones" : "2 of 6"};
  };
  ShellDriver d(std::move(opts));
  auto o = run_one(d, make_step("CEN/verify", "verify"));
  EXPECT_TRUE(o.succeeded);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(seen_root, "/mnt/CEN01/C$");
}

TEST(ShellDriver, VerifyFailsWithWhatIsMissingWhenItTimesOut) {
  test::TempDir t;
  ShellOptions opts;
  opts.hosts = parse_hosts(hosts("  verify:\n    timeout: 150ms\n    poll: 20ms\n"), "HOSTS.yaml");
  opts.log_check = [](const std::string&, const std::string&, std::optional<double>) {
    return LogCheckResult{false, "missing: Site shutdown complete"};
  };
  ShellDriver d(std::move(opts));
  auto o = run_one(d, make_step("CEN/verify", "verify"));
  EXPECT_FALSE(o.succeeded);
  EXPECT_NE(o.message.find("missing: Site shutdown complete"), std::string::npos) << o.message;
}

TEST(ShellDriver, ProbeCommandDecidesWhetherAnInterruptedStepHappened) {
  test::TempDir t;
  std::string file = t / "done.txt";
  auto d = driver(hosts("  backup:\n    command: [" + kHelper + ", record, " + file + ", '{step}']\n    probe: [" +
                        kHelper + ", probe, " + file +
                        ", '{step}']\n  upgrade:\n    command: [/bin/true]\n  readiness:\n"
                        "    command: [/bin/true]\n    rerun_safe: true\n"),
                  t);
  EXPECT_EQ(d.probe(make_step("CEN/backup", "backup")), Probe::not_done);
  std::ofstream(file) << "CEN/backup\n";
  EXPECT_EQ(d.probe(make_step("CEN/backup", "backup")), Probe::done);
  EXPECT_EQ(d.probe(make_step("CEN/upgrade", "upgrade")), Probe::unknown);
  EXPECT_EQ(d.probe(make_step("*/readiness", "readiness", "*", "")), Probe::not_done);
}

TEST(ShellDriver, ProbeWaitsForAProcessTheDeadRunLeftBehind) {
  test::TempDir t;
  std::string file = t / "done.txt";
  auto d = driver(hosts("  backup:\n    command: [" + kHelper + ", record, " + file + ", '{step}']\n    probe: [" +
                        kHelper + ", probe, " + file + ", '{step}']\n"),
                  t);
  // As a killed apply would leave it: the step's process, still at work.
  auto left = spawn({"/bin/sh", "-c", "sleep 0.4; echo CEN/backup >> \"$0\"", file}, t / "o.log",
                    "SMSUP_STEP=test-run/CEN/backup");
  ASSERT_GT(left.pid, 0);
  // posix_spawn returns while the kernel still sets up the new program's
  // environment; a dead run's leftover has long been past that point.
  test::eventually([] { return !processes_with_marker("SMSUP_STEP=test-run/CEN/backup").empty(); }, 1s, 1ms);
  auto began = std::chrono::steady_clock::now();
  auto got = d.probe(make_step("CEN/backup", "backup"));
  auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  std::ifstream in(file);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(got, Probe::done) << "after " << took << " s; file: '" << content << "'";
  EXPECT_GE(took, 0.3) << "the probe did not wait for the process";
  int st = 0;
  waitpid(left.pid, &st, 0);
}

TEST(LogCheck, TheDefaultFollowsASitesLogsFromOneCheckToTheNext) {
  test::TempDir t;
  logs::SampleSite s;
  s.setup_start = logs::make_local_time(2006, 6, 5, 9, 40, 0);
  s.omit = 6;
  logs::write_sample_site(t.path, s);
  LogCheck check = follow_site_logs();
  auto first = check(t.path.string(), "C:\\SMS", std::nullopt);
  EXPECT_FALSE(first.verified);
  EXPECT_NE(first.summary.find("5 of 6 milestones"), std::string::npos) << first.summary;
  EXPECT_EQ(check(t.path.string(), "C:\\SMS", std::nullopt).summary, first.summary);  // nothing new
  logs::append_to_file(t.path / "SMS" / "Logs" / "inboxmgr.log",
                       logs::sms_line("Waiting for changes inbox definition, inbox rules and inbox replication files, "
                                      "max wait = 3600 seconds.",
                                      "SMS_INBOX_MANAGER", logs::make_local_time(2006, 6, 5, 10, 21, 0), 420, 1844));
  auto now = check(t.path.string(), "C:\\SMS", std::nullopt);
  EXPECT_TRUE(now.verified) << now.summary;
  EXPECT_EQ(now.summary, check_site_logs(t.path.string(), "C:\\SMS", std::nullopt).summary);
  auto gone = check((t.path / "not-mounted").string(), "C:\\SMS", std::nullopt);
  EXPECT_FALSE(gone.verified);
  EXPECT_NE(gone.summary.find("is not a folder"), std::string::npos) << gone.summary;
}

TEST(LogCheck, MilestonesOfASetupThatRanBeforeTheStepBeganNeverVerifyIt) {
  // A site upgraded in 2006 whose logs are still there; the step began in 2026.
  test::TempDir t;
  logs::SampleSite s;
  s.setup_start = logs::make_local_time(2006, 6, 5, 9, 40, 0);  // bias 420: 16:40 UTC
  logs::write_sample_site(t.path, s);
  using namespace std::chrono;
  auto epoch = [](sys_seconds at) { return static_cast<double>(at.time_since_epoch().count()); };
  double step_2026 = epoch(sys_days{year{2026} / 11 / 29} + hours(9));
  double step_2006 = epoch(sys_days{year{2006} / 6 / 5} + hours(16));  // 40 min before setup began
  auto old = check_site_logs(t.path.string(), "C:\\SMS", step_2026);
  EXPECT_FALSE(old.verified) << old.summary;
  LogCheck follow = follow_site_logs();
  EXPECT_FALSE(follow(t.path.string(), "C:\\SMS", step_2026).verified);
  // The same logs for a step that began before that setup: verified.
  auto ours = check_site_logs(t.path.string(), "C:\\SMS", step_2006);
  EXPECT_TRUE(ours.verified) << ours.summary;
  EXPECT_TRUE(follow(t.path.string(), "C:\\SMS", step_2006).verified);
}

TEST(HostsFile, UnknownPlaceholderIsRefusedWithItsLine) {
  try {
    parse_hosts(hosts("  backup:\n    command: [tool, '{hots}']\n"), "HOSTS.yaml");
    FAIL() << "accepted {hots}";
  } catch (const InputError& e) {
    EXPECT_EQ(e.loc().line, 6);
    EXPECT_NE(std::string(e.what()).find("{hots}"), std::string::npos) << e.what();
  }
}

TEST(HostsFile, ATypoNamesTheNearestPlaceholderOrKey) {
  auto refusal = [](const std::string& yaml) {
    try {
      parse_hosts(yaml, "HOSTS.yaml");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(refusal(hosts("  backup:\n    command: [tool, '{hots}']\n"))
                .find("unknown placeholder {hots} (did you mean {host}?)"),
            std::string::npos);
  EXPECT_NE(refusal(hosts("  backup:\n    comand: [tool]\n"))
                .find("kinds.backup.comand: unknown key; did you mean 'command'?"),
            std::string::npos);
  EXPECT_NE(refusal("format: smsup-hosts/1\ntimout: 5s\nkinds:\n  backup:\n    command: [tool]\n")
                .find("did you mean 'timeout'?"),
            std::string::npos);
  EXPECT_NE(refusal("format: smsup-hosts/1\nlogs: /mnt/{hots}/C\nkinds:\n  backup:\n    command: [tool]\n")
                .find("(did you mean {host}?)"),
            std::string::npos);
  EXPECT_EQ(refusal(hosts("  backup:\n    command: [tool, '{zzzzzz}']\n")).find("did you mean"), std::string::npos);
}

TEST(HostsFile, ACommandAsOneStringIsRefused) {
  EXPECT_THROW(parse_hosts(hosts("  backup:\n    command: 'tool --site {site}'\n"), "H"), InputError);
  EXPECT_THROW(parse_hosts(hosts("  backup:\n    comand: [tool]\n"), "H"), InputError);
  EXPECT_THROW(parse_hosts(hosts("  backup:\n    command: [tool]\n    timeout: soon\n"), "H"), InputError);
}

TEST(HostsFile, DurationsTakeUnits) {
  EXPECT_DOUBLE_EQ(parse_duration("90")->count(), 90);
  EXPECT_DOUBLE_EQ(parse_duration("30m")->count(), 1800);
  EXPECT_DOUBLE_EQ(parse_duration("1.5h")->count(), 5400);
  EXPECT_DOUBLE_EQ(parse_duration("250ms")->count(), 0.25);
  EXPECT_FALSE(parse_duration("2 days"));
  EXPECT_FALSE(parse_duration("-1s"));
}

TEST(HostsFile, DurationsOutOfRangeAreRefusedWhereTheyStand) {
  // Each of these killed every step at once, or skipped the settle wait.
  for (const char* bad : {"inf", "nan", "1e308", "1e-300", "-0", "0"}) {
    try {
      parse_hosts(hosts(std::string("  backup:\n    command: [tool]\n    timeout: '") + bad + "'\n"), "HOSTS.yaml");
      FAIL() << "accepted timeout " << bad;
    } catch (const InputError& e) {
      EXPECT_EQ(e.loc().line, 7) << e.what();
      EXPECT_EQ(e.field(), "kinds.backup.timeout") << e.what();
    }
  }
  EXPECT_THROW(parse_hosts(hosts("  settle:\n    wait: inf\n"), "H"), InputError);
  EXPECT_THROW(parse_hosts("format: smsup-hosts/1\ntimeout: 1e308\nkinds:\n  backup:\n    command: [tool]\n", "H"),
               InputError);
  EXPECT_NO_THROW(parse_hosts(hosts("  settle:\n    wait: 30m\n"), "H"));
}

TEST(ShellDriver, AStepKindWithoutACommandIsRefusedBeforeAnythingRuns) {
  test::TempDir t;
  auto d = driver(hosts("  backup:\n    command: [/bin/true]\n"), t);
  plan::Plan p;
  p.steps = {make_step("CEN/backup", "backup"), make_step("CEN/dbtest", "dbtest")};
  try {
    d.validate(p);
    FAIL() << "validated a plan with no command for dbtest";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("dbtest"), std::string::npos) << e.what();
  }
  p.steps[1].manual = true;  // a person does it: no command needed
  EXPECT_NO_THROW(d.validate(p));
}

// Found by fuzz_hosts_yaml: a complex key (`? ...`) under kinds: or logs:
// ended in yaml-cpp's unlocated "bad conversion".
TEST(HostsFile, AListOrMappingAsAKeyIsRefusedWhereItStands) {
  try {
    parse_hosts(hosts("  ? [backup, dbtest]\n  : {command: [tool]}\n"), "HOSTS.yaml");
    FAIL() << "accepted a list as a step kind";
  } catch (const InputError& e) {
    EXPECT_EQ(e.loc().line, 5) << e.what();
    EXPECT_NE(std::string(e.what()).find("expected a step kind as the key, not a list or mapping"), std::string::npos)
        << e.what();
  }
}
