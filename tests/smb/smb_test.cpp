// smsup over SMB against a real Samba server (smbd) on loopback: verify and
// logs read through libsmbclient give what they give on the same tree read
// locally; bad credentials, a missing share and a dead port are exit 2, in
// words, bounded in time, and no password is ever printed.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "logs/sample.h"
#include "logs/writer.h"
#include "process.h"
#include "samba_server.h"
#include "smb/remote_logs.h"
#include "smb/url.h"
#include "support.h"
#include "util/error.h"

using namespace smsup;
using namespace smsup::smb::testing;
namespace fs = std::filesystem;

namespace {

fs::path fresh_dir(const std::string& name) {
  auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  auto dir = fs::temp_directory_path() / ("smsup-smb-" + std::to_string(::getpid()) + "-" + info->name() + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return fs::canonical(dir);
}

fs::path sample_site(const std::string& name, int omit = 0) {
  fs::path root = fresh_dir(name);
  logs::SampleSite s;
  s.setup_start = logs::make_local_time(2006, 6, 5, 9, 40, 0);
  s.omit = omit;
  logs::write_sample_site(root, s);
  return root;
}

Ran run_smsup(const std::vector<std::string>& args, std::chrono::milliseconds limit = std::chrono::seconds(60)) {
  std::vector<std::string> argv{SMSUP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, {}, limit);
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// smsup's words about a URL name it without the user: smb://127.0.0.1:PORT/site.
std::string shown(const SambaServer& s, const std::string& share = "site") {
  return "smb://127.0.0.1:" + std::to_string(s.port()) + "/" + share;
}

class Smb : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = sample_site("site");
    server_ = std::make_unique<SambaServer>(root_);
    ASSERT_TRUE(server_->running()) << "the real Samba server could not be started: " << server_->error();
  }
  fs::path root_;
  std::unique_ptr<SambaServer> server_;
};

void expect_no_password(const Ran& r, const std::string& password) {
  EXPECT_EQ(r.out.find(password), std::string::npos) << "password printed on stdout";
  EXPECT_EQ(r.err.find(password), std::string::npos) << "password printed on stderr";
}

}  // namespace

TEST_F(Smb, VerifyOverSmbEqualsVerifyOnTheSameTreeLocally) {
  Ran local = run_smsup({"verify", "LAB", "--logs", root_.string(), "--format", "json"});
  Ran remote = run_smsup(
      {"verify", "LAB", "--logs", server_->url(), "--smb-auth", server_->auth_file().string(), "--format", "json"});
  ASSERT_EQ(local.code, 0) << local.err;
  ASSERT_EQ(remote.code, 0) << remote.err;
  auto l = nlohmann::json::parse(replace_all(local.out, root_.string(), "<ROOT>"));
  auto r = nlohmann::json::parse(replace_all(remote.out, shown(*server_), "<ROOT>"));
  EXPECT_EQ(l, r) << "local:\n" << local.out << "\nover SMB:\n" << remote.out;
  EXPECT_EQ(r["files_read"].size(), 4u);
  EXPECT_NE(remote.out.find(shown(*server_) + "/SMS/Logs/sitecomp.log"), std::string::npos) << remote.out;
  expect_no_password(remote, server_->password());
}

TEST_F(Smb, VerifyOverSmbOfAnIncompleteSiteWithARotatedLogEqualsLocal) {
  // Milestone 5 left out, and sitecomp.log rotated: its old part in SITECOMP.LO_.
  fs::path root = sample_site("incomplete", 5);
  fs::path logs = root / "SMS" / "Logs";
  fs::rename(logs / "sitecomp.log", logs / "sitecomp.lo_");
  std::ofstream(logs / "sitecomp.log") << "a new log after the rotation\n";
  SambaServer server(root);
  ASSERT_TRUE(server.running()) << server.error();
  Ran local = run_smsup({"verify", "LAB", "--logs", root.string(), "--format", "json"});
  Ran remote = run_smsup(
      {"verify", "LAB", "--logs", server.url(), "--smb-auth", server.auth_file().string(), "--format", "json"});
  EXPECT_EQ(local.code, 1) << local.err;
  EXPECT_EQ(remote.code, 1) << remote.err;
  auto l = nlohmann::json::parse(replace_all(local.out, root.string(), "<ROOT>"));
  auto r = nlohmann::json::parse(replace_all(remote.out, shown(server), "<ROOT>"));
  EXPECT_EQ(l, r) << "local:\n" << local.out << "\nover SMB:\n" << remote.out;
  EXPECT_EQ(r["files_read"].size(), 5u) << remote.out;
}

TEST_F(Smb, WrongPasswordIsALogonFailureAndNoPasswordIsPrinted) {
  std::string wrong = "Wrong-" + server_->password();
  Ran r = run_smsup({"verify", "LAB", "--logs", server_->url(), "--smb-auth", server_->auth_file(wrong).string()});
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("logon failure"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(shown(*server_)), std::string::npos) << r.err;
  expect_no_password(r, wrong);
  expect_no_password(r, server_->password());
  Ran grep = run_smsup(
      {"logs", "grep", "site", server_->url() + "/SMSSetup.log", "--smb-auth", server_->auth_file(wrong).string()});
  EXPECT_EQ(grep.code, 2);
  EXPECT_NE(grep.err.find("logon failure"), std::string::npos) << grep.err;
  expect_no_password(grep, wrong);
}

TEST_F(Smb, ShareTheUserMayNotUseIsAccessDenied) {
  Ran r = run_smsup({"verify", "LAB", "--logs", server_->url("denied"), "--smb-auth", server_->auth_file().string()});
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("access denied"), std::string::npos) << r.err;
  expect_no_password(r, server_->password());
}

TEST_F(Smb, MissingShareAndMissingFileAreExitTwoInWords) {
  Ran share =
      run_smsup({"verify", "LAB", "--logs", server_->url("nosuchshare"), "--smb-auth", server_->auth_file().string()});
  EXPECT_EQ(share.code, 2) << share.out << share.err;
  EXPECT_NE(share.err.find("no such share"), std::string::npos) << share.err;
  EXPECT_NE(share.err.find(shown(*server_, "nosuchshare")), std::string::npos) << share.err;
  Ran file = run_smsup(
      {"logs", "grep", "x", server_->url() + "/SMS/Logs/nosuch.log", "--smb-auth", server_->auth_file().string()});
  EXPECT_EQ(file.code, 2) << file.out << file.err;
  EXPECT_NE(file.err.find("no such file"), std::string::npos) << file.err;
  EXPECT_NE(file.err.find(shown(*server_) + "/SMS/Logs/nosuch.log"), std::string::npos) << file.err;
}

TEST_F(Smb, LogsGrepScanAndStatsOverSmbFindWhatTheyFindLocally) {
  std::string auth = server_->auth_file().string();
  for (const std::string rel : {"SMS/Logs/sitecomp.log", "SMSSetup.log"}) {
    Ran local = run_smsup({"logs", "grep", "-i", "site", (root_ / rel).string()});
    Ran remote = run_smsup({"logs", "grep", "-i", "site", server_->url() + "/" + rel, "--smb-auth", auth});
    ASSERT_EQ(local.code, 0) << local.err;
    EXPECT_EQ(remote.code, 0) << remote.err;
    EXPECT_FALSE(local.out.empty());
    EXPECT_EQ(replace_all(local.out, root_.string(), "<ROOT>"), replace_all(remote.out, shown(*server_), "<ROOT>"));
  }
  std::vector<std::string> local_files, remote_files;
  for (const std::string rel :
       {"SMSSetup.log", "SMS/Logs/sitecomp.log", "SMS/Logs/hman.log", "SMS/Logs/inboxmgr.log"}) {
    local_files.push_back((root_ / rel).string());
    remote_files.push_back(server_->url() + "/" + rel);
  }
  for (const std::string verb : {"scan", "merge"}) {
    std::vector<std::string> l{"logs", verb, "--format", "json"}, r = l;
    l.insert(l.end(), local_files.begin(), local_files.end());
    r.insert(r.end(), remote_files.begin(), remote_files.end());
    r.insert(r.end(), {"--smb-auth", auth});
    Ran local = run_smsup(l), remote = run_smsup(r);
    ASSERT_EQ(local.code, 0) << local.err;
    EXPECT_EQ(remote.code, 0) << remote.err;
    EXPECT_EQ(replace_all(local.out, root_.string(), "<ROOT>"), replace_all(remote.out, shown(*server_), "<ROOT>"))
        << verb;
  }
  // The environment variable stands for --smb-auth.
  Ran env =
      run({SMSUP_BINARY, "logs", "stats", remote_files[1]}, {}, std::chrono::seconds(60), {{"SMSUP_SMB_AUTH", auth}});
  EXPECT_EQ(env.code, 0) << env.err;
  EXPECT_NE(env.out.find("SMS_SITE_COMPONENT_MANAGER"), std::string::npos) << env.out;
}

TEST_F(Smb, LibraryReadsAByteRangeAndASizeForFollowing) {
  auto creds = smb::read_auth_file(server_->auth_file());
  smb::Url url = smb::parse_url(server_->url() + "/SMS/Logs/hman.log", "test");
  smb::Client client(url, creds);
  std::ifstream in(root_ / "SMS/Logs/hman.log", std::ios::binary);
  std::string whole((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  smb::RemoteFile file(client, url);
  ASSERT_EQ(file.size(), whole.size());
  EXPECT_EQ(client.read(url), whole);
  EXPECT_EQ(file.read(10, 25), whole.substr(10, 25));
  EXPECT_EQ(file.read(whole.size() - 5, 100), whole.substr(whole.size() - 5));
  EXPECT_EQ(file.read(whole.size() + 10, 100), "");
  EXPECT_FALSE(client.size(url.parent().child("nosuch.log")).has_value());
  auto listed = client.list(url.parent());
  EXPECT_EQ(listed.size(), 3u);
}

// A server that stops answering, or dies, once smsup is connected: the read
// is an InputError (exit 2) in words, within the timeout, not a hang.
TEST_F(Smb, ServerThatStopsOrDiesWhileConnectedIsAnErrorWithinTheTimeout) {
  auto creds = smb::read_auth_file(server_->auth_file());
  smb::Url url = smb::parse_url(server_->url() + "/SMS/Logs/sitecomp.log", "test");
  smb::Client client(url, creds, {std::chrono::milliseconds(1500)});
  ASSERT_TRUE(client.size(url).has_value());  // connected and logged on
  server_->signal(SIGSTOP);
  auto start = std::chrono::steady_clock::now();
  try {
    client.read(url);
    ADD_FAILURE() << "a read from a stopped server returned";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no answer within 1500 ms"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("sitecomp.log"), std::string::npos) << e.what();
  }
  // libsmbclient tries the connection again once or twice, each bounded.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
  server_->signal(SIGCONT);

  smb::Client again(url, creds, {std::chrono::milliseconds(1500)});
  ASSERT_TRUE(again.size(url).has_value());
  server_->signal(SIGKILL);
  start = std::chrono::steady_clock::now();
  try {
    again.read(url);
    ADD_FAILURE() << "a read from a dead server returned";
  } catch (const InputError& e) {
    // Dead mid-request, or found dead when libsmbclient connects again.
    std::string what = e.what();
    EXPECT_TRUE(what.find("the server closed the connection") != std::string::npos ||
                what.find("connection refused") != std::string::npos)
        << what;
    EXPECT_NE(what.find("sitecomp.log"), std::string::npos) << what;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
}

// The reading loop of Client::read against a file that is not the size it had
// when it was opened: shrunk (cut short or truncated by its writer), grown
// (written to while read), or exactly that size; and never past `n`.
TEST(SmbRead, ReadsToTheEndOfAFileThatShrankOrGrewSinceItsSize) {
  std::string file;
  for (int i = 0; file.size() < 100000; ++i) file += "line " + std::to_string(i) + "\r\n";
  std::size_t pos = 0, calls = 0, widest = 0;
  auto source = [&](char* into, std::size_t max) {
    ++calls;
    widest = std::max(widest, max);
    std::size_t k = std::min(max, file.size() - pos);
    std::memcpy(into, file.data() + pos, k);
    pos += k;
    return k;
  };
  auto read = [&](std::uint64_t expected, std::size_t n = static_cast<std::size_t>(-1)) {
    pos = calls = widest = 0;
    return smb::read_to_end(expected, n, 4096, source);
  };
  EXPECT_EQ(read(file.size()), file);
  EXPECT_EQ(calls, (file.size() + 4095) / 4096 + 1) << "one call past the end, which finds nothing more";
  EXPECT_EQ(read(file.size() + 50000), file) << "shrunk since its size";
  EXPECT_EQ(read(30000), file) << "grown since its size";
  EXPECT_EQ(read(0), file) << "empty when opened";
  EXPECT_EQ(widest, 4096u);
  EXPECT_EQ(read(file.size(), 12345), file.substr(0, 12345));
  EXPECT_EQ(read(5000, 12345), file.substr(0, 12345)) << "grown, read up to n";
  EXPECT_EQ(pos, 12345u) << "nothing read past n";
  std::string big(5u << 20, 'x');  // big enough to be asked huge pages
  file = big;
  EXPECT_EQ(read(big.size()), big);
  file.clear();
  EXPECT_EQ(read(1000), "");
  // An error of the source (an InputError from the SMB client) goes through.
  auto failing = [](char*, std::size_t) -> std::size_t { throw InputError({"smb://h/s/f.log"}, "", "read failed"); };
  EXPECT_THROW(smb::read_to_end(100, static_cast<std::size_t>(-1), 4096, failing), InputError);
}

TEST(SmbUnreachable, DeadPortAndSilentServerAreExitTwoWithinTheTimeout) {
  auto dir = fresh_dir("auth");
  std::ofstream(dir / "auth") << "username = someone\npassword = Unused-Pw-123\n";
  int port = free_port();
  Ran dead = run_smsup({"verify", "LAB", "--logs", "smb://someone@127.0.0.1:" + std::to_string(port) + "/C$",
                        "--smb-auth", (dir / "auth").string(), "--smb-timeout", "3s"},
                       std::chrono::seconds(30));
  EXPECT_FALSE(dead.timed_out);
  EXPECT_EQ(dead.code, 2) << dead.err;
  EXPECT_NE(dead.err.find("host unreachable"), std::string::npos) << dead.err;
  EXPECT_LT(dead.took, std::chrono::seconds(10));
  expect_no_password(dead, "Unused-Pw-123");

  // A port that accepts connections and never answers: the timeout ends it.
  smsup::test::LoopbackSocket server(smsup::test::LoopbackSocket::silent);
  Ran silent = run_smsup({"logs", "grep", "x", "smb://127.0.0.1:" + std::to_string(server.port()) + "/C$/SMSSetup.log",
                          "--smb-auth", (dir / "auth").string(), "--smb-timeout", "2s"},
                         std::chrono::seconds(30));
  EXPECT_FALSE(silent.timed_out);
  EXPECT_EQ(silent.code, 2) << silent.err;
  EXPECT_NE(silent.err.find("no answer within 2 s"), std::string::npos) << silent.err;
  EXPECT_LT(silent.took, std::chrono::seconds(15));
}

TEST(SmbInput, BadUrlsAreLocatedAndNeverEchoAPassword) {
  EXPECT_THROW(smb::parse_url("smb://", "--logs"), InputError);
  EXPECT_THROW(smb::parse_url("smb://server", "--logs"), InputError);
  EXPECT_THROW(smb::parse_url("smb://server:99999/C$", "--logs"), InputError);
  EXPECT_THROW(smb::parse_url("smb://se rver/C$", "--logs"), InputError);
  EXPECT_THROW(smb::parse_url("smb://server/C$/../x", "--logs"), InputError);
  try {
    smb::parse_url("smb://admin:Secret-Pw-9@server/C$", "--logs");
    FAIL();
  } catch (const InputError& e) {
    std::string what = e.what();
    EXPECT_EQ(what.find("Secret-Pw-9"), std::string::npos) << what;
    EXPECT_NE(what.find("--logs"), std::string::npos) << what;
    EXPECT_EQ(e.loc().column, 12) << what;
  }
  // Found by fuzz/smb_url.cpp: a URL of another scheme was shown whole.
  for (const char* other : {"http://admin:Secret-Pw-9@server/C$", "smsms01.cob://user:Secret-Pw-9@s/x",
                            "//admin:Secret-Pw-9@server/C$", "admin:Secret-Pw-9@server",
                            // found by fuzz/smb_url.cpp: a password holding "//"
                            "smb://user:Secret-Pw-9//x@srv/C$/x%20y"}) {
    try {
      smb::parse_url(other, "--logs");
      FAIL() << other;
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()).find("Secret-Pw-9"), std::string::npos) << e.what();
    }
  }
  auto u = smb::parse_url("SMB://CORP;admin@site-srv.corp.example:4455/SMS_ABC/Logs/%41.log", "--logs");
  EXPECT_EQ(u.domain, "CORP");
  EXPECT_EQ(u.user, "admin");
  EXPECT_EQ(u.server, "site-srv.corp.example");
  EXPECT_EQ(u.port, 4455);
  EXPECT_EQ(u.share, "SMS_ABC");
  EXPECT_EQ(u.path, "Logs/A.log");
  EXPECT_EQ(u.display(), "smb://site-srv.corp.example:4455/SMS_ABC/Logs/A.log");

  Ran r = run_smsup({"verify", "LAB", "--logs", "smb://admin:Secret-Pw-9@server/C$"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.find("Secret-Pw-9"), std::string::npos) << r.err;
  Ran noauth = run_smsup({"verify", "LAB", "--logs", "smb://admin@127.0.0.1:1/C$"});
  EXPECT_EQ(noauth.code, 2);
  EXPECT_NE(noauth.err.find("--smb-auth"), std::string::npos) << noauth.err;
}

// libsmbclient and the ~110 libraries it needs are loaded only when an smb://
// location is used (src/smb/client.cpp): every other run of smsup starts
// without them. ldd lists what the loader maps at start, the binary's own
// needs and those of its libraries.
TEST(SmbLinking, TheBinaryStartsWithoutLibsmbclient) {
  Ran ldd = run({"ldd", SMSUP_BINARY});
  ASSERT_EQ(ldd.code, 0) << "ldd (Debian libc-bin) could not list the libraries of " << SMSUP_BINARY << ": " << ldd.err;
  EXPECT_NE(ldd.out.find("libstdc++"), std::string::npos) << ldd.out;  // ldd did list them
  EXPECT_EQ(ldd.out.find("libsmbclient"), std::string::npos) << "smsup links libsmbclient at start:\n" << ldd.out;
  EXPECT_EQ(ldd.out.find("libsamba"), std::string::npos) << "smsup loads Samba's libraries at start:\n" << ldd.out;
}
