// Durations a person writes: one grammar, one range, no value that can reach
// a clock as inf, nan, 0 by underflow or an overflowed negative.
#include <gtest/gtest.h>

#include "util/duration.h"

using namespace std::chrono_literals;
using smsup::checked_duration;
using smsup::InputError;
using smsup::parse_duration;

TEST(Duration, ReadsUnitsFractionsAndSums) {
  EXPECT_EQ(parse_duration("45"), 45s);
  EXPECT_EQ(parse_duration("90s"), 90s);
  EXPECT_EQ(parse_duration("30m"), 30min);
  EXPECT_EQ(parse_duration("2h"), 2h);
  EXPECT_EQ(parse_duration("1.5h"), 90min);
  EXPECT_EQ(parse_duration("1h30m"), 90min);
  EXPECT_EQ(parse_duration("200ms"), 200ms);
  EXPECT_EQ(parse_duration("2d"), 48h);
  EXPECT_EQ(parse_duration(" 5m "), 5min);
}

TEST(Duration, RefusesWhatNoClockShouldSee) {
  for (const char* bad : {"inf", "nan", "1e308", "1e-300", "-0", "-5s", "", "m", "5x", "1h30", "0x10", "999999999h",
                          "367d", "1.2.3s", "+5s"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
}

TEST(Duration, ARangeIsCheckedWithALocatedMessage) {
  EXPECT_EQ(checked_duration("2h", {"HOSTS.yaml", 4, 14}, "kinds.setup.timeout", 10ms, 720h), 2h);
  try {
    checked_duration("0", {"HOSTS.yaml", 4, 14}, "kinds.setup.timeout", 10ms, 720h);
    FAIL() << "0 accepted as a timeout";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "HOSTS.yaml:4:14: kinds.setup.timeout: '0' is not in range; expected e.g. 90s, 30m or 2h, "
              "from 10 ms to 30 days");
  }
  EXPECT_THROW(checked_duration("inf", {}, "timeout", 10ms, 720h), InputError);
}
