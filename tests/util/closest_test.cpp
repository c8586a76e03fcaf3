// closest(): the "did you mean" of every name a person types.
#include <gtest/gtest.h>

#include "util/closest.h"

using smsup::closest;
using smsup::did_you_mean;
using smsup::edit_distance;

TEST(EditDistance, CountsInsertsDeletesReplacementsAndSwaps) {
  EXPECT_EQ(edit_distance("backup", "backup"), 0u);
  EXPECT_EQ(edit_distance("bakup", "backup"), 1u);    // a letter left out
  EXPECT_EQ(edit_distance("backupp", "backup"), 1u);  // one too many
  EXPECT_EQ(edit_distance("backop", "backup"), 1u);   // one wrong
  EXPECT_EQ(edit_distance("gerp", "grep"), 1u);       // two neighbours swapped
  EXPECT_EQ(edit_distance("", "drw"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(EditDistance, IgnoresCase) { EXPECT_EQ(edit_distance("CEN/Backup", "cen/backup"), 0u); }

TEST(Closest, NamesTheNearestCandidateWhenItIsASlip) {
  std::vector<std::string> verbs = {"check", "plan", "show", "rehearse", "apply", "verify", "logs"};
  EXPECT_EQ(closest("chekc", verbs), "check");
  EXPECT_EQ(closest("pln", verbs), "plan");
  EXPECT_EQ(closest("rehaerse", verbs), "rehearse");
  EXPECT_EQ(closest("APPLY", verbs), "apply");
}

TEST(Closest, NamesNothingFarOffOrAlreadyRight) {
  std::vector<std::string> ids = {"CEN/backup", "CEN/drw", "PR1/backup"};
  EXPECT_EQ(closest("frobnicate", ids), std::nullopt);
  EXPECT_EQ(closest("db", ids), std::nullopt);  // short names allow one slip only
  EXPECT_EQ(closest("CEN/drw", ids), std::nullopt);
  EXPECT_EQ(closest("x", {}), std::nullopt);
}

TEST(Closest, TiesGoToTheFirstCandidate) {
  EXPECT_EQ(closest("PR0/backup", {"PR1/backup", "PR2/backup"}), "PR1/backup");
}

TEST(DidYouMean, IsATailForAnErrorOrNothing) {
  EXPECT_EQ(did_you_mean("metod", {"method", "sites"}), "; did you mean 'method'?");
  EXPECT_EQ(did_you_mean("zzz", {"method", "sites"}), "");
}
