// Every file of shared/corpus/ (real lines collected by others; the set grows)
// and of tests/logs/corpus/ (the spec's examples) reads into fields.
#include <gtest/gtest.h>

#include <filesystem>

#include "logs/reader.h"

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

// Fields, not just "no crash": each line that is not a comment (#) or blank
// belongs to an SMS, CMTrace or setup entry, and that entry's fields hold up.
void check_file(const fs::path& path) {
  SCOPED_TRACE(path.string());
  Log log = Log::open(path);
  EXPECT_EQ(log.unreadable(), 0u);
  bool plain_allowed = path.filename().string().find("plain") != std::string::npos;
  for (std::size_t i = 0; i < log.size(); ++i) {
    Entry e = log.entry(i);
    SCOPED_TRACE("line " + std::to_string(e.line));
    std::string_view m = e.message;
    while (!m.empty() && (m.back() == '\r' || m.back() == ' ')) m.remove_suffix(1);
    if (e.format == Format::Plain) {
      if (m.empty() || m.front() == '#') continue;
      EXPECT_TRUE(plain_allowed) << "not read as SMS, CMTrace or setup: " << m;
      continue;
    }
    EXPECT_FALSE(e.unreadable);
    EXPECT_FALSE(m.empty());
    EXPECT_EQ(m.find("$$<"), std::string_view::npos);
    EXPECT_EQ(m.find("]LOG]!>"), std::string_view::npos);
    if (e.format == Format::Sms) {
      EXPECT_FALSE(e.component.empty());
    }
    if (e.format == Format::Setup) {
      EXPECT_TRUE(e.local.has_value());
    }
    if (e.local && e.bias_minutes) {
      EXPECT_LE(std::abs(*e.bias_minutes), 14 * 60);
    }
  }
}

}  // namespace

TEST(Corpus, SpecExamplesReadIntoFields) {
  auto files = corpus_files(fs::path(SMSUP_SOURCE_DIR) / "tests/logs/corpus");
  ASSERT_GE(files.size(), 2u);
  for (const auto& f : files) check_file(f);
  Log sms = Log::open(fs::path(SMSUP_SOURCE_DIR) / "tests/logs/corpus/spec-sms.log");
  ASSERT_EQ(sms.size(), 6u);  // comment, 4 single lines, one two-line message
  EXPECT_EQ(sms.entry(5).message, "SQL command:\r\n  SELECT SiteCode FROM Sites");
}

TEST(Corpus, EverySharedCorpusFileReadsIntoFields) {
  auto files = corpus_files(fs::path(SMSUP_SHARED_DIR) / "corpus");
  if (files.empty()) GTEST_SKIP() << "shared/corpus holds no log files yet (only its README)";
  for (const auto& f : files) check_file(f);
}
