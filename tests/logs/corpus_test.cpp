// Real log lines: every file of shared/corpus/ (written by real SMS, ConfigMgr
// and MDT systems, see its SOURCES.md) and of tests/logs/corpus/ (the spec's
// examples) reads into entries with the right fields.
//
// Two layers:
//   - every file, known or new, holds up generally: each line belongs to an
//     entry, nothing is dropped, no entry keeps a trailer in its message;
//   - every file named in SOURCES.md is held to its own fields: the count of
//     entries and of malformed lines kept as plain text, the components, the
//     thread ids, the zone (or its absence: then UTC is unknown), the first
//     entry's time and message, the severities CMTrace wrote.
// A file added to the corpus without an expectation here fails the test, so
// the table grows with the corpus instead of the corpus being skipped.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "logs/reader.h"
#include "logs/time.h"

using namespace smsup::logs;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> corpus_files(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    auto name = it->path().filename().string();
    auto ext = it->path().extension().string();
    if (name.rfind("README", 0) == 0 || ext == ".md" || name[0] == '.') continue;
    out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string trimmed(std::string_view m) {
  while (!m.empty() && (m.back() == '\r' || m.back() == ' ')) m.remove_suffix(1);
  return std::string(m);
}

// What holds for every file: each entry is whole and its message is clean.
// Malformed lines are kept as plain text, and counted, never dropped.
void check_general(const Log& log) {
  std::uint64_t line = 0;
  for (std::size_t i = 0; i < log.size(); ++i) {
    Entry e = log.entry(i);
    SCOPED_TRACE("line " + std::to_string(e.line));
    EXPECT_GT(e.line, line) << "entries in file order, one line never read twice";
    line = e.line;
    std::string m = trimmed(e.message);
    if (e.format == Format::Plain) {
      EXPECT_FALSE(e.local.has_value());
      continue;
    }
    EXPECT_FALSE(e.unreadable);
    EXPECT_FALSE(m.empty());
    EXPECT_EQ(m.find("$$<"), std::string::npos);
    EXPECT_EQ(m.find("]LOG]!>"), std::string::npos);
    if (e.format == Format::Sms) {
      EXPECT_FALSE(e.component.empty());
    }
    if (e.format == Format::Setup) {
      EXPECT_TRUE(e.local.has_value());
    }
    if (e.bias_minutes) {
      EXPECT_LE(std::abs(*e.bias_minutes), 14 * 60);
    }
    // UTC is known exactly when the line names its zone.
    EXPECT_EQ(e.utc().has_value(), e.local.has_value() && e.bias_minutes.has_value());
  }
}

// What SOURCES.md says a file holds, written from the files themselves.
struct Want {
  std::size_t entries = 0;      // entries the reader yields
  std::size_t unreadable = 0;   // malformed lines kept as plain text
  std::size_t plain = 0;        // plain lines (the unreadable ones included)
  Format format = Format::Sms;  // of every other entry
  std::set<std::string> components;
  std::set<std::uint32_t> threads;  // every thread id seen; empty: no entry has one
  bool timed = true;                // every entry of the format carries a local time
  std::optional<int> bias;          // every timed entry's bias; nullopt: no zone, UTC unknown
  std::string first_local;          // the first entry's local time, format_local
  std::string first_message;
  std::array<std::size_t, 3> severities{};  // info, warning, error (CMTrace files only)
};

const std::map<std::string, Want>& wanted() {
  static const std::map<std::string, Want> w = [] {
    std::map<std::string, Want> m;
    // CMTrace.
    m["brackdk04-smsts.log"] = {
        881,        0,    0,   Format::CmTrace,           {},
        {},         true, 480, "2019-12-06 22:55:38.363", "Used smsts.ini to set logging settings.",
        {879, 1, 1}};  // 579 type="0" and 300 type="1" are info
    m["maxmoonacr-ztigather.log"] = {
        92,        0,    0, Format::CmTrace,           {"ZTIGather"},
        {},        true, 0, "2024-02-20 14:51:55.000", "Property inifile is now = Bootstrap.ini",
        {92, 0, 0}};
    // SMS 2.0 server trace with a zone name.
    m["kb227010-sitecomp.log"] = {3,
                                  0,
                                  0,
                                  Format::Sms,
                                  {"SMS_SITE_COMPONENT_MANAGER"},
                                  {281},
                                  true,
                                  300,
                                  "1999-03-26 10:43:41.547",
                                  "Starting bootstrap operations..."};
    m["kb267889-sitecomp.log"] = {2,
                                  0,
                                  0,
                                  Format::Sms,
                                  {"SMS_SITE_COMPONENT_MANAGER"},
                                  {43},
                                  true,
                                  -60,
                                  "2000-07-03 12:25:46.750",
                                  "Could not install the performance counters."};
    m["kb234360-sinvproc.log"] = {6,
                                  0,
                                  0,
                                  Format::Sms,
                                  {"SMS_SOFTWARE_INVENTORY_PROCESSOR"},
                                  {209},
                                  true,
                                  240,
                                  "1999-05-24 03:56:30.377",
                                  "Processing file: E:\\SMS\\inboxes\\sinv.box\\Eflc4iyv.sid"};
    m["kb248969-sinvproc.log"] = {4, 0, 0, Format::Sms, {"SMS_SOFTWARE_INVENTORY_PROCESSOR"}, {322}, true, 480, "", ""};
    m["kb263359-offersum.log"] = {5,
                                  0,
                                  0,
                                  Format::Sms,
                                  {"SMS_OFFER_STATUS_SUMMARIZER"},
                                  {564},
                                  true,
                                  420,
                                  "2000-08-21 10:12:30.296",
                                  "Error: Could not get a SQL connection from the connection cache. Will try again "
                                  "in 60 seconds. : The handle is invalid."};
    // SMS 1.x: no milliseconds, no zone, '~' after the year, hex threads without 0x.
    m["kb153246-despool.log"] = {22,
                                 0,
                                 0,
                                 Format::Sms,
                                 {"SMS_DESPOOLER"},
                                 {0xE0},
                                 true,
                                 std::nullopt,
                                 "1995-12-04 15:41:45.000",
                                 "Executing instruction of type MICROSOFT|SMS|MINIJOBINSTRUCTION|INVENTORY"};
    m["kb153247-smsexec.log"] = {2, 0, 0, Format::Sms, {"SMS_EXECUTIVE"}, {0xD5}, true, std::nullopt, "", ""};
    m["kb159201-sched.log"] = {2, 0, 0, Format::Sms, {"SMS_SCHEDULER"}, {0xD7}, true, std::nullopt, "", ""};
    m["kb168510-sched.log"] = {
        4,
        0,
        0,
        Format::Sms,
        {"SMS_SCHEDULER"},
        {0x168},
        true,
        std::nullopt,
        "1997-04-21 09:02:14.000",
        "Creating package file '\\\\SERVER\\SMS_SHRI\\site.srv\\sender.box\\tosend\\A0100100.S00'."};
    m["kb169491-despool-dataldr.log"] = {11,
                                         0,
                                         0,
                                         Format::Sms,
                                         {"SMS_DESPOOLER", "SMS_INVENTORY_DATA_LOADER"},
                                         {0xDB, 0x127, 0x6F},
                                         true,
                                         std::nullopt,
                                         "1997-05-21 17:09:02.000",
                                         "Waiting for ready instruction file...."};
    // Last line cut mid-date in the KB: kept as plain text, counted.
    m["kb175763-dataldr.log"] = {8,
                                 1,
                                 1,
                                 Format::Sms,
                                 {"SMS_INVENTORY_DATA_LOADER"},
                                 {0xA0},
                                 true,
                                 std::nullopt,
                                 "1997-11-04 13:07:27.000",
                                 "Adding group: MICROSOFT|IDENTIFICATION|1.0..."};
    m["kb191301-dataldr.log"] = {14,
                                 0,
                                 0,
                                 Format::Sms,
                                 {"SMS_INVENTORY_DATA_LOADER"},
                                 {0x61},
                                 true,
                                 std::nullopt,
                                 "1997-10-16 07:50:19.000",
                                 "Err>General SQL Server error: Check messages from the SQL Server."};
    m["kb193784-pcm.log"] = {5,  0, 0, Format::Sms, {"SMS_PACKAGE_COMMAND_MANAGER_NT"}, {0x112}, true, std::nullopt,
                             "", ""};
    m["kb201764-pcm.log"] = {3,
                             1,
                             1,
                             Format::Sms,
                             {"SMS_PACKAGE_COMMAND_MANAGER_NT"},
                             {0x8D},
                             true,
                             std::nullopt,
                             "1998-08-27 07:29:22.000",
                             "Job still running............"};
    m["kb225533-dataldr.log"] = {
        4, 0, 0, Format::Sms, {"SMS_INVENTORY_DATA_LOADER"}, {0xA4}, true, std::nullopt, "1999-03-31 05:39:12.000", ""};
    // Component only: no date, no thread; components that are DLL names or paths.
    m["kb256073-dataldr.log"] = {7,
                                 0,
                                 1,
                                 Format::Sms,
                                 {"SMS_INVENTORY_DATA_LOADER"},
                                 {},
                                 false,
                                 std::nullopt,
                                 "",
                                 "CDefinedGroup::InsertDefinedAttribute - could not find table"};
    m["kb227025-wn_remote.log"] = {
        29,
        0,
        0,
        Format::Sms,
        {"CliEx32.dll", "C:\\SMSDIR\\MS\\SMS\\CORE\\BIN\\Boot32wn.exe", "C:\\WINNT\\MS\\SMS\\CORE\\BIN\\Boot32wn.exe"},
        {},
        false,
        std::nullopt,
        "",
        "ASSIGNMENT ***************************************"};
    m["kb253648-smsboot1.log"] = {
        2,
        0,
        0,
        Format::Sms,
        {"SMSBOOT1.EXE"},
        {},
        false,
        std::nullopt,
        "",
        "Wrote \"SMSClientPath=C:\\WINDOWS\\\" into file \"C:\\TEMP\\SMSBOOT1.INI\", iRet = 1"};
    m["kb278334-compsumm.log"] = {2,
                                  0,
                                  0,
                                  Format::Sms,
                                  {"SMS_COMPONENT_STATUS_SUMMARIZER"},
                                  {},
                                  false,
                                  std::nullopt,
                                  "",
                                  "Warn>: Received a status message from SMS_EXECUTIVE, a non-SMS component on "
                                  "SERVER1. Ignoring message."};
    // Line 3 has a lone "$<" as printed in the KB: plain, counted.
    m["kb275191-invproc.log"] = {
        13, 1, 1, Format::Sms, {"SMS_INVENTORY_PROCESSOR"}, {}, false, std::nullopt, "", "Reading the RAW file"};
    // SMS 2.0 client logs: milliseconds, no zone.
    // Line 1 lacks the '>' after the component, as printed in the KB: plain, counted.
    m["kb236596-ccim32.log"] = {13,
                                1,
                                1,
                                Format::Sms,
                                {"CCIM32"},
                                {4294798339u},
                                true,
                                std::nullopt,
                                "1999-06-22 01:26:12.050",
                                "Component \"Available Programs Manager Win32\" needs to be verified"};
    m["kb246331-clisvc.log"] = {11,
                                0,
                                0,
                                Format::Sms,
                                {"C:\\WINNT\\MS\\SMS\\CORE\\BIN\\CLISVCL.EXE"},
                                {52, 161},
                                true,
                                std::nullopt,
                                "1999-11-15 16:54:10.112",
                                "Client Configuration Installation Manager - (LAUNCH_CONTINUOUS_START)"};
    m["kb262242-hinv32.log"] = {
        4, 0, 0, Format::Sms, {"Hardware Inventory Agent"}, {175}, true, std::nullopt, "2000-05-05 10:00:20.775", ""};
    m["kb268500-smsapm32.log"] = {
        23, 0, 0, Format::Sms, {"APM"}, {1512, 532}, true, std::nullopt, "2000-05-16 13:17:10.804", ""};
    return m;
  }();
  return w;
}

void check_wanted(const Log& log, const Want& w) {
  EXPECT_EQ(log.size(), w.entries);
  EXPECT_EQ(log.unreadable(), w.unreadable);
  std::size_t plain = 0;
  std::set<std::string> components;
  std::set<std::uint32_t> threads;
  std::array<std::size_t, 3> severities{};
  bool first = true;
  for (std::size_t i = 0; i < log.size(); ++i) {
    Entry e = log.entry(i);
    SCOPED_TRACE("line " + std::to_string(e.line));
    if (e.format == Format::Plain) {
      ++plain;
      continue;
    }
    EXPECT_EQ(e.format, w.format);
    components.insert(std::string(e.component));
    if (e.thread) threads.insert(*e.thread);
    severities[static_cast<int>(e.severity) - 1]++;
    EXPECT_EQ(e.local.has_value(), w.timed);
    if (e.local) {
      EXPECT_EQ(e.bias_minutes, w.bias);
      EXPECT_EQ(e.utc().has_value(), w.bias.has_value());
    }
    if (first) {
      first = false;
      if (!w.first_local.empty()) {
        ASSERT_TRUE(e.local.has_value());
        EXPECT_EQ(format_local(*e.local), w.first_local);
      }
      if (!w.first_message.empty()) {
        EXPECT_EQ(trimmed(e.message), w.first_message);
      }
    }
  }
  EXPECT_EQ(plain, w.plain);
  if (!w.components.empty()) {
    EXPECT_EQ(components, w.components);
  }
  if (w.format == Format::Sms) {
    EXPECT_EQ(threads, w.threads);
  }
  if (w.format == Format::CmTrace) {
    EXPECT_EQ(severities, w.severities);
  }
}

}  // namespace

TEST(Corpus, SpecExamplesReadIntoFields) {
  auto files = corpus_files(fs::path(SMSUP_SOURCE_DIR) / "tests/logs/corpus");
  ASSERT_GE(files.size(), 2u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    Log log = Log::open(f);
    EXPECT_EQ(log.unreadable(), 0u);
    check_general(log);
  }
  Log sms = Log::open(fs::path(SMSUP_SOURCE_DIR) / "tests/logs/corpus/spec-sms.log");
  ASSERT_EQ(sms.size(), 6u);  // comment, 4 single lines, one two-line message
  EXPECT_EQ(sms.entry(5).message, "SQL command:\r\n  SELECT SiteCode FROM Sites");
}

// The shared corpus is part of the project's checkout for developers and CI;
// its absence is a broken set-up, not a reason to pass.
TEST(Corpus, EverySharedCorpusFileReadsIntoTheRightFields) {
  fs::path dir = fs::path(SMSUP_SHARED_DIR) / "corpus";
  ASSERT_TRUE(fs::is_directory(dir)) << dir << " is missing: the shared corpus must sit beside the checkout";
  auto files = corpus_files(dir);
  ASSERT_FALSE(files.empty()) << dir << " holds no log file";
  std::set<std::string> seen;
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    std::string name = f.filename().string();
    Log log = Log::open(f);
    check_general(log);
    auto it = wanted().find(name);
    if (it == wanted().end()) {
      ADD_FAILURE() << name << " is new in the corpus: add what it holds to wanted() in this test";
      continue;
    }
    seen.insert(name);
    check_wanted(log, it->second);
  }
  for (const auto& [name, w] : wanted()) EXPECT_TRUE(seen.count(name)) << name << " is expected but missing";
}

// The quirks of the corpus, one at a time, so a regression names its cause.
TEST(Corpus, Sms1xDateWithTildeHasNoZoneAndHexThread) {
  Log log = Log::from_bytes("Loaded data dictionary   $$<SMS_DESPOOLER><Mon Dec 04 15:41:46 1995~><thread=E0>\n");
  ASSERT_EQ(log.size(), 1u);
  Entry e = log.entry(0);
  EXPECT_EQ(e.format, Format::Sms);
  EXPECT_EQ(format_local(*e.local), "1995-12-04 15:41:46.000");
  EXPECT_FALSE(e.bias_minutes.has_value());
  EXPECT_FALSE(e.utc().has_value());
  EXPECT_EQ(e.thread, 0xE0u);
  EXPECT_EQ(e.message, "Loaded data dictionary");
}

TEST(Corpus, BareDigitsAreHexOnSms1xLinesAndDecimalOnLaterOnes) {
  Log log = Log::from_bytes(
      "a $$<SMS_SCHEDULER><Mon Apr 21 09:02:14 1997~><thread=168>\n"
      "b $$<SMS_SITE_COMPONENT_MANAGER><Fri Mar 26 10:43:41.547 1999 Eastern Standard Time><thread=100>\n"
      "c $$<CCIM32><Tue Jun 22 01:26:12.050 1999><thread=4294798339 (0xFFFD6C03)>\n");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log.entry(0).thread, 0x168u);
  EXPECT_EQ(log.entry(1).thread, 100u);
  EXPECT_EQ(log.entry(2).thread, 4294798339u);
}

TEST(Corpus, TildesThatOpenOrCloseAMessageAreLineBreaksNotText) {
  Log log = Log::from_bytes("~Cannot compress~~   $$<SMS_SCHEDULER><Mon Apr 21 09:02:14 1997~><thread=D7>\n");
  EXPECT_EQ(log.entry(0).message, "Cannot compress");
}

TEST(Corpus, ZoneNamesGiveTheBias) {
  Log log = Log::from_bytes(
      "x $$<C><Mon Jul 03 12:25:46.750 2000 GMT Daylight Time><thread=43 (0x2B)>\n"
      "y $$<C><Mon Aug 21 10:12:30.296 2000 Pacific Daylight Time><thread=564 (0x234)>\n"
      "z $$<C><Mon Aug 21 10:12:30.296 2000 Atlantis Standard Time><thread=564 (0x234)>\n");
  EXPECT_EQ(log.entry(0).bias_minutes, -60);
  EXPECT_EQ(format_utc(*log.entry(0).utc()), "2000-07-03T11:25:46.750Z");
  EXPECT_EQ(log.entry(1).bias_minutes, 420);
  EXPECT_FALSE(log.entry(2).bias_minutes.has_value()) << "an unknown zone is unknown, not UTC";
  EXPECT_FALSE(log.entry(2).utc().has_value());
}

TEST(Corpus, ComponentOnlyLinesPathsAndSpaces) {
  Log log = Log::from_bytes(
      "SQL>>>rollback transaction  $$<SMS_INVENTORY_DATA_LOADER>\n"
      "Calling GetAccessiblePath  $$<C:\\SMSDIR\\MS\\SMS\\CORE\\BIN\\Boot32wn.exe>\n"
      "CLASS - Process Class $$<Hardware Inventory Agent><Fri May 05 10:00:21.186 2000><thread=175 (0xAF)>\n");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log.entry(0).component, "SMS_INVENTORY_DATA_LOADER");
  EXPECT_FALSE(log.entry(0).local.has_value());
  EXPECT_FALSE(log.entry(0).thread.has_value());
  EXPECT_EQ(log.entry(1).component, "C:\\SMSDIR\\MS\\SMS\\CORE\\BIN\\Boot32wn.exe");
  EXPECT_EQ(log.entry(2).component, "Hardware Inventory Agent");
  EXPECT_EQ(log.entry(2).thread, 175u);
}

TEST(Corpus, MalformedLinesAreKeptAsPlainTextAndCounted) {
  std::string lone = "Processing Machine ISV MIF Files... $<SMS_INVENTORY_PROCESSOR>";
  std::string missing = "last done $$<CCIM32<Tue Jun 22 01:26:12.050 1999><thread=1 (0x1)>";
  std::string cut = "terminating thread $$<SMS_INVENTORY_DATA_LOADER><Tue Nov 04 13:07:31";
  std::string fused =
      "one  $$<C><06-05-2006 10:02:11.453+420><thread=1 (0x1)>two  $$<C><06-05-2006 10:02:12.000+420><thread=1 (0x1)>";
  std::string cm_fused =
      "<![LOG[a]LOG]!><time=\"10:00:00.000+000\" date=\"01-01-2020\" component=\"X\" type=\"1\" thread=\"1\">"
      "<![LOG[b]LOG]!><time=\"10:00:01.000+000\" date=\"01-01-2020\" component=\"X\" type=\"1\" thread=\"1\">";
  std::string good = "Converting RAW data to MIF $$<SMS_INVENTORY_PROCESSOR>";
  Log log = Log::from_bytes(good + "\n" + lone + "\n" + good + "\n" + missing + "\n" + fused + "\n" + cm_fused + "\n" +
                            good + "\n" + cut);
  ASSERT_EQ(log.size(), 8u) << "nothing dropped, nothing joined";
  EXPECT_EQ(log.unreadable(), 5u);
  const std::vector<std::string> plain{lone, missing, fused, cm_fused, cut};
  std::vector<std::string> got;
  for (std::size_t i = 0; i < log.size(); ++i) {
    Entry e = log.entry(i);
    if (e.format == Format::Plain) {
      EXPECT_TRUE(e.unreadable);
      got.emplace_back(e.message);
    } else {
      EXPECT_EQ(e.message, "Converting RAW data to MIF");
    }
  }
  EXPECT_EQ(got, plain);
}

TEST(Corpus, CmTraceQuirksOfRealWriters) {
  // type="0", an empty thread, a two- or three-digit bias, file without a line,
  // and a bare LF inside a CRLF file (a multi-line message).
  Log log = Log::from_bytes(
      "\xEF\xBB\xBF<![LOG[Command line]LOG]!><time=\"22:55:38.363+480\" date=\"12-06-2019\" component=\"TSMBootstrap\" "
      "context=\"\" type=\"0\" thread=\"1876\" file=\"tsmbootstrap.cpp:1230\">\r\n"
      "<![LOG[Property]LOG]!><time=\"14:51:55.000+00\" date=\"02-20-2024\" component=\"ZTIGather\" context=\"\" "
      "type=\"1\" thread=\"\" file=\"ZTIGather\">\r\n"
      "<![LOG[first\nsecond]LOG]!><time=\"14:51:56.000+000\" date=\"02-20-2024\" component=\"ZTIGather\" context=\"\" "
      "type=\"3\" thread=\"\" file=\"ZTIGather\">\r\n");
  ASSERT_EQ(log.size(), 3u);
  Entry a = log.entry(0), b = log.entry(1), c = log.entry(2);
  EXPECT_EQ(a.severity, Severity::Info);
  EXPECT_EQ(a.thread, 1876u);
  EXPECT_EQ(a.bias_minutes, 480);
  EXPECT_EQ(a.source_file, "tsmbootstrap.cpp");
  EXPECT_EQ(a.source_line, 1230u);
  EXPECT_FALSE(b.thread.has_value());
  EXPECT_EQ(b.bias_minutes, 0);
  EXPECT_EQ(b.source_file, "ZTIGather");
  EXPECT_EQ(b.source_line, 0u);
  EXPECT_EQ(c.message, "first\nsecond");
  EXPECT_EQ(c.severity, Severity::Error);
  EXPECT_EQ(c.line, 3u);
}
