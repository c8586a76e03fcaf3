// The site servers reached over SMB from a real Samba server on loopback:
// `hosts check` on a good and a broken HOSTS.yaml, `apply --target shell`
// refusing on a failing preflight, and logs followed over SMB as they grow
// (`verify --wait`, the follower on a truncated and a rotated file).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "logs/follow.h"
#include "logs/milestones.h"
#include "logs/sample.h"
#include "logs/writer.h"
#include "plan/plan.h"
#include "process.h"
#include "samba_server.h"
#include "smb/follow.h"
#include "smb/remote_logs.h"
#include "support.h"

using namespace smsup;
namespace fs = std::filesystem;
using smb::testing::SambaServer;

namespace {

plan::Step st(std::string id, std::string kind, std::vector<std::string> after = {}) {
  plan::Step s;
  s.id = std::move(id);
  s.kind = std::move(kind);
  s.site = "CEN";
  s.host = "127.0.0.1";
  s.after = std::move(after);
  s.params = {{"install_dir", "C:\\SMS"}};
  s.title = s.id;
  return s;
}

void write_plan(const fs::path& file, bool with_db_placeholder_step = false) {
  plan::Plan p;
  p.hierarchy = "Contoso";
  p.inventory_sha256 = "none";
  p.created = "2026-11-25T00:00:00Z";
  p.steps = {st("CEN/backup", "backup"), st("CEN/verify", "verify", {"CEN/backup"})};
  (void)with_db_placeholder_step;
  plan::save(p, file);
}

// A folder the Samba server (running as another user) may read: the test's
// own folders are for its owner only. Removed by ~Case.
fs::path shared_dir(const std::string& name) {
  auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  auto dir = fs::temp_directory_path() / ("smsup-smbh-" + std::to_string(::getpid()) + "-" + info->name() + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                           fs::perms::others_exec);
  return fs::canonical(dir);
}

// The site tree the server shares: a finished sample site.
fs::path site_tree(const std::string& name) {
  fs::path root = shared_dir(name);
  logs::SampleSite s;
  s.setup_start = logs::make_local_time(2006, 6, 5, 9, 40, 0);
  logs::write_sample_site(root, s);
  return root;
}

std::string no_user(const SambaServer& s) { return "smb://127.0.0.1:" + std::to_string(s.port()) + "/site"; }

struct Case {
  fs::path root;
  std::unique_ptr<SambaServer> server;
  test::TempDir t;
  std::string auth;
  ~Case() {
    server.reset();
    std::error_code ec;
    if (!root.empty()) fs::remove_all(root, ec);
  }
};

void start(Case& c) {
  c.root = site_tree("share");
  c.server = std::make_unique<SambaServer>(c.root);
  ASSERT_TRUE(c.server->running()) << "the real Samba server could not be started: " << c.server->error();
  c.auth = c.server->auth_file().string();
}

// The log that holds the last milestone, cut just before its line: `rest`
// appended to `file` completes the site again.
struct Cut {
  fs::path file;
  std::string rest;
};

void cut_last_milestone(const Case& c, Cut& cut) {
  const auto& last = logs::milestones().back();
  for (const auto& e : fs::recursive_directory_iterator(c.root))
    if (e.path().filename() == std::string(last.log)) cut.file = e.path();
  ASSERT_FALSE(cut.file.empty()) << "no " << last.log << " in the sample site";
  std::string whole = test::read_file(cut.file);
  auto at = whole.find(std::string(last.text));
  ASSERT_NE(at, std::string::npos) << "milestone text not found in " << cut.file;
  auto line_start = whole.rfind('\n', at);
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  test::write_file(cut.file, whole.substr(0, line_start));
  cut.rest = whole.substr(line_start);
}

void write_hosts(const Case& c, const std::string& logs, const std::string& backup_command,
                 const std::string& marker = "") {
  std::ofstream(c.t / "hosts.yaml") << "format: smsup-hosts/1\n"
                                    << "logs: '" << logs << "'\n"
                                    << "check_timeout: 10s\n"
                                    << "kinds:\n"
                                    << "  backup:\n    command: " << backup_command << "\n"
                                    << "    check: [/bin/sh, -c, 'exit 0', '{host}']\n"
                                    << (marker.empty() ? "" : "    probe: [/bin/true]\n")
                                    << "  verify: {timeout: 5s, poll: 100ms}\n";
}

}  // namespace

TEST(HostsCheck, GoodHostsOverSmbIsReadyAndNeverShowsThePassword) {
  Case c;
  ASSERT_NO_FATAL_FAILURE(start(c));
  write_plan(c.t.path / "plan.json");
  write_hosts(c, c.server->url(), "[/bin/true, '{site}']");
  auto r = test::run_smsup({"hosts", "check", c.t / "hosts.yaml", "--plan", c.t / "plan.json", "--smb-auth", c.auth});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Host 127.0.0.1 (site CEN): ok"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("logs " + no_user(*c.server)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("SMSSetup.log present"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("program /bin/true"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("check backup"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(c.server->password()), std::string::npos);
  EXPECT_EQ(r.err.find(c.server->password()), std::string::npos);

  auto j = test::run_smsup(
      {"hosts", "check", c.t / "hosts.yaml", "--plan", c.t / "plan.json", "--smb-auth", c.auth, "--format", "json"});
  EXPECT_EQ(j.status, 0) << j.err;
  auto doc = nlohmann::json::parse(j.out);
  EXPECT_EQ(doc["ok"], true);
  EXPECT_EQ(doc["hosts"][0]["host"], "127.0.0.1");
}

TEST(HostsCheck, BrokenHostsNamesEachProblemAndApplyRefusesToStart) {
  Case c;
  ASSERT_NO_FATAL_FAILURE(start(c));
  write_plan(c.t.path / "plan.json");
  int dead = smb::testing::free_port();
  fs::path ran = c.t.path / "backup-ran";
  // A program that is not here, a {db} the plan does not give, and a port nothing listens on.
  write_hosts(c, "smb://127.0.0.1:" + std::to_string(dead) + "/site", "[/nonexistent/sqsh, -D, '{db}']");
  auto r = test::run_smsup(
      {"hosts", "check", c.t / "hosts.yaml", "--plan", c.t / "plan.json", "--smb-auth", c.auth, "--smb-timeout", "3s"});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("NOT ready"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("placeholders kinds.backup.command"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("{db}"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("host unreachable"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fix:"), std::string::npos) << r.out;

  // The program alone missing (the placeholders fill): named with its path.
  write_hosts(c, c.server->url(), "[/nonexistent/sqsh, '{site}']");
  r = test::run_smsup({"hosts", "check", c.t / "hosts.yaml", "--plan", c.t / "plan.json", "--smb-auth", c.auth});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL program /nonexistent/sqsh"), std::string::npos) << r.out;

  // apply refuses before it starts anything: exit 2, the table on stderr, the
  // backup (which would leave a file) not run. Here only the logs are out of reach.
  write_hosts(c, "smb://127.0.0.1:" + std::to_string(dead) + "/site",
              "[/bin/sh, -c, 'touch \"$0\"', '" + ran.string() + "', '{site}']");
  auto a = test::run_smsup({"apply", c.t / "plan.json", "--target", "shell", "--hosts", c.t / "hosts.yaml", "--journal",
                            c.t / "j.db", "--plain", "--smb-auth", c.auth, "--smb-timeout", "3s"});
  EXPECT_EQ(a.status, 2) << a.out << a.err;
  EXPECT_NE(a.err.find("FAIL logs smb://127.0.0.1:" + std::to_string(dead) + "/site"), std::string::npos) << a.err;
  EXPECT_NE(a.err.find("host unreachable"), std::string::npos) << a.err;
  EXPECT_NE(a.err.find("--no-preflight"), std::string::npos) << a.err;
  EXPECT_FALSE(fs::exists(ran));
  EXPECT_EQ(a.err.find(c.server->password()), std::string::npos);

  // --no-preflight starts anyway: the backup runs, the verify cannot read the logs.
  auto n = test::run_smsup({"apply", c.t / "plan.json", "--target", "shell", "--hosts", c.t / "hosts.yaml", "--journal",
                            c.t / "n.db", "--plain", "--smb-auth", c.auth, "--smb-timeout", "1s", "--no-preflight"});
  EXPECT_EQ(n.status, 1) << n.out << n.err;
  EXPECT_TRUE(fs::exists(ran));
  auto st = test::run_smsup({"status", "--journal", c.t / "n.db", "--format", "json", "--all"});
  EXPECT_NE(st.out.find("cannot read the logs"), std::string::npos) << st.out;
  EXPECT_EQ(st.out.find(c.server->password()), std::string::npos);
}

TEST(HostsCheck, ApplyOverSmbLogsRunsAfterAGoodPreflightAndVerifiesTheSite) {
  Case c;
  ASSERT_NO_FATAL_FAILURE(start(c));
  write_plan(c.t.path / "plan.json");
  write_hosts(c, c.server->url(), "[/bin/true, '{site}']");
  auto a = test::run_smsup({"apply", c.t / "plan.json", "--target", "shell", "--hosts", c.t / "hosts.yaml", "--journal",
                            c.t / "j.db", "--plain", "--smb-auth", c.auth});
  EXPECT_EQ(a.status, 0) << a.out << a.err;
  auto s = test::run_smsup({"status", "--journal", c.t / "j.db", "--format", "json", "--all"});
  EXPECT_NE(s.out.find("6 of 6 milestones"), std::string::npos) << s.out;
  EXPECT_EQ(s.out.find(c.server->password()), std::string::npos);
}

// verify --wait over SMB sees the last milestone that is written while it runs.
TEST(FollowOverSmb, VerifyWaitSeesAMilestoneAppendedWhileItRuns) {
  Case c;
  ASSERT_NO_FATAL_FAILURE(start(c));
  // The log that holds the last milestone cut just before its line.
  Cut cut;
  ASSERT_NO_FATAL_FAILURE(cut_last_milestone(c, cut));

  auto child = test::start_smsup(
      {"verify", "CEN", "--logs", c.server->url(), "--smb-auth", c.auth, "--wait", "60s", "--poll-ms", "50"});
  ASSERT_TRUE(test::eventually([&] { return child.err().find("5 of 6 milestones so far") != std::string::npos; }))
      << child.err();
  test::append_file(cut.file, cut.rest);
  auto r = child.wait();
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("upgrade complete (verified)"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("6 of 6 milestones so far"), std::string::npos) << r.err;
}

// The follower over SMB reads only the new bytes, and handles a file cut
// short and one rotated to NAME.lo_ on the server as it does locally.
TEST(FollowOverSmb, FollowerSeesAppendsTruncationAndRotation) {
  Case c;
  ASSERT_NO_FATAL_FAILURE(start(c));
  fs::path log = c.root / "follow.log";
  auto line = [](int n) {
    return "entry " + std::to_string(n) + "  $$<comp><06-05-2006 09:40:0" + std::to_string(n % 10) +
           ".000+420><thread=1 (0x1)>\n";
  };
  test::write_file(log, line(1) + line(2));
  smb::Session session(smb::Access{c.auth, {}});
  auto url = smb::parse_url(c.server->url() + "/follow.log", "test");
  logs::LogFollower f(smb::url_path_of(url), smb::smb_opener(session.client_for(url), url));
  EXPECT_EQ(f.poll().size(), 2u);
  EXPECT_EQ(f.poll().size(), 0u);
  test::append_file(log, line(3));
  ASSERT_EQ(f.poll().size(), 1u);

  test::write_file(log, line(4));  // cut short: read again from the start
  auto& after_cut = f.poll();
  EXPECT_TRUE(f.truncated());
  ASSERT_EQ(after_cut.size(), 1u);
  EXPECT_NE(std::string(after_cut[0].entry.message).find("entry 4"), std::string::npos);

  test::append_file(log, line(5));  // written, then rotated before the next poll
  fs::rename(log, c.root / "follow.lo_");
  test::write_file(log, line(6));
  auto& after_rot = f.poll();
  EXPECT_TRUE(f.rotated());
  ASSERT_EQ(after_rot.size(), 2u);
  EXPECT_NE(std::string(after_rot[0].entry.message).find("entry 5"), std::string::npos);
  EXPECT_NE(std::string(after_rot[0].file).find("follow.lo_"), std::string::npos);
  EXPECT_NE(std::string(after_rot[1].entry.message).find("entry 6"), std::string::npos);
}

TEST(FollowOverSmb, LogsTailPrintsAFileOverSmb) {
  Case c;
  ASSERT_NO_FATAL_FAILURE(start(c));
  auto r = test::run_smsup(
      {"logs", "tail", "-n", "2", c.server->url() + "/SMSSetup.log", "--smb-auth", c.auth, "-f", "--for", "300ms"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find(no_user(*c.server) + "/SMSSetup.log"), std::string::npos) << r.out;
}

// The first poll of a site followed over SMB verifies from one reading of
// each log, and the followers start where that reading ended: a poll with
// nothing written is no change, a milestone appended is one.
TEST(FollowOverSmb, SiteFollowerReadsEachLogOnceThenOnlyWhatIsNew) {
  Case c;
  ASSERT_NO_FATAL_FAILURE(start(c));
  Cut cut;
  ASSERT_NO_FATAL_FAILURE(cut_last_milestone(c, cut));

  smb::Session session(smb::Access{c.auth, {}});
  auto root = smb::parse_url(c.server->url(), "test");
  smb::RemoteSiteFollower site(root, session, "C:\\SMS", std::nullopt);
  ASSERT_TRUE(site.poll());
  auto once = smb::verify_site(root, session);
  EXPECT_EQ(logs::milestones_key(site.result()), logs::milestones_key(once));
  EXPECT_EQ(site.result().files_read, once.files_read);
  EXPECT_FALSE(site.result().verified);
  EXPECT_FALSE(site.poll());  // nothing written since the first reading
  test::append_file(cut.file, cut.rest);
  ASSERT_TRUE(site.poll());
  EXPECT_TRUE(site.result().verified) << (site.result().notes.empty() ? "" : site.result().notes.front());
  EXPECT_FALSE(site.poll());
}
