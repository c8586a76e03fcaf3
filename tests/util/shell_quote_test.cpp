// shell_quote: what a POSIX shell reads back from a quoted word is the word,
// for every character that means something to a shell.
#include <gtest/gtest.h>

#include "support.h"
#include "util/shell_quote.h"

namespace smsup {
namespace {

TEST(ShellQuote, SafeWordsStayPlainOthersAreSingleQuoted) {
  EXPECT_EQ(shell_quote("CEN/drw"), "CEN/drw");
  EXPECT_EQ(shell_quote("--journal=/tmp/j.db"), "--journal=/tmp/j.db");
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_join({"smsup", "confirm", "a b", "x"}), "smsup confirm 'a b' x");
}

TEST(ShellQuote, BashReadsBackEveryHostileWordUnchanged) {
  std::vector<std::string> words = {"plain",       "a b",
                                    "it's",        "'",
                                    "''",          "$(touch pwned)",
                                    "`id`",        "a;b",
                                    "a|b",         "a&b",
                                    "*",           "~",
                                    "$HOME",       "\"q\"",
                                    "back\\slash", "new\nline",
                                    "tab\there",   "!bang",
                                    "{a,b}",       "#not-a-comment",
                                    "-dash",       "",
                                    "%x",          "ü"};
  auto dir = test::fresh_dir("quote");
  for (const auto& w : words) {
    auto r = test::run({"/bin/bash", "-c", "cd \"$0\" && printf '%s' " + shell_quote(w), dir.string()});
    EXPECT_EQ(r.status, 0) << w;
    EXPECT_EQ(r.out, w) << shell_quote(w);
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "pwned"));
}

}  // namespace
}  // namespace smsup
