#include <gtest/gtest.h>

#include "model/versions.h"

using namespace smsup;

TEST(Versions, BuildStringsMapToTheNamedLevelAtOrBelow) {
  EXPECT_EQ(parse_sms_version("2.50.3174.1018")->level, SmsLevel::sp1);
  EXPECT_EQ(parse_sms_version("2.50.3174.1017")->level, SmsLevel::rtm);
  EXPECT_EQ(parse_sms_version("2.50.2726.0018")->level, SmsLevel::rtm);
  EXPECT_EQ(parse_sms_version("2.50.2726.17")->level, SmsLevel::sms20);
  EXPECT_EQ(parse_sms_version("2.50.4160.2000")->level, SmsLevel::sp2);
  EXPECT_EQ(parse_sms_version("2.00.1239.0000")->level, SmsLevel::sms20);
  EXPECT_EQ(parse_sms_version("sp1")->level, SmsLevel::sp1);
  EXPECT_FALSE(parse_sms_version("sp3"));
  EXPECT_FALSE(parse_sms_version("2..50"));
  EXPECT_FALSE(parse_sms_version("2.50.x"));
}

TEST(Versions, SqlServiceLevelsOrderSp3aBetweenSp3AndSp4) {
  auto sp3 = *parse_sql_version("2000-sp3");
  auto sp3a = *parse_sql_version("2000-sp3a");
  auto sp4 = *parse_sql_version("2000-sp4");
  EXPECT_LT(sp3, sp3a);
  EXPECT_LT(sp3a, sp4);
  EXPECT_LT(*parse_sql_version("sql7-sp3"), *parse_sql_version("2000"));
  EXPECT_LT(*parse_sql_version("sql65"), *parse_sql_version("sql7"));
  EXPECT_LT(*parse_sql_version("2000-sp4"), *parse_sql_version("2005"));
  EXPECT_FALSE(parse_sql_version("2000-sp5"));
  EXPECT_FALSE(parse_sql_version("2008"));
  EXPECT_FALSE(parse_sql_version("sql7-sp"));
  EXPECT_EQ(describe(sp3a), "SQL Server 2000 SP3a");
}

TEST(Versions, Nt5MeansWindows2000AndLater) {
  EXPECT_FALSE(is_nt5(WinFamily::nt4));
  EXPECT_FALSE(is_nt5(WinFamily::win98));
  EXPECT_TRUE(is_nt5(WinFamily::w2000));
  EXPECT_TRUE(is_nt5(WinFamily::xp));
  EXPECT_TRUE(is_nt5(WinFamily::w2003));
  EXPECT_TRUE(is_nt5(WinFamily::vista));
}
