#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "logs/milestones.h"
#include "logs/reader.h"
#include "logs/time.h"
#include "logs/writer.h"
#include "support.h"
#include "util/error.h"

using namespace smsup::logs;
using smsup::test::fresh_dir;
using smsup::test::write_file;

namespace {

std::string utf16le(std::string_view ascii, bool bom) {
  std::string out = bom ? std::string("\xFF\xFE", 2) : std::string();
  for (char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

}  // namespace

TEST(Reader, SmsServerLineYieldsEveryField) {
  Log log = Log::from_bytes(
      "Site shutdown complete.  $$<SMS_SITE_COMPONENT_MANAGER><06-05-2006 10:02:11.453+420><thread=2216 (0x8A8)>\r\n");
  ASSERT_EQ(log.size(), 1u);
  Entry e = log.entry(0);
  EXPECT_EQ(e.format, Format::Sms);
  EXPECT_EQ(e.message, "Site shutdown complete.");
  EXPECT_EQ(e.component, "SMS_SITE_COMPONENT_MANAGER");
  EXPECT_EQ(format_local(*e.local), "2006-06-05 10:02:11.453");
  EXPECT_EQ(*e.bias_minutes, 420);
  EXPECT_EQ(format_utc(*e.utc()), "2006-06-05T17:02:11.453Z");
  EXPECT_EQ(*e.thread, 2216u);
  EXPECT_EQ(e.severity, Severity::Info);
  EXPECT_EQ(e.line, 1u);
  EXPECT_FALSE(e.unreadable);
  EXPECT_EQ(log.unreadable(), 0u);
}

TEST(Reader, SmsSeverityFollowsSmsTraceHighlighting) {
  Log log = Log::from_bytes(
      "Failed to open registry key  $$<SMS_X><06-05-2006 10:02:11.453+420><thread=1 (0x1)>\n"
      "An ERROR occurred  $$<SMS_X><06-05-2006 10:02:11.453+420><thread=1 (0x1)>\n"
      "Warning: low disk space  $$<SMS_X><06-05-2006 10:02:11.453+420><thread=1 (0x1)>\n"
      "All is well  $$<SMS_X><06-05-2006 10:02:11.453+420><thread=1 (0x1)>\n");
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log.entry(0).severity, Severity::Error);
  EXPECT_EQ(log.entry(1).severity, Severity::Error);
  EXPECT_EQ(log.entry(2).severity, Severity::Warning);
  EXPECT_EQ(log.entry(3).severity, Severity::Info);
}

TEST(Reader, TildeMessageSpanningLinesIsOneEntry) {
  Log log = Log::from_bytes(
      "first  $$<SMS_X><06-05-2006 10:00:00.000+420><thread=1 (0x1)>\r\n"
      "~Executing SQL:\r\n"
      "  SELECT * FROM Sites\r\n"
      "  WHERE SiteCode = 'LAB'  $$<SMS_X><06-05-2006 10:00:01.000+420><thread=7 (0x7)>\r\n"
      "after  $$<SMS_X><06-05-2006 10:00:02.000+420><thread=1 (0x1)>\r\n");
  ASSERT_EQ(log.size(), 3u);
  Entry e = log.entry(1);
  EXPECT_EQ(e.format, Format::Sms);
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.message, "Executing SQL:\r\n  SELECT * FROM Sites\r\n  WHERE SiteCode = 'LAB'");
  EXPECT_EQ(*e.thread, 7u);
  EXPECT_EQ(log.entry(2).line, 5u);
  EXPECT_EQ(log.entry(2).message, "after");
}

TEST(Reader, Sms20DateWithZoneNameAndThreadWithoutHex) {
  Log log = Log::from_bytes(
      "Service started.  $$<SMS_EXECUTIVE><Fri Mar 26 10:43:41.547 1999 Eastern Standard Time><thread=100>\n");
  Entry e = log.entry(0);
  EXPECT_EQ(e.format, Format::Sms);
  EXPECT_EQ(e.component, "SMS_EXECUTIVE");
  EXPECT_EQ(format_local(*e.local), "1999-03-26 10:43:41.547");
  EXPECT_EQ(*e.bias_minutes, 300);
  EXPECT_EQ(*e.thread, 100u);
  EXPECT_FALSE(e.unreadable);
}

TEST(Reader, ComponentWithoutDateHasNoTime) {
  Log log = Log::from_bytes("Starting up  $$<SMS_SITE_BACKUP>\nNext  $$<SMS_SITE_BACKUP><thread=12>\n");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log.entry(0).component, "SMS_SITE_BACKUP");
  EXPECT_FALSE(log.entry(0).local);
  EXPECT_FALSE(log.entry(0).thread);
  EXPECT_EQ(*log.entry(1).thread, 12u);
}

TEST(Reader, CmTraceLineYieldsEveryField) {
  Log log = Log::from_bytes(
      "<![LOG[Client is registered.]LOG]!><time=\"10:02:11.453+420\" date=\"06-05-2006\" "
      "component=\"ClientIDManagerStartup\" context=\"\" type=\"2\" thread=\"2216\" file=\"regtask.cpp:1053\">\r\n");
  Entry e = log.entry(0);
  EXPECT_EQ(e.format, Format::CmTrace);
  EXPECT_EQ(e.message, "Client is registered.");
  EXPECT_EQ(e.component, "ClientIDManagerStartup");
  EXPECT_EQ(format_local(*e.local), "2006-06-05 10:02:11.453");
  EXPECT_EQ(*e.bias_minutes, 420);
  EXPECT_EQ(*e.thread, 2216u);
  EXPECT_EQ(e.severity, Severity::Warning);
  EXPECT_EQ(e.source_file, "regtask.cpp");
  EXPECT_EQ(e.source_line, 1053u);
}

TEST(Reader, CmTraceAttributesInAnyOrderAndCaseOrMissing) {
  Log log = Log::from_bytes(
      "<![LOG[one]LOG]!><THREAD=\"9\" Type=\"3\" COMPONENT=\"Comp\" Date=\"6-5-2006\" Time=\"08:00:00.000-060\">\n"
      "<![LOG[two failed]LOG]!><component=\"Comp\">\n"
      "<![LOG[three]LOG]!><>\n");
  ASSERT_EQ(log.size(), 3u);
  Entry a = log.entry(0);
  EXPECT_EQ(a.component, "Comp");
  EXPECT_EQ(*a.thread, 9u);
  EXPECT_EQ(a.severity, Severity::Error);
  EXPECT_EQ(format_utc(*a.utc()), "2006-06-05T07:00:00.000Z");
  Entry b = log.entry(1);
  EXPECT_EQ(b.component, "Comp");
  EXPECT_FALSE(b.local);
  EXPECT_EQ(b.severity, Severity::Error);  // no type: the words decide
  Entry c = log.entry(2);
  EXPECT_EQ(c.format, Format::CmTrace);
  EXPECT_EQ(c.message, "three");
  EXPECT_TRUE(c.component.empty());
}

TEST(Reader, CmTraceMessageWithNewlinesIsOneEntry) {
  Log log = Log::from_bytes(
      "<![LOG[line one\r\nline two\r\nline three]LOG]!><time=\"10:00:00.000+000\" date=\"01-02-2007\" component=\"C\" "
      "type=\"1\">\r\n"
      "<![LOG[next]LOG]!><time=\"10:00:01.000+000\" date=\"01-02-2007\" component=\"C\" type=\"1\">\r\n");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log.entry(0).message, "line one\r\nline two\r\nline three");
  EXPECT_EQ(log.entry(1).line, 4u);
}

TEST(Reader, UnclosedCmTraceEntryIsKeptAsPlainAndCounted) {
  Log log = Log::from_bytes(
      "<![LOG[never closed\n"
      "<![LOG[fine]LOG]!><component=\"C\">\n");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log.entry(0).format, Format::Plain);
  EXPECT_TRUE(log.entry(0).unreadable);
  EXPECT_EQ(log.entry(0).message, "<![LOG[never closed");
  EXPECT_EQ(log.entry(1).message, "fine");
  EXPECT_EQ(log.unreadable(), 1u);
}

TEST(Reader, PlainLinesAreKeptWithoutTime) {
  Log log = Log::from_bytes("hello\n\nworld\n");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log.entry(0).format, Format::Plain);
  EXPECT_EQ(log.entry(2).message, "world");
  EXPECT_EQ(log.entry(2).line, 3u);
  EXPECT_FALSE(log.entry(0).local);
  EXPECT_EQ(log.unreadable(), 0u);
}

TEST(Reader, BrokenSmsTrailerIsPlainAndCounted) {
  Log log = Log::from_bytes("Cut short  $$<SMS_X><06-05-2006 10:0\nnext line\n");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log.entry(0).format, Format::Plain);
  EXPECT_TRUE(log.entry(0).unreadable);
  EXPECT_EQ(log.unreadable(), 1u);
}

TEST(Reader, SetupLogLinesCarryLocalTime) {
  Log log = Log::from_bytes(setup_line("SMS Setup completed successfully.", make_local_time(2006, 6, 5, 9, 52, 0)));
  Entry e = log.entry(0);
  EXPECT_EQ(e.format, Format::Setup);
  EXPECT_EQ(e.message, "SMS Setup completed successfully.");
  EXPECT_EQ(format_local(*e.local), "2006-06-05 09:52:00.000");
  EXPECT_FALSE(e.bias_minutes);
}

TEST(Reader, TruncatedLastLineIsReadAndFlagged) {
  Log log = Log::from_bytes(
      "done  $$<SMS_X><06-05-2006 10:00:00.000+420><thread=1 (0x1)>\r\n"
      "being writ");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_TRUE(log.truncated_tail());
  EXPECT_EQ(log.entry(1).message, "being writ");
  EXPECT_EQ(log.entry(1).format, Format::Plain);
}

TEST(Reader, Utf16LeWithBomIsConverted) {
  std::string line =
      "Site shutdown complete.  $$<SMS_SITE_COMPONENT_MANAGER><06-05-2006 10:02:11.453+420><thread=2216 (0x8A8)>\r\n";
  auto dir = fresh_dir("u16");
  write_file(dir / "sitecomp.log", utf16le(line + line, true));
  Log log = Log::open(dir / "sitecomp.log");
  EXPECT_EQ(log.encoding(), Encoding::Utf16Le);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log.entry(1).component, "SMS_SITE_COMPONENT_MANAGER");
  EXPECT_EQ(*log.entry(1).thread, 2216u);
  EXPECT_EQ(log.entry(1).line, 2u);
}

TEST(Reader, Utf16LeWithoutBomAndNonAsciiAreConverted) {
  // "Café" in UTF-16 LE: é is 0x00E9.
  std::string bytes = utf16le("Caf", false) + std::string("\xE9\x00", 2) + utf16le("\n", false);
  Log log = Log::from_bytes(bytes);
  EXPECT_EQ(log.encoding(), Encoding::Utf16Le);
  EXPECT_EQ(log.entry(0).message, "Caf\xC3\xA9");
}

TEST(Reader, Utf8BomIsDroppedAndCrlfIsNotPartOfFields) {
  Log log = Log::from_bytes("\xEF\xBB\xBFok  $$<SMS_X><06-05-2006 10:00:00.000+420><thread=1 (0x1)>\r\n");
  EXPECT_EQ(log.encoding(), Encoding::Utf8Bom);
  EXPECT_EQ(log.entry(0).message, "ok");
  EXPECT_EQ(*log.entry(0).thread, 1u);
}

TEST(Reader, RotatedFileIsReadFirst) {
  auto dir = fresh_dir("rot");
  write_file(dir / "sitecomp.lo_", "old\n");
  write_file(dir / "sitecomp.log", "new\n");
  auto files = with_rotated(dir / "sitecomp.log");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].filename(), "sitecomp.lo_");
  EXPECT_EQ(files[1].filename(), "sitecomp.log");
  EXPECT_EQ(with_rotated(dir / "other.log").size(), 1u);
}

TEST(Reader, MissingFileIsBadInput) { EXPECT_THROW(Log::open("/nonexistent/smsup/x.log"), smsup::InputError); }

TEST(Reader, WriterLinesReadBackToTheSameFields) {
  auto t = make_local_time(2007, 12, 31, 23, 59, 58, 7);
  Log log = Log::from_bytes(sms_line("m1", "SMS_A", t, -60, 0xABC) +
                            cmtrace_line("m2", "CompB", t, 300, 77, Severity::Error, "f.cpp:9"));
  ASSERT_EQ(log.size(), 2u);
  Entry a = log.entry(0), b = log.entry(1);
  EXPECT_EQ(a.message, "m1");
  EXPECT_EQ(*a.bias_minutes, -60);
  EXPECT_EQ(*a.local, t);
  EXPECT_EQ(*a.thread, 0xABCu);
  EXPECT_EQ(b.message, "m2");
  EXPECT_EQ(*b.local, t);
  EXPECT_EQ(*b.bias_minutes, 300);
  EXPECT_EQ(b.severity, Severity::Error);
  EXPECT_EQ(b.source_line, 9u);
}

TEST(Reader, HostileInputNeverLoopsAndKeepsEveryByte) {
  // Many unclosed CMTrace starts, markers without trailers, stray brackets.
  std::string bytes;
  for (int i = 0; i < 2000; ++i) bytes += "<![LOG[x $$< <> ]LOG] <thread=\n$$<\r\n>>>\n";
  Log log = Log::from_bytes(bytes);
  std::uint64_t covered = 0;
  for (std::size_t i = 0; i < log.size(); ++i) covered += log.span(i).end - log.span(i).offset;
  EXPECT_GT(log.size(), 5000u);
  EXPECT_GT(log.unreadable(), 0u);
  EXPECT_LE(covered, bytes.size());
}

TEST(Time, UserTimesAndDurations) {
  EXPECT_EQ(format_utc(*parse_user_time("2006-06-05T10:02:11Z")), "2006-06-05T10:02:11.000Z");
  EXPECT_EQ(format_utc(*parse_user_time("2006-06-05 12:02:11+02:00")), "2006-06-05T10:02:11.000Z");
  EXPECT_EQ(format_utc(*parse_user_time("2006-06-05")), "2006-06-05T00:00:00.000Z");
  EXPECT_FALSE(parse_user_time("yesterday"));
  EXPECT_FALSE(parse_user_time("2006-13-05"));
  EXPECT_EQ(format_utc(*parse_user_time("2006-06-05T16:40:00-0430")), "2006-06-05T21:10:00.000Z");
  EXPECT_EQ(format_utc(*parse_user_time("2006-06-05T16:40:00+14:00")), "2006-06-05T02:40:00.000Z");
  for (const char* zone : {"+99:00", "+15:00", "+05:60", "+05:", "+5"})
    EXPECT_FALSE(parse_user_time(std::string("2006-06-05T16:40:00") + zone)) << zone;
  EXPECT_EQ(parse_duration("1h30m")->count(), 90 * 60 * 1000);
  EXPECT_EQ(parse_duration("45")->count(), 45000);
  EXPECT_FALSE(parse_duration("soon"));
}

TEST(Scanner, LineCountMatchesAPlainCountAtEveryLength) {
  std::string s;
  for (int i = 0; i < 9000; ++i) s += (i % 7 == 0 || i % 131 == 5) ? '\n' : static_cast<char>('a' + i % 26);
  for (std::size_t len : {0u, 1u, 15u, 16u, 17u, 4079u, 4080u, 4081u, 9000u}) {
    std::string_view v(s.data(), len);
    EXPECT_EQ(count_lines(v), static_cast<std::uint64_t>(std::count(v.begin(), v.end(), '\n'))) << len;
  }
}

TEST(Scanner, FindsEachMilestoneWithoutRegardToCaseOrInstallPath) {
  MilestoneScanner scanner;
  std::string text =
      "sms setup COMPLETED successfully\n"
      "Waiting for changes to the \"D:\\Program Files\\SMS\\inboxes\\sitectrl.box\" or \"D:\\Program "
      "Files\\SMS\\inboxes\\sitecomp.box\" directories\n"
      "Waiting for changes to the \xE2\x80\x9C"
      "C:\\SMS\\Inboxes\\Sitectrl.box\xE2\x80\x9D or \xE2\x80\x9C"
      "C:\\SMS\\Inboxes\\Sitecomp.box\xE2\x80\x9D directories\n"
      "Waiting for changes to the \"C:\\SMS\\Inboxes\\Sitectrl.box\"\nor \"C:\\SMS\\Inboxes\\Sitecomp.box\" "
      "directories\n"
      "Site shutdown\ncomplete\n";
  auto hits = scanner.scan(text);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].milestone, 0);
  EXPECT_EQ(hits[1].milestone, 3);
  EXPECT_EQ(hits[2].milestone, 3);
  EXPECT_TRUE(scanner.scan(text, 1u << 3).size() == 2u);
}

// A mapped log (8 MiB and more) truncated in place while it is read: SIGBUS
// would kill the process; the reader goes on, the lost part reads as NUL
// bytes, and the loss is reported.
TEST(LogText, AMappedFileTruncatedUnderTheReaderIsSurvivedAndReported) {
  auto dir = std::filesystem::temp_directory_path() / ("smsup-shrink-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / "big.log";
  {
    std::ofstream out(path, std::ios::binary);
    std::string line = "Component is alive.  $$<SMS_X><06-05-2006 10:02:11.453+420><thread=1 (0x1)>\n";
    for (std::size_t n = 0; n < (9u << 20); n += line.size()) out << line;
  }
  LogText t = LogText::open(path);
  ASSERT_GE(t.text().size(), 9u << 20);
  EXPECT_FALSE(t.shrank_while_read());
  ASSERT_EQ(::truncate(path.c_str(), 1 << 20), 0);
  std::size_t nonzero = 0;
  for (char c : t.text()) nonzero += c != '\0';  // would die of SIGBUS past 1 MiB
  EXPECT_TRUE(t.shrank_while_read());
  EXPECT_GE(nonzero, 1u << 20);
  EXPECT_LT(nonzero, (1u << 20) + 4096 * 2);
  // A second reader of the same, now small, file is not affected.
  LogText small = LogText::open(path);
  EXPECT_EQ(small.text().size(), 1u << 20);
  EXPECT_FALSE(small.shrank_while_read());
  std::filesystem::remove_all(dir);
}
