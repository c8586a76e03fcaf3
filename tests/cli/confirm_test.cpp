// confirm and retry of several steps, and confirm --all-waiting with its
// preview and its yes, in-process on a journal made here: what the journal
// holds afterwards (states, one event per step) is what users rely on.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "cli/apply.h"
#include "plan/plan.h"
#include "run/journal.h"
#include "support.h"
#include "util/error.h"

namespace smsup::cli {
namespace {

plan::Step st(std::string id, std::string kind, bool manual) {
  plan::Step s;
  s.id = std::move(id);
  s.kind = std::move(kind);
  s.site = s.id.substr(0, 3);
  s.host = s.site + "01";
  s.manual = manual;
  s.title = s.id;
  return s;
}

// CEN/drw, PR1/drw, PR1/dcom wait for a person, PR2/upgrade (manual) too;
// CEN/backup and PR1/backup failed.
std::string a_journal() {
  plan::Plan p;
  p.hierarchy = "Contoso";
  p.steps = {st("CEN/drw", "drw", true),         st("PR1/drw", "drw", true),        st("PR1/dcom", "dcom", true),
             st("PR2/upgrade", "upgrade", true), st("CEN/backup", "backup", false), st("PR1/backup", "backup", false)};
  std::string path = (test::test_dir() / "j.db").string();
  run::Journal j(path);
  j.bind(p, "digest", "plan.json", "shell");
  j.record({{"CEN/drw", run::State::waiting},
            {"PR1/drw", run::State::waiting},
            {"PR1/dcom", run::State::waiting},
            {"PR2/upgrade", run::State::waiting},
            {"CEN/backup", run::State::failed},
            {"PR1/backup", run::State::failed}});
  return path;
}

std::string state_of(const std::string& journal, const std::string& id) {
  return std::string(run::to_string(run::Journal(journal, false).step(id)->state));
}

// The steps the verb `how` (confirm, retry) recorded, one per event.
std::vector<std::string> events_by(const std::string& journal, const std::string& how) {
  std::vector<std::string> ids;
  for (const auto& e : run::Journal(journal, false).events()) {
    if (e.how == how) ids.push_back(e.step);
  }
  return ids;
}

struct Io {
  std::ostringstream out, err;
  std::istringstream in;
  Output o{out, err};
  explicit Io(std::string answer = "", bool terminal = false) : in(std::move(answer)) {
    o.in = &in;
    o.in_terminal = terminal;
  }
};

TEST(Confirm, SeveralStepsAreEachRecordedAsTheirOwnEvent) {
  auto j = a_journal();
  Io io;
  EXPECT_EQ(run_confirm({.steps = {"CEN/drw", "PR1/drw", "CEN/drw"}, .journal = j, .note = "ran DRW"}, io.o), 0);
  EXPECT_EQ(state_of(j, "CEN/drw"), "succeeded");
  EXPECT_EQ(state_of(j, "PR1/drw"), "succeeded");
  EXPECT_EQ(state_of(j, "PR1/dcom"), "waiting");
  EXPECT_EQ(events_by(j, "confirm"), (std::vector<std::string>{"CEN/drw", "PR1/drw"}));
  EXPECT_EQ(run::Journal(j, false).step("PR1/drw")->note, "ran DRW");
}

TEST(Confirm, OneStepNotWaitingChangesNothing) {
  auto j = a_journal();
  Io io;
  try {
    run_confirm({.steps = {"CEN/drw", "CEN/backup"}, .journal = j}, io.o);
    FAIL() << "confirmed a failed step";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "STEP");
    EXPECT_NE(std::string(e.what()).find("'CEN/backup' is failed"), std::string::npos) << e.what();
  }
  EXPECT_EQ(state_of(j, "CEN/drw"), "waiting");
  EXPECT_TRUE(events_by(j, "confirm").empty());
}

TEST(Confirm, AllWaitingPreviewsAndConfirmsNothingWithoutYes) {
  auto j = a_journal();
  Io io;
  EXPECT_EQ(run_confirm({.all_waiting = true, .site = "PR1", .journal = j}, io.o), 1);
  EXPECT_NE(io.out.str().find("PR1/drw"), std::string::npos) << io.out.str();
  EXPECT_NE(io.out.str().find("PR1/dcom"), std::string::npos) << io.out.str();
  EXPECT_EQ(io.out.str().find("CEN/drw"), std::string::npos) << "another site's step in the preview";
  EXPECT_NE(io.out.str().find("add --yes"), std::string::npos) << io.out.str();
  EXPECT_EQ(state_of(j, "PR1/drw"), "waiting");
  EXPECT_TRUE(events_by(j, "confirm").empty());
}

TEST(Confirm, AllWaitingWithYesConfirmsTheChosenSiteAndKindOnly) {
  auto j = a_journal();
  Io io;
  EXPECT_EQ(run_confirm({.all_waiting = true, .site = "PR1", .yes = true, .journal = j}, io.o), 0) << io.out.str();
  EXPECT_EQ(events_by(j, "confirm"), (std::vector<std::string>{"PR1/drw", "PR1/dcom"}));
  EXPECT_EQ(state_of(j, "CEN/drw"), "waiting");
  Io kind;
  EXPECT_EQ(run_confirm({.all_waiting = true, .kind = "drw", .yes = true, .journal = j}, kind.o), 0);
  EXPECT_EQ(state_of(j, "CEN/drw"), "succeeded");
  EXPECT_EQ(state_of(j, "PR2/upgrade"), "waiting");
}

TEST(Confirm, AllWaitingAsksAtATerminal) {
  auto j = a_journal();
  Io no("n\n", true);
  EXPECT_EQ(run_confirm({.all_waiting = true, .kind = "drw", .journal = j}, no.o), 1);
  EXPECT_NE(no.out.str().find("Confirm these 2 steps? [y/N]"), std::string::npos) << no.out.str();
  EXPECT_EQ(state_of(j, "CEN/drw"), "waiting");
  Io yes("y\n", true);
  EXPECT_EQ(run_confirm({.all_waiting = true, .kind = "drw", .journal = j}, yes.o), 0);
  EXPECT_EQ(events_by(j, "confirm"), (std::vector<std::string>{"CEN/drw", "PR1/drw"}));
}

TEST(Confirm, AllWaitingWithAManualUpgradeNeedsANoteAndConfirmsNoneWithout) {
  auto j = a_journal();
  Io io;
  try {
    run_confirm({.all_waiting = true, .yes = true, .journal = j}, io.o);
    FAIL() << "confirmed a manual upgrade without a note";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "--note");
    EXPECT_NE(std::string(e.what()).find("PR2/upgrade"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(events_by(j, "confirm").empty());
  Io with;
  EXPECT_EQ(
      run_confirm({.all_waiting = true, .yes = true, .journal = j, .note = "upgraded by hand, logs read"}, with.o), 0);
  EXPECT_EQ(events_by(j, "confirm").size(), 4u);
}

TEST(Confirm, AllWaitingWithASiteNoStepHasNamesTheNearest) {
  auto j = a_journal();
  Io io;
  try {
    run_confirm({.all_waiting = true, .site = "PR3", .yes = true, .journal = j}, io.o);
    FAIL() << "took an unknown site";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "--site");
    EXPECT_NE(std::string(e.what()).find("did you mean"), std::string::npos) << e.what();
  }
}

TEST(Retry, SeveralFailedStepsGoBackToPendingEachWithItsEvent) {
  auto j = a_journal();
  Io io;
  EXPECT_EQ(run_retry({.steps = {"CEN/backup", "PR1/backup"}, .journal = j}, io.o), 0);
  EXPECT_EQ(state_of(j, "CEN/backup"), "pending");
  EXPECT_EQ(state_of(j, "PR1/backup"), "pending");
  EXPECT_EQ(events_by(j, "retry"), (std::vector<std::string>{"CEN/backup", "PR1/backup"}));
  try {
    run_retry({.steps = {"CEN/backup"}, .journal = j}, io.o);
    FAIL() << "retried a pending step";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "STEP");
  }
}

}  // namespace
}  // namespace smsup::cli
