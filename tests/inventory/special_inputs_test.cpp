// Whatever a person names as an input (a FIFO, a device, a huge or endless
// file, a file of another encoding, several YAML documents, a name no host can
// have), smsup ends at once with one located message and exit status 2.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "support.h"
#include "util/error.h"

using namespace smsup;
using smsup::test::run_smsup;
using smsup::test::test_dir;
using smsup::test::write_file;

namespace {

const char* kInventory = R"(format: smsup-inventory/1
hierarchy: Special
method: update-quiet
clients: clients.csv
sites:
  - code: CEN
    type: primary
    parent: ~
    version: sp1
    database: {server: CEN01, sql: 2000-sp4, data_mb: 100, log_mb: 10, free_disk_mb: 1000}
    systems:
      - {host: CEN01, os: w2003, roles: [site_server, provider]}
)";

const char* kClients = "name,site,kind,os,client_version\nWS001,CEN,advanced,xp,sp1\n";

std::string refusal(const std::string& yaml, const std::string& csv = kClients) {
  write_file(test_dir() / "clients.csv", csv);
  try {
    inventory::load_text(yaml, "t.yaml", test_dir().string());
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string with_host(const std::string& host) {
  std::string y = kInventory;
  y.replace(y.find("{host: CEN01"), 12, "{host: '" + host + "'");
  return y;
}

}  // namespace

TEST(SpecialInputs, AFifoAsInventoryEndsAtOnceWithExitStatus2) {
  auto fifo = test_dir() / "inv.yaml";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  auto r = run_smsup({"check", fifo.string()});  // hung for ever before
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("is a FIFO (named pipe), not a file"), std::string::npos) << r.err;
}

TEST(SpecialInputs, AFifoAsClientsCsvOrHostsFileEndsAtOnce) {
  write_file(test_dir() / "inv.yaml", kInventory);
  ASSERT_EQ(mkfifo((test_dir() / "clients.csv").c_str(), 0600), 0);
  auto r = run_smsup({"check", (test_dir() / "inv.yaml").string()});
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("clients.csv: is a FIFO"), std::string::npos) << r.err;
}

// The inputs read whole that the first round missed (2026-11-30): serve's
// token file blocked serve for ever on a FIFO (SIGTERM too: the read was
// restarted), and the SMB authentication file and a rehearsal given to report
// blocked on a FIFO and read /dev/zero until memory ran out.
TEST(SpecialInputs, AFifoOrAnEndlessStreamAsTokenAuthOrRehearsalFileEndsAtOnce) {
  auto fifo = test_dir() / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string& special : {fifo.string(), std::string("/dev/zero")}) {
    const std::string said = special == "/dev/zero" ? "/dev/zero: is a character device" : "fifo: is a FIFO";
    const std::vector<std::vector<std::string>> commands = {
        {"logs", "stats", "smb://sms@127.0.0.1:1/C$/SMS/Logs/sitecomp.log", "--smb-auth", special},
        {"serve", "--journal", (test_dir() / "j.db").string(), "--token-file", special},
        {"report", "--rehearsal", special, "-o", (test_dir() / "r.html").string()},
    };
    for (const auto& c : commands) {
      auto r = run_smsup(c);
      EXPECT_EQ(r.status, 2) << c[0] << " with " << special << ": " << r.err;
      EXPECT_NE(r.err.find(said), std::string::npos) << c[0] << ": " << r.err;
    }
  }
}

TEST(SpecialInputs, AnEndlessStreamAsInventoryIsRefusedNotRead) {
  auto r = run_smsup({"check", "/dev/zero"});
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("/dev/zero: is a character device"), std::string::npos) << r.err;
}

TEST(SpecialInputs, SeveralYamlDocumentsAreRefusedAtTheSecond) {
  std::string y = std::string(kInventory) + "---\nformat: smsup-inventory/1\n";
  auto m = refusal(y);
  EXPECT_NE(m.find("t.yaml:13:1: a second YAML document starts here"), std::string::npos) << m;
}

// Found by fuzzing (a cut of examples/contoso): a stray ']' then ',' after a
// document made yaml-cpp's LoadAll produce empty documents for ever, taking
// memory. Now refused at once, naming the line.
TEST(SpecialInputs, AStrayFlowEndAfterTheDocumentIsRefusedNotLoopedOn) {
  const std::string y =
      R"yaml(# Contoso's SMS 2003 hierarchy in June 2006, before the SP2ement_point, distribution_point, client_access_point]
      ,  dcom_fixed: [sms-admins-rem9ote]

  - code: NY1
    name: New York branch (secondary)
    type: secondary
    parent: NAM
    version: sp1
    systems:
      - {host: NYC-SMS01, os: w2003, os_sp: 1, roles: [site_server, client_access_point, cnt]}
)yaml";
  auto m = refusal(y);
  EXPECT_NE(m.find("t.yaml:2:"), std::string::npos) << m;
  EXPECT_NE(m.find("a stray ']'"), std::string::npos) << m;
}

TEST(SpecialInputs, AUtf16ClientsCsvIsRead) {
  std::string csv = kClients, utf16 = "\xFF\xFE";
  for (char c : csv) {
    utf16 += c;
    utf16 += '\0';
  }
  write_file(test_dir() / "clients.csv", utf16);
  auto h = inventory::load_text(kInventory, "t.yaml", test_dir().string());
  ASSERT_EQ(h.clients.size(), 1u);
  EXPECT_EQ(h.clients[0].name, "WS001");
}

TEST(SpecialInputs, CsvErrorsNameLineColumnAndField) {
  auto m = refusal(kInventory, "name,site,kind,os,client_version\nWS001,CEN,advansed,xp,sp1\n");
  EXPECT_NE(m.find("clients.csv:2:11: kind: unknown client kind 'advansed'"), std::string::npos) << m;
}

TEST(SpecialInputs, HostNamesNoWindowsHostCanHaveAreRefusedWhereTheyStand) {
  for (const std::string& bad :
       std::vector<std::string>{"CEN01; rm -rf ~", "$(reboot)", "a b", "`id`", "-CEN01", "CEN01-", "x..y", "<script>",
                                "\"><img", std::string(64, 'A')}) {
    auto m = refusal(with_host(bad));
    EXPECT_NE(m.find("t.yaml:12:"), std::string::npos) << bad << ": " << m;
    EXPECT_NE(m.find("is not a name a Windows host can have"), std::string::npos) << bad << ": " << m;
  }
  for (const std::string& good : std::vector<std::string>{"CEN01", "cen01.corp.contoso.com", "SMS_CEN", "a-b"}) {
    EXPECT_EQ(refusal(with_host(good)), "") << good;
  }
}

// Values are one line of text each: YAML's escapes ("\t", "\e") in a quoted
// value are refused where they stand, not carried to reports and terminals.
TEST(SpecialInputs, AControlCharacterInAnInventoryValueIsRefusedWhereItStands) {
  std::string y = kInventory;
  y.replace(y.find("hierarchy: Special"), 18, "hierarchy: \"Spe\\tcial\"");
  EXPECT_EQ(refusal(y).rfind("t.yaml:2:12: hierarchy: 'Spe\\tcial' holds a control character", 0), 0u) << refusal(y);
  y = kInventory;
  y.replace(y.find("roles: [site_server, provider]"), 30, "roles: [site_server, \"provider\\e[2J\"]");
  EXPECT_NE(refusal(y).find("sites[0].systems[0].roles[1]: 'provider\\x1b[2J' holds a control character"),
            std::string::npos)
      << refusal(y);
  y = kInventory;
  y.replace(y.find("    type: primary"), 17, "    name: \"Head\\noffice\"\n    type: primary");
  EXPECT_NE(refusal(y).find("sites[0].name: 'Head\\noffice' holds a control character"), std::string::npos)
      << refusal(y);
}

TEST(SpecialInputs, DatabaseServersMayNameAnInstanceOrAPort) {
  auto with_server = [](const std::string& s) {
    std::string y = kInventory;
    y.replace(y.find("server: CEN01"), 13, "server: '" + s + "'");
    return y;
  };
  EXPECT_EQ(refusal(with_server("CEN01\\SMS")), "");
  EXPECT_EQ(refusal(with_server("CEN01,1433")), "");
  EXPECT_NE(refusal(with_server("CEN01\\S;MS")).find("instance name SQL Server cannot have"), std::string::npos);
  EXPECT_NE(refusal(with_server("CEN01,x")).find("port that is not a number"), std::string::npos);
  EXPECT_NE(refusal(with_server("CEN 01")).find("is not a name a Windows host can have"), std::string::npos);
}

TEST(SpecialInputs, ClientNamesNoComputerCanHaveAreRefused) {
  auto m = refusal(kInventory, "name,site,kind,os,client_version\n\"WS 1;id\",CEN,advanced,xp,sp1\n");
  EXPECT_NE(m.find("clients.csv:2:"), std::string::npos) << m;
  EXPECT_NE(m.find("is not a name a Windows computer can have"), std::string::npos) << m;
}

TEST(SpecialInputs, DashOToADeviceWritesThroughItAndADirectoryIsRefused) {
  write_file(test_dir() / "clients.csv", kClients);
  write_file(test_dir() / "inv.yaml", kInventory);
  auto r = run_smsup({"check", (test_dir() / "inv.yaml").string(), "-o", "/dev/null"});
  EXPECT_LT(r.status, 2) << r.err;
  struct stat st {};
  ASSERT_EQ(stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/null was replaced by a regular file";
  r = run_smsup({"check", (test_dir() / "inv.yaml").string(), "-o", test_dir().string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("-o: is a directory; expected a file name"), std::string::npos) << r.err;
}
