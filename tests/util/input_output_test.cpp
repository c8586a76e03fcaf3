// Files a person names: whatever the path is (a FIFO, a device, a directory,
// an endless or huge file), reading it ends with the content or one message;
// writing -o never replaces a device with a regular file.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "support.h"
#include "util/error.h"
#include "util/input_file.h"
#include "util/json_input.h"
#include "util/output_file.h"

namespace fs = std::filesystem;
using namespace smsup;
using smsup::test::test_dir;
using smsup::test::write_file;

namespace {

std::string read_error(const fs::path& p, std::uint64_t limit = 1 << 20) {
  try {
    read_input_file(p, "an smsup inventory (YAML)", limit);
  } catch (const InputError& e) {
    EXPECT_EQ(e.loc().file, p.string());
    return e.what();
  }
  return "";
}

}  // namespace

TEST(InputFile, ReadsARegularFileWhole) {
  auto p = test_dir() / "inv.yaml";
  write_file(p, "format: smsup-inventory/1\n");
  EXPECT_EQ(read_input_file(p, "x", 100), "format: smsup-inventory/1\n");
}

TEST(InputFile, RefusesAFifoWithoutWaitingForAWriter) {
  auto p = test_dir() / "fifo";
  ASSERT_EQ(mkfifo(p.c_str(), 0600), 0);
  // A blocking open would never return: the test would hang, not fail.
  EXPECT_NE(read_error(p).find("is a FIFO (named pipe), not a file; expected an smsup inventory"), std::string::npos);
}

TEST(InputFile, RefusesDevicesSoAnEndlessStreamCostsNoMemory) {
  EXPECT_NE(read_error("/dev/zero").find("is a character device, not a file"), std::string::npos);
  EXPECT_NE(read_error("/dev/null").find("is a character device"), std::string::npos);
}

TEST(InputFile, RefusesADirectoryAndAMissingFile) {
  EXPECT_NE(read_error(test_dir()).find("is a directory"), std::string::npos);
  EXPECT_NE(read_error(test_dir() / "nope.yaml").find("no such file"), std::string::npos);
}

TEST(InputFile, RefusesAFileLargerThanItsLimitNamingTheLimit) {
  auto p = test_dir() / "big.yaml";
  write_file(p, std::string(2048, 'a'));
  EXPECT_NE(read_error(p, 1024).find("is larger than 1 KiB, the most smsup reads for an smsup inventory"),
            std::string::npos);
  EXPECT_EQ(read_input_file(p, "x", 2048).size(), 2048u);  // at the limit is fine
}

TEST(InputFile, BoundsFilesThatSayTheyAreEmptyButAreNot) {
  // /proc files report size 0 and still have content: the limit holds for them too.
  EXPECT_FALSE(read_input_file("/proc/self/status", "x", 1 << 20).empty());
  EXPECT_NE(read_error("/proc/self/status", 16).find("is larger than 16 bytes"), std::string::npos);
}

TEST(InputFile, ConvertsUtf16WithAByteOrderMarkToUtf8) {
  std::string le(
      "\xFF\xFE"
      "n\0a\0m\0e\0\n\0\xE9\0",
      14);
  EXPECT_EQ(utf8_from_utf16(le, "x.csv"), "name\n\xC3\xA9");
  std::string be("\xFE\xFF\0o\0k", 6);
  EXPECT_EQ(utf8_from_utf16(be, "x.csv"), "ok");
  EXPECT_EQ(utf8_from_utf16("plain", "x.csv"), "plain");
  std::string broken("\xFF\xFE\x00\xD8", 4);  // a lone high surrogate
  EXPECT_THROW(utf8_from_utf16(broken, "x.csv"), InputError);
}

TEST(OutputFile, ReplacesARegularFileWholeAndLeavesNoTemporaryFile) {
  auto p = test_dir() / "report.txt";
  write_file(p, "old content that is longer");
  write_output_file(p, "-o", "new");
  EXPECT_EQ(smsup::test::read_file(p), "new");
  int files = 0;
  for (const auto& e : fs::directory_iterator(test_dir())) files += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 1);
}

// A file written as it is produced (the collected clients): the old file
// stays until commit(), and an error on the way (no commit) leaves it and no
// temporary file.
TEST(OutputFile, AWriterReplacesOnlyOnCommit) {
  auto p = test_dir() / "clients.csv";
  write_file(p, "old");
  {
    OutputFileWriter w(p, "-o");
    w.write("half of ");
    EXPECT_EQ(smsup::test::read_file(p), "old");
  }
  EXPECT_EQ(smsup::test::read_file(p), "old");
  {
    OutputFileWriter w(p, "-o");
    w.write("new ");
    w.write("rows");
    w.commit();
  }
  EXPECT_EQ(smsup::test::read_file(p), "new rows");
  int files = 0;
  for (const auto& e : fs::directory_iterator(test_dir())) files += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 1);
}

TEST(OutputFile, WritesThroughACharacterDeviceInsteadOfReplacingIt) {
  write_output_file("/dev/null", "-o", "gone");
  struct stat st {};
  ASSERT_EQ(stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/null was replaced by a regular file";
}

TEST(OutputFile, RefusesADirectory) {
  try {
    write_output_file(test_dir(), "-o", "x");
    FAIL() << "a directory was accepted as -o";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("-o: is a directory; expected a file name"), std::string::npos);
  }
}

// Found by fuzz/clients_csv.cpp and fuzz/estimates.cpp: a value in the field
// (a CSV column name, an estimates key) made messages of 556 and 514 bytes.
// File, field and text together stay under 512 bytes.
TEST(ErrorMessages, StayUnder512BytesWhenFileAndFieldHoldLongValuesToo) {
  std::string column = std::string("slas\0\0", 6) + std::string(300, '-') + std::string(200, '\xa5');
  InputError e({std::string(400, 'f') + ".csv", 1, 0}, column,
               "unknown column; expected name, site, kind, os, os_sp, arch, ie, client_version, "
               "autoupgrade_disabled, reassign_to, http_port");
  std::string m = e.what();
  EXPECT_LE(m.size(), 512u) << m;
  EXPECT_EQ(m.find('\0'), std::string::npos);
  EXPECT_TRUE(m.ends_with("reassign_to, http_port")) << m;
  InputError short_one({"c.csv", 1, 0}, "slas", "unknown column");
  EXPECT_EQ(std::string(short_one.what()), "c.csv:1: slas: unknown column");
}

TEST(ErrorMessages, AreOneLineOfReadableSizeWhateverTheValue) {
  std::string value = std::string("a\nb\0c", 5) + std::string(1 << 20, 'x');
  InputError e({"inv.yaml", 3, 7}, "sites[0].code", "'" + value + "' is not a site code");
  std::string m = e.what();
  EXPECT_EQ(m.find('\n'), std::string::npos);
  EXPECT_EQ(m.find('\0'), std::string::npos);
  EXPECT_LT(m.size(), 700u);
  EXPECT_TRUE(m.starts_with("inv.yaml:3:7: sites[0].code: 'a\\nb\\0c")) << m;
  EXPECT_NE(m.find("bytes cut"), std::string::npos);
  EXPECT_TRUE(m.ends_with("' is not a site code")) << m.substr(m.size() - 40);
}

// ---- JSON inputs ----

namespace {
InputError json_refusal(const std::string& text) {
  try {
    parse_json_input(text, "in.json", "--x", "an example");
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "parsed: " << text;
  return InputError({}, "", "");
}
}  // namespace

TEST(JsonInput, SyntaxErrorsAreLocated) {
  auto e = json_refusal("{\"a\": 1,\n  \"b\": [\n}");
  EXPECT_EQ(e.loc().file, "in.json");
  EXPECT_EQ(e.loc().line, 3);
  EXPECT_EQ(e.loc().column, 1);
  EXPECT_EQ(e.field(), "--x");
  EXPECT_EQ(e.message(), "not valid JSON; expected an example");
}

// Found by fuzzing the plan reader: nlohmann throws out_of_range, not
// parse_error, for a number no double holds, and it escaped every reader of
// JSON as an unlocated "[json.exception.out_of_range.406] ..." message (and
// as an uncaught exception where only InputError was expected).
TEST(JsonInput, ANumberTooLargeIsLocatedAtItsStartNotLeftToEscape) {
  auto e = json_refusal("{\"steps\": [\n  {\"estimate_min\": 859576e2605}\n]}");
  EXPECT_EQ(e.loc().line, 2);
  EXPECT_EQ(e.loc().column, 20);
  EXPECT_EQ(e.message(), "a number too large for JSON ('859576e2605'); expected an example");
  auto neg = json_refusal("[-1e999]");
  EXPECT_EQ(neg.loc().line, 1);
  EXPECT_EQ(neg.loc().column, 2);
}

TEST(JsonInput, GoodJsonIsReturned) {
  auto j = parse_json_input("{\"a\": [1, 2.5, \"x\"]}", "in.json", "", "an example");
  EXPECT_EQ(j["a"][1].get<double>(), 2.5);
}
