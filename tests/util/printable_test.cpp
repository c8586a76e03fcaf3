#include "util/printable.h"

#include <gtest/gtest.h>

namespace smsup {
namespace {

TEST(Printable, TerminalControlsBecomeEscapesAndTextStaysAsItIs) {
  EXPECT_EQ(printable("ok\x1b]0;pwned\x07\x1b[2J"), "ok\\x1b]0;pwned\\x07\\x1b[2J");
  EXPECT_EQ(printable(std::string("a\0b\n\r\t\x7f", 7)), "a\\0b\\n\\r\\t\\x7f");
  // C1 controls in UTF-8 (U+009B is CSI on some terminals), not other UTF-8.
  EXPECT_EQ(printable("x\xc2\x9b"
                      "2J"),
            "x\\u009b2J");
  EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x9c\x93 \xc2\xa0"), "caf\xc3\xa9 \xe2\x9c\x93 \xc2\xa0");
  EXPECT_EQ(printable("\xc2"), "\xc2");  // a cut sequence at the end is left alone
}

TEST(Printable, LinesStayLinesWithoutTheirWindowsCarriageReturn) {
  EXPECT_EQ(printable_lines("one\r\ntwo\x1b[31m\r\n"), "one\ntwo\\x1b[31m\n");
  EXPECT_EQ(printable_lines("a\rb"), "a\\rb");
  EXPECT_EQ(printable_lines(""), "");
}

}  // namespace
}  // namespace smsup
