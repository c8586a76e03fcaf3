// Faults, determinism, save/load, the log files on disk, and rehearsals.
#include <gtest/gtest.h>

#include "plan/planner.h"

#include <filesystem>
#include <functional>
#include <fstream>

#include "fixture.h"
#include "support.h"
#include "twin/file_sink.h"
#include "inventory/inventory.h"
#include "twin/log_format.h"
#include "twin/events.h"
#include "twin/rehearsal.h"
#include <map>
#include <unistd.h>
#include "util/error.h"

namespace smsup::twin::test {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir(const std::string& name) { return ::smsup::test::fresh_dir(name); }

Hierarchy with_clients() {
  Hierarchy h = small_hierarchy();
  add_clients(h, "CEN", 200, ClientKind::legacy, WinFamily::win98, 0, SmsLevel::sp1, "L");
  add_clients(h, "PR1", 300, ClientKind::advanced, WinFamily::xp, 2, SmsLevel::sp1, "A");
  return h;
}

TEST(FaultsTest, ParsesTheSpecForms) {
  auto f = parse_faults("upgrade@PR1=fail,verify@SEC=hang,upgrade=0.05,settle@CEN=activity");
  ASSERT_EQ(f.list.size(), 4u);
  EXPECT_EQ(f.list[0].site, "PR1");
  EXPECT_EQ(f.list[1].effect, FaultEffect::hang);
  EXPECT_EQ(f.list[2].effect, FaultEffect::chance);
  EXPECT_DOUBLE_EQ(f.list[2].chance, 0.05);
  EXPECT_EQ(f.list[3].effect, FaultEffect::activity);
}

TEST(FaultsTest, BadSpecNamesTheBadPart) {
  for (const char* bad :
       {"upgrade@PR1=explode", "upgrad=fail", "upgrade@PR12=fail", "upgrade=1.5", "upgrade", "a=fail,,"}) {
    try {
      parse_faults(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.field(), "--faults");
      EXPECT_NE(std::string(e.what()).find('\''), std::string::npos) << e.what();
    }
  }
}

TEST(FaultsTest, UnknownSiteInFaultsIsRefused) {
  EXPECT_THROW(Twin::from(small_hierarchy(), 1, parse_faults("upgrade@XYZ=fail")), InputError);
}

TEST(FaultsTest, InjectedFailureHitsTheFirstAttemptOnly) {
  Twin t = Twin::from(small_hierarchy(), 1, parse_faults("backup@CEN=fail"));
  EXPECT_FALSE(t.run_step(step("CEN", "backup")).ok);
  EXPECT_FALSE(t.step_done("CEN/backup"));
  auto r = t.run_step(step("CEN", "backup"));
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.attempt, 2);
  EXPECT_TRUE(t.step_done("CEN/backup"));
}

TEST(FaultsTest, HungStepTimesOut) {
  Twin t = Twin::from(small_hierarchy(), 1, parse_faults("verify@CEN=hang"));
  auto r = t.run_step(step("CEN", "verify"));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.hung);
  EXPECT_EQ(r.end - r.start, 240 * kMinute);
}

TEST(FaultsTest, ChanceFaultsAreDeterministicPerSeed) {
  auto f = parse_faults("backup=0.5");
  int fails = 0;
  for (int i = 0; i < 200; ++i) {
    std::string id = "S" + std::to_string(i) + "/backup";
    auto a = fault_for(f, "backup", "CEN", id, 1, 7);
    auto b = fault_for(f, "backup", "CEN", id, 1, 7);
    EXPECT_EQ(a.has_value(), b.has_value());
    fails += a.has_value();
  }
  EXPECT_GT(fails, 60);
  EXPECT_LT(fails, 140);
}

TEST(TwinStateTest, SameSeedSameRun) {
  Hierarchy h = with_clients();
  auto run = [&](uint64_t seed) {
    Twin t = Twin::from(h, seed, {});
    for (const auto& s : straight_plan(h).steps) t.run_step(s);
    return t.to_json().dump();
  };
  EXPECT_EQ(run(3), run(3));
  EXPECT_NE(run(3), run(4));
}

TEST(TwinStateTest, SavedAndLoadedTwinContinuesExactlyAsUninterrupted) {
  Hierarchy h = with_clients();
  auto plan = straight_plan(h);
  Twin whole = Twin::from(h, 5, {});
  for (const auto& s : plan.steps) whole.run_step(s);
  whole.advance_to(10 * kDay);

  auto dir = temp_dir("save");
  Twin first = Twin::from(h, 5, {});
  size_t half = plan.steps.size() / 2;
  for (size_t i = 0; i < half; ++i) first.run_step(plan.steps[i]);
  first.save((dir / "twin.json").string());
  Twin second = Twin::load((dir / "twin.json").string());
  EXPECT_TRUE(second.step_done(plan.steps[half - 1].id));
  EXPECT_FALSE(second.step_done(plan.steps[half].id));
  for (size_t i = half; i < plan.steps.size(); ++i) second.run_step(plan.steps[i]);
  second.advance_to(10 * kDay);
  EXPECT_EQ(second.to_json().dump(), whole.to_json().dump());
}

TEST(TwinStateTest, LoadRefusesAFileThatIsNotATwin) {
  auto dir = temp_dir("bad");
  std::ofstream(dir / "x.json") << R"({"format": "smsup-plan/1"})";
  EXPECT_THROW(Twin::load((dir / "x.json").string()), InputError);
  std::ofstream(dir / "y.json") << "{not json";
  EXPECT_THROW(Twin::load((dir / "y.json").string()), InputError);
  std::ofstream(dir / "z.json") << R"({"format": 5})";  // nlohmann's type_error escaped
  EXPECT_THROW(Twin::load((dir / "z.json").string()), InputError);
}

// issue 17: the saved twin is a file on disk; a value changed in it (by
// hand, by the disk) is refused where it stands, never run on. Before the
// state was checked, several of these crashed the resume (an index out of
// range, no sites), one took all memory (pending_size), one would have run
// one instant for ever (a CCIM cycle of 0), and the rest were run on.
TEST(TwinStateTest, ADamagedStateIsRefusedWhereTheValueStandsNeverRunOn) {
  Hierarchy h = with_clients();
  auto plan = straight_plan(h);
  TwinOptions o;
  o.seed = 5;
  o.naive_clients = true;  // client events too
  Twin t = Twin::from(h, o);
  // Halfway, with events still due: the steps begun next have not ended,
  // and the lines they write at their end are pending.
  size_t half = plan.steps.size() / 2;
  for (size_t i = 0; i < half; ++i) t.run_step(plan.steps[i]);
  auto has_line_due = [](const nlohmann::json& j) {
    for (const auto& e : j["queue"]) {
      if (e[2] == static_cast<int>(EventKind::line)) return true;
    }
    return false;
  };
  size_t begun = half;
  while (begun < plan.steps.size() && !has_line_due(t.to_json())) t.begin_step(plan.steps[begun++]);
  const nlohmann::json saved = t.to_json();
  auto first_event = [&](EventKind k) -> size_t {
    for (size_t i = 0; i < saved["queue"].size(); ++i) {
      if (saved["queue"][i][2] == static_cast<int>(k)) return i;
    }
    ADD_FAILURE() << "no event of kind " << static_cast<int>(k) << " is due in the saved twin";
    return 0;
  };
  const size_t line = first_event(EventKind::line), cycle = first_event(EventKind::client_cycle);
  ASSERT_FALSE(saved["cohorts"].empty());
  size_t ccim = saved["cohorts"].size();
  for (size_t i = 0; i < saved["cohorts"].size(); ++i) {
    if (saved["cohorts"][i][2] == static_cast<int>(ClientFate::ccim)) ccim = i;
  }
  ASSERT_LT(ccim, saved["cohorts"].size()) << "the Legacy Clients on Windows 98 upgrade by CCIM";

  struct Case {
    const char* what;
    std::function<void(nlohmann::json&)> change;
    std::string field;   // in the message
    std::string reason;  // in the message
  };
  const std::string l = std::to_string(line), c = std::to_string(cycle), k = std::to_string(ccim);
  std::vector<Case> cases = {
      {"a cohort's site out of range", [](auto& j) { j["cohorts"][0][0] = 999; }, "cohorts[0][0]",
       "999 is not an entry"},
      {"a client's cohort out of range", [](auto& j) { j["client_cohort"][0] = 999; }, "client_cohort[0]",
       "999 is not an entry"},
      {"fewer done flags than clients", [](auto& j) { j["client_done"].erase(0); }, "client_done", "entries for"},
      {"a pending size that takes all memory", [](auto& j) { j["pending_size"] = 1'000'000'000'000; }, "pending_size",
       "more than the lines written and due"},
      {"a pending line that is not a number",
       [](auto& j) {
         j["pending_lines"]["x"] = {0, "p", "c", "m", 1};
       },
       "pending_lines.x", "not a pending line"},
      {"no sites", [](auto& j) { j["sites"] = nlohmann::json::array(); }, "sites", "no sites"},
      {"parents in a loop", [](auto& j) { j["sites"][0]["parent"] = 1; }, "sites", "no parent"},
      {"a site its own parent", [](auto& j) { j["sites"][1]["parent"] = 1; }, "sites[1].parent", "loop"},
      {"an unknown site state", [](auto& j) { j["sites"][1]["state"] = "dancing"; }, "sites[1].state",
       "unknown site state"},
      {"an SMS level that does not exist", [](auto& j) { j["sites"][0]["version"] = 9; }, "sites[0].version",
       "out of range"},
      {"a host's site out of range", [](auto& j) { j["hosts"][0][1] = -7; }, "hosts[0][1]", "not an entry"},
      {"a console's site out of range", [](auto& j) { j["consoles"][0][1] = 3; }, "consoles[0][1]", "not an entry"},
      {"a CCIM cycle of 0 hours (a hang)", [ccim](auto& j) { j["cohorts"][ccim][4] = 0; }, "cohorts[" + k + "][4]",
       "out of range"},
      {"an event of a kind that does not exist", [line](auto& j) { j["queue"][line][2] = 42; }, "queue[" + l + "][2]",
       "out of range"},
      {"a line event with no pending line", [line](auto& j) { j["queue"][line][4] = 1'000'000; }, "queue[" + l + "][4]",
       "not an entry"},
      {"a client event for no client", [cycle](auto& j) { j["queue"][cycle][4] = -3; }, "queue[" + c + "][4]",
       "not an entry"},
      {"a time past any run", [](auto& j) { j["now"] = int64_t{1} << 62; }, "now", "out of range"},
      {"a time no whole number holds (a cast past the range was undefined)", [](auto& j) { j["now"] = 2.4e90; }, "now",
       "not a whole number in range"},
      {"a cell no int holds", [](auto& j) { j["cohorts"][0][0] = -5.5e43; }, "cohorts[0][0]",
       "not a whole number in range"},
      {"a step of an unknown kind", [](auto& j) { j["steps"][0]["step"]["kind"] = "reboot-all"; }, "steps[0].step.kind",
       "unknown step kind"},
      {"a step param of the wrong type", [](auto& j) { j["steps"][0]["step"]["params"]["on_original"] = "yes"; },
       "steps[0].step.params.on_original", "wrong type"},
      {"a step record on another site", [](auto& j) { j["steps"][0]["site"] = 2; }, "steps[0].site",
       "not the index of the step's site"},
  };
  auto dir = temp_dir("damaged");
  for (const auto& x : cases) {
    nlohmann::json j = saved;
    x.change(j);
    auto path = dir / "twin-state.json";
    ::smsup::test::write_file(path, j.dump(1));
    try {
      Twin::load(path.string());
      ADD_FAILURE() << x.what << ": loaded";
    } catch (const InputError& e) {
      std::string m = e.what();
      EXPECT_NE(m.find("damaged twin state"), std::string::npos) << x.what << ": " << m;
      EXPECT_EQ(e.field(), x.field) << x.what << ": " << m;
      EXPECT_NE(m.find(x.reason), std::string::npos) << x.what << ": " << m;
      EXPECT_GT(e.loc().line, 0) << x.what << ": " << m;  // located in the file
    }
  }
  // The unchanged state loads and runs on to the same end as the twin itself.
  ::smsup::test::write_file(dir / "twin-state.json", saved.dump(1));
  Twin again = Twin::load((dir / "twin-state.json").string());
  for (size_t i = begun; i < plan.steps.size(); ++i) {
    again.run_step(plan.steps[i]);
    t.run_step(plan.steps[i]);
  }
  again.advance_to(10 * kDay);
  t.advance_to(10 * kDay);
  EXPECT_EQ(again.to_json().dump(), t.to_json().dump());
}

TEST(FileSinkTest, WritesTheLayoutOfTheLogsSpec) {
  auto dir = temp_dir("sink");
  Hierarchy h = small_hierarchy();
  site(h, "PR1").install_dir = "D:\\Program Files\\SMS";
  {
    FileLogSink sink(dir);
    Twin t = Twin::from(h, 1, {});
    t.set_log_sink(&sink);
    for (const auto& s : straight_plan(h).steps) t.run_step(s);
    sink.flush();
  }
  EXPECT_TRUE(fs::exists(dir / "CEN01/C/SMSSetup.log"));
  EXPECT_TRUE(fs::exists(dir / "CEN01/C/SMS/Logs/sitecomp.log"));
  EXPECT_TRUE(fs::exists(dir / "PR101/D/Program Files/SMS/Logs/inboxmgr.log"));
  std::ifstream in(dir / "PR101/D/Program Files/SMS/Logs/sitecomp.log");
  std::string all((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(all.find("D:\\Program Files\\SMS\\Inboxes\\Sitectrl.box"), std::string::npos);
}

TEST(FileSinkTest, InstallDirCannotClimbOutOfTheTwinFolder) {
  EXPECT_EQ(site_log_path("H1", "C:\\..\\..\\etc", "x.log"), "H1/C/etc/Logs/x.log");
  EXPECT_EQ(safe_part(".."), "_");
  EXPECT_EQ(site_log_path("../H", "C:\\SMS", "a/b.log"), ".._H/C/SMS/Logs/a_b.log");
}

TEST(RehearsalTest, StraightPlanUpgradesEverythingWithNothingLost) {
  Hierarchy h = with_clients();
  auto plan = straight_plan(h);
  Twin t = Twin::from(h, 1, {});
  auto r = rehearse(plan, t, {});
  for (const auto& s : r.steps) EXPECT_EQ(s.status, "ok") << s.id << ": " << s.message;
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.clients.back().by_version[3], 500);
  auto j = to_json(r, t, plan);
  EXPECT_EQ(j["format"], "smsup-rehearsal/1");
  EXPECT_GT(j["total_virtual_min"].get<double>(), 60);
  // What rehearse writes is what report and serve take back.
  EXPECT_NO_THROW(check_rehearsal_json(j));
  EXPECT_NO_THROW(check_rehearsal_json(to_json(rehearse(plan, t, {}), t, plan)));  // a second run: skips, failures
}

// A rehearsal that ends with a problem the checklist describes still open
// (here error 997 of a remote management point moved to SP1 without its fix)
// has not left the hierarchy as it should be: not ok, and it says which.
TEST(RehearsalTest, AProblemStillOpenAtTheEndIsNotOk) {
  Hierarchy h = with_clients();
  auto plan = straight_plan(h);
  plan.steps.insert(plan.steps.begin(), step("PR1", "os-sp1", {}, "PR1MP"));
  Twin t = Twin::from(h, 1, {});
  auto r = rehearse(plan, t, {});
  EXPECT_EQ(r.failed, 0);
  EXPECT_EQ(r.skipped, 0);
  EXPECT_GE(r.open_problems, 1);
  EXPECT_FALSE(r.ok());
  std::string text = to_text(r, t, plan);
  EXPECT_NE(text.find("Open problems on site systems"), std::string::npos) << text;
  EXPECT_NE(text.find("problem(s) still open on site systems"), std::string::npos) << text;
  EXPECT_EQ(to_json(r, t, plan)["open_problems"], r.open_problems);
}

TEST(RehearsalTest, FailedStepStopsItsDependantsNotItsSiblings) {
  Hierarchy h = with_clients();
  auto plan = straight_plan(h);
  Twin t = Twin::from(h, 1, parse_faults("upgrade@PR1=fail"));
  auto r = rehearse(plan, t, {});
  EXPECT_FALSE(r.ok());
  std::map<std::string, std::string> status;
  for (const auto& s : r.steps) status[s.id] = s.status;
  EXPECT_EQ(status["PR1/upgrade"], "failed");
  EXPECT_EQ(status["PR1/verify"], "skipped");
  EXPECT_EQ(status["SEC/upgrade"], "skipped");
  EXPECT_EQ(status["CEN/advanced-push"], "ok");
  EXPECT_EQ(status["CEN/console-upgrade/ADM01"], "ok");
  EXPECT_EQ(t.sites()[1].state, SiteState::failed);
}

TEST(RehearsalTest, RecoverRestoresTheBackupAndRetries) {
  Hierarchy h = with_clients();
  auto plan = straight_plan(h);
  Twin t = Twin::from(h, 1, parse_faults("upgrade@PR1=fail"));
  RehearseOptions o;
  o.recover = true;
  auto r = rehearse(plan, t, o);
  EXPECT_TRUE(r.ok()) << to_text(r, t, plan);
  for (const auto& s : r.steps) {
    if (s.id == "PR1/upgrade") {
      EXPECT_EQ(s.attempts, 2);
      EXPECT_NE(s.recovery.find("restored from the backup"), std::string::npos) << s.recovery;
    }
  }
}

// Setup deletes the foreign files of the SMS folder tree; the backup's copy
// of the tree holds them. Without --recover they are reported lost; with it
// they are copied back and the rehearsal says so.
TEST(RehearsalTest, RecoverRestoresTheFilesSetupDeletedFromTheBackup) {
  Hierarchy h = with_clients();
  site(h, "PR1").foreign_files = {"C:\\SMS\\custom\\report.vbs"};
  auto plan = straight_plan(h);
  {
    Twin t = Twin::from(h, 1, {});
    auto r = rehearse(plan, t, {});
    EXPECT_FALSE(r.nothing_lost);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.end.lost_files, std::vector<std::string>{"PR1: C:\\SMS\\custom\\report.vbs"});
    EXPECT_TRUE(r.end.restored_files.empty());
    std::string text = to_text(r, t, plan);
    EXPECT_NE(text.find("files LOST"), std::string::npos) << text;
    EXPECT_EQ(text.find("Restored files"), std::string::npos) << text;
  }
  RehearseOptions o;
  o.recover = true;
  Twin t = Twin::from(h, 1, {});
  MemoryLogSink logs;
  t.set_log_sink(&logs);
  auto r = rehearse(plan, t, o);
  std::string text = to_text(r, t, plan);
  EXPECT_TRUE(r.nothing_lost) << text;
  EXPECT_TRUE(r.ok()) << text;
  EXPECT_TRUE(r.end.lost_files.empty());
  EXPECT_EQ(r.end.restored_files, std::vector<std::string>{"PR1: C:\\SMS\\custom\\report.vbs"});
  for (const auto& s : r.steps) {
    if (s.id == "PR1/upgrade") {
      EXPECT_EQ(s.attempts, 1);
      EXPECT_NE(s.recovery.find("restored 1 file(s) setup deleted from the backup of"), std::string::npos)
          << s.recovery;
    }
  }
  EXPECT_NE(text.find("Restored files (deleted by setup, copied back from the backup's SMS folder tree)\n"
                      "  PR1: C:\\SMS\\custom\\report.vbs"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("nothing lost (1 file(s) restored from backups)"), std::string::npos) << text;
  auto j = to_json(r, t, plan);
  EXPECT_EQ(j["nothing_lost"], true);
  ASSERT_EQ(j["restored_files"].size(), 1u);
  EXPECT_EQ(j["restored_files"][0]["file"], "C:\\SMS\\custom\\report.vbs");
  EXPECT_TRUE(any_line(logs, log_path(h, "PR1", "smsbkup.log"), "Restored C:\\SMS\\custom\\report.vbs"));
}

// The small hierarchy with SEC made a primary sibling of PR1, with its own database.
Hierarchy sibling_primaries() {
  Hierarchy h = small_hierarchy();
  Site& sec = site(h, "SEC");
  sec.type = SiteType::primary;
  sec.parent = "CEN";
  sec.parent_index = h.find_site("CEN");
  sec.database = site(h, "PR1").database;
  sec.database->server = "SEC01";
  sec.database->name = "SMS_SEC";
  inventory::link(h);
  return h;
}

TEST(RehearsalTest, SiblingUpgradesOverlapUpToMaxParallel) {
  Hierarchy h = sibling_primaries();
  auto plan = straight_plan(h);
  auto run = [&](int maxp) {
    Twin t = Twin::from(h, 1, {});
    RehearseOptions o;
    o.max_parallel = maxp;
    return rehearse(plan, t, o).plan_end;
  };
  EXPECT_LT(run(4), run(1));
}

// With one upgrade lane, SEC's upgrade queues behind PR1's (a lane edge of the
// planner). PR1 failing must not hold SEC up: the lane only orders.
TEST(RehearsalTest, AFailedSiteHoldsUpNoSiteThatOnlyQueuedBehindIt) {
  Hierarchy h = sibling_primaries();
  plan::Options po;
  po.max_parallel = 1;
  auto p = plan::make_plan(h, {}, po);
  const plan::Step* first = nullptr;
  const plan::Step* queued = nullptr;
  for (const auto& st : p.steps) {
    if (st.kind != "upgrade") continue;
    for (const auto& a : st.after) {
      if (plan::is_lane_edge(st, a)) {
        queued = &st;
        first = p.find(a);
      }
    }
  }
  ASSERT_NE(queued, nullptr) << "the planner put no lane edge between the sibling upgrades";
  ASSERT_NE(first, nullptr);
  Twin t = Twin::from(h, 1, parse_faults("upgrade@" + first->site + "=fail"));
  auto r = rehearse(p, t, {});
  std::map<std::string, std::string> status;
  for (const auto& row : r.steps) status[row.id] = row.status;
  EXPECT_EQ(status[first->id], "failed");
  EXPECT_EQ(status[queued->id], "ok") << to_text(r, t, p);
  EXPECT_EQ(status[queued->site + "/verify"], "ok");
}

}  // namespace
}  // namespace smsup::twin::test
