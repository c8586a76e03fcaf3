// LogFollower: the one incremental reader behind `logs tail -f`, `verify
// --wait` and the shell driver's verify. Each test writes bytes between two
// polls; none waits for time to pass.
#include <gtest/gtest.h>

#include <map>

#include "logs/follow.h"
#include "logs/writer.h"
#include "support.h"

using namespace smsup::logs;
using smsup::test::append_file;
using smsup::test::fresh_dir;
using smsup::test::write_file;

namespace {

const LocalTime kTime = make_local_time(2006, 6, 5, 10, 0, 0);

std::string line(const std::string& message) { return sms_line(message, "SMS_X", kTime, 0, 1); }

std::vector<std::string> messages(const std::vector<FollowedEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.emplace_back(e.entry.message);
  return out;
}

using Strings = std::vector<std::string>;

// ASCII as UTF-16 LE code units.
std::string utf16(const std::string& s) {
  std::string out;
  for (char c : s) out += std::string{c, '\0'};
  return out;
}

}  // namespace

TEST(LogFollower, FirstPollYieldsTheWholeEntriesAlreadyWritten) {
  auto log = fresh_dir("f") / "sitecomp.log";
  write_file(log, line("one") + line("two") + "half a li");
  LogFollower f(log);
  const auto& got = f.poll();
  EXPECT_EQ(messages(got), (Strings{"one", "two"}));
  EXPECT_EQ(got[1].entry.line, 2u);
  EXPECT_EQ(got[1].file, log.string());
  EXPECT_EQ(f.pending(), 9u);
  EXPECT_TRUE(f.poll().empty());
}

TEST(LogFollower, BytesAppendedComeInTheNextPollOnceTheLineIsWhole) {
  auto log = fresh_dir("f") / "sitecomp.log";
  write_file(log, line("one"));
  LogFollower f(log);
  f.poll();
  std::string fresh = line("fresh");
  append_file(log, fresh.substr(0, 10));
  EXPECT_TRUE(f.poll().empty());  // half a line waits
  append_file(log, fresh.substr(10) + line("third"));
  const auto& got = f.poll();
  ASSERT_EQ(messages(got), (Strings{"fresh", "third"}));
  EXPECT_EQ(got[0].entry.line, 2u);
  EXPECT_EQ(got[0].entry.component, "SMS_X");
  EXPECT_EQ(got[0].entry.offset, line("one").size());
  EXPECT_EQ(got[1].entry.line, 3u);
  EXPECT_EQ(f.pending(), 0u);
}

TEST(LogFollower, AFileThatShrankIsReadFromItsStart) {
  auto log = fresh_dir("f") / "sitecomp.log";
  write_file(log, line("one") + line("two"));
  LogFollower f(log);
  f.poll();
  write_file(log, line("new"));
  const auto& got = f.poll();
  EXPECT_TRUE(f.truncated());
  EXPECT_FALSE(f.rotated());
  ASSERT_EQ(messages(got), (Strings{"new"}));
  EXPECT_EQ(got[0].entry.line, 1u);
}

TEST(LogFollower, RotationYieldsTheRestOfTheRenamedFileThenTheNewOne) {
  auto dir = fresh_dir("f");
  auto log = dir / "hman.log";
  write_file(log, line("before"));
  LogFollower f(log);
  f.poll();
  // Written after the last poll, then rotated away: only NAME.lo_ holds it.
  append_file(log, line("last of the old file"));
  std::filesystem::rename(log, dir / "hman.lo_");
  write_file(log, line("first of a new file, longer than the old one was at the last poll"));
  const auto& got = f.poll();
  EXPECT_TRUE(f.rotated());
  EXPECT_FALSE(f.truncated());
  ASSERT_EQ(messages(got),
            (Strings{"last of the old file", "first of a new file, longer than the old one was at the last poll"}));
  EXPECT_EQ(got[0].file, (dir / "hman.lo_").string());
  EXPECT_EQ(got[0].entry.line, 2u);
  EXPECT_EQ(got[1].file, log.string());
  EXPECT_EQ(got[1].entry.line, 1u);
  append_file(log, line("more"));
  EXPECT_EQ(messages(f.poll()), (Strings{"more"}));
  EXPECT_FALSE(f.rotated());
}

TEST(LogFollower, AFileNotThereYetIsFollowedOnceItIs) {
  auto log = fresh_dir("f") / "inboxmgr.log";
  LogFollower f(log);
  EXPECT_TRUE(f.poll().empty());
  write_file(log, "a\n");
  EXPECT_EQ(messages(f.poll()), (Strings{"a"}));
}

TEST(LogFollower, Utf16IsDecodedAsItGrows) {
  auto log = fresh_dir("f") / "sitecomp.log";
  write_file(log, "\xFF\xFE" + utf16("first\r\nsec"));
  LogFollower f(log);
  EXPECT_EQ(messages(f.poll()), (Strings{"first"}));
  append_file(log, utf16("ond\r\n").substr(0, 5));  // half a code unit too
  EXPECT_TRUE(f.poll().empty());
  append_file(log, utf16("ond\r\n").substr(5));
  const auto& got = f.poll();
  ASSERT_EQ(messages(got), (Strings{"second"}));
  EXPECT_EQ(got[0].entry.line, 2u);
}

namespace {

// Files in memory: the seam an SMB reader plugs into, by name like LocalFile.
struct Files {
  std::map<std::filesystem::path, std::string> bytes;
  int reads = 0;
  std::size_t bytes_read = 0;
};

class MemoryFile : public FileSource {
 public:
  MemoryFile(Files& files, std::filesystem::path path) : files_(files), path_(std::move(path)) {}
  std::optional<std::uint64_t> size() override {
    auto it = files_.bytes.find(path_);
    if (it == files_.bytes.end()) return std::nullopt;
    return it->second.size();
  }
  std::string read(std::uint64_t offset, std::size_t n) override {
    ++files_.reads;
    auto it = files_.bytes.find(path_);
    if (it == files_.bytes.end() || offset >= it->second.size()) return {};
    std::string out = it->second.substr(offset, n);
    files_.bytes_read += out.size();
    return out;
  }

 private:
  Files& files_;
  std::filesystem::path path_;
};

}  // namespace

TEST(LogFollower, ReadsThroughAnyFileSource) {
  Files files;
  SourceOpener open = [&](const std::filesystem::path& p) { return std::make_unique<MemoryFile>(files, p); };
  LogFollower f("//server/admin$/SMS/Logs/hman.log", open);
  files.bytes["//server/admin$/SMS/Logs/hman.log"] = line("one");
  EXPECT_EQ(messages(f.poll()), (Strings{"one"}));
  files.bytes["//server/admin$/SMS/Logs/hman.log"] += line("two");
  EXPECT_EQ(messages(f.poll()), (Strings{"two"}));
  // Rotation on the share: the old file under NAME.lo_, a new one under NAME.log.
  files.bytes["//server/admin$/SMS/Logs/hman.lo_"] = files.bytes["//server/admin$/SMS/Logs/hman.log"] + line("three");
  files.bytes["//server/admin$/SMS/Logs/hman.log"] = line("four, in the new file");
  EXPECT_EQ(messages(f.poll()), (Strings{"three", "four, in the new file"}));
  EXPECT_TRUE(f.rotated());
  int reads = files.reads;
  EXPECT_TRUE(f.poll().empty());
  EXPECT_LE(files.reads - reads, 1);  // nothing new: one look at the first line, no more
}

// verify --wait over SMB: the verification's own reading of a log is where
// its follower starts, so the first poll reads each log once.
TEST(LogFollower, StartsAfterBytesReadElsewhereAndReadsOnlyWhatFollows) {
  Files files;
  SourceOpener open = [&](const std::filesystem::path& p) { return std::make_unique<MemoryFile>(files, p); };
  const std::string name = "//server/C$/SMS/Logs/sitecomp.log";
  std::string three = line("three");
  files.bytes[name] = line("one") + line("two") + three.substr(0, 12);
  LogFollower f(name, open);
  f.start_after(files.bytes[name]);
  EXPECT_EQ(files.bytes_read, 0u);
  EXPECT_TRUE(f.poll().empty());  // nothing new, and the half line still waits
  EXPECT_EQ(f.pending(), 12u);
  // A look at the first lines (is it still the same file?) and the half line, no more.
  EXPECT_LE(files.bytes_read, (line("one") + line("two")).size() + 12);
  files.bytes[name] += three.substr(12) + line("four");
  const auto& got = f.poll();
  ASSERT_EQ(messages(got), (Strings{"three", "four"}));
  EXPECT_EQ(got[0].entry.line, 3u);
  EXPECT_EQ(got[0].entry.offset, (line("one") + line("two")).size());
  // The first line came from the bytes given: a rotation is still recognised.
  files.bytes["//server/C$/SMS/Logs/sitecomp.lo_"] = files.bytes[name] + line("five");
  files.bytes[name] = line("six, the first line of a new file");
  EXPECT_EQ(messages(f.poll()), (Strings{"five", "six, the first line of a new file"}));
  EXPECT_TRUE(f.rotated());
}

TEST(LogFollower, StartsAfterUtf16BytesReadElsewhere) {
  auto log = fresh_dir("f") / "sitecomp.log";
  write_file(log, "\xFF\xFE" + utf16("first\r\nsec"));
  LogFollower f(log);
  f.start_after(smsup::test::read_file(log));
  EXPECT_TRUE(f.poll().empty());
  append_file(log, utf16("ond\r\n"));
  const auto& got = f.poll();
  ASSERT_EQ(messages(got), (Strings{"second"}));
  EXPECT_EQ(got[0].entry.line, 2u);
  EXPECT_EQ(got[0].entry.offset, 7u);  // in decoded text: "first\r\n"
}
