// Every option check of every verb, by calling run_<verb> in-process: the
// check throws smsup::InputError naming the option (field()) and saying what
// was wrong, before any work is done. One row per check.
#include <gtest/gtest.h>

#include <functional>
#include <sstream>
#include <string>
#include <type_traits>

#include "cli/apply.h"
#include "cli/check.h"
#include "cli/clients.h"
#include "cli/dbtest.h"
#include "cli/hosts.h"
#include "cli/demo.h"
#include "cli/inventory.h"
#include "cli/journal.h"
#include "cli/logs.h"
#include "cli/plan.h"
#include "cli/rehearse.h"
#include "cli/report.h"
#include "cli/twin.h"
#include "cli/verify.h"
#include "support.h"
#include "util/error.h"

namespace smsup::cli {
namespace {

namespace fs = std::filesystem;

std::string small() { return std::string(CLI_PLAN_DATA) + "/small.yaml"; }
std::string scratch(const std::string& name) { return (test::test_dir() / name).string(); }

// A plan of small.yaml, made in this test's folder by run_plan.
std::string a_plan() {
  PlanOptions o;
  o.inventory = small();
  o.out = scratch("plan.json");
  o.as_of = "2006-06-12";
  std::ostringstream out, err;
  Output to{out, err};
  if (run_plan(o, to) != 0) ADD_FAILURE() << "run_plan refused small.yaml: " << err.str();
  return o.out;
}

// A log file that exists.
std::string a_log() {
  test::write_file(scratch("a.log"), "plain line\n");
  return scratch("a.log");
}

// A verb of `logs` reading one file that exists, its options changed by `set`.
template <typename Options>
std::function<int(Output&)> on_a_log(int (*run)(const Options&, Output&),
                                     std::type_identity_t<std::function<void(Options&)>> set) {
  return [run, set](Output& o) {
    Options options;
    options.files = {a_log()};
    set(options);
    return run(options, o);
  };
}

struct Refusal {
  const char* name;                 // the test's name
  std::function<int(Output&)> run;  // calls run_<verb>
  const char* option;               // InputError::field(); "" when a file's own field
  const char* says;                 // part of what()
};

std::vector<Refusal> refusals() {
  return {
      {"CheckFormat", [](Output& o) { return run_check({.inventory = small(), .format = "xml"}, o); }, "--format",
       "'xml' is not one of text, json, junit"},
      {"CheckAsOf", [](Output& o) { return run_check({.inventory = small(), .as_of = "15/06/2006"}, o); }, "--as-of",
       "expected YYYY-MM-DD"},
      {"CheckMissingInventory", [](Output& o) { return run_check({.inventory = scratch("no-such.yaml")}, o); }, "",
       "no-such.yaml"},
      {"PlanFormat",
       [](Output& o) { return run_plan({.inventory = small(), .out = scratch("p"), .format = "yaml"}, o); }, "--format",
       "'yaml' is not one of text, json"},
      {"PlanMethod",
       [](Output& o) { return run_plan({.inventory = small(), .out = scratch("p"), .method = "fast"}, o); }, "--method",
       "not one of interactive, update-quiet, update-passive"},
      {"PlanMaxParallelZero",
       [](Output& o) { return run_plan({.inventory = small(), .out = scratch("p"), .max_parallel = 0}, o); },
       "--max-parallel", "0 is out of range; expected 1 to 1000"},
      {"PlanAsOf",
       [](Output& o) { return run_plan({.inventory = small(), .out = scratch("p"), .as_of = "12/06/2006"}, o); },
       "--as-of", "'12/06/2006' is not a date"},
      {"PlanWaiveTypo",
       [](Output& o) { return run_plan({.inventory = small(), .out = scratch("p"), .waive = {"sql-versoin"}}, o); },
       "--waive", "'sql-versoin' is not a rule id; did you mean 'sql-version'?"},
      {"PlanEstimatesKey",
       [](Output& o) {
         test::write_file(scratch("est.yaml"), "upgrade: {base: 10}\nsetle: {base: 40}\n");
         return run_plan({.inventory = small(), .out = scratch("p"), .estimates = scratch("est.yaml")}, o);
       },
       "setle", "est.yaml:2:1"},
      {"PlanDbtestSameServerNotACode",
       [](Output& o) {
         return run_plan({.inventory = small(), .out = scratch("p"), .dbtest_same_server = "CEN,pr1"}, o);
       },
       "--dbtest-same-server", "'pr1' is not a site code (did you mean 'PR1'?); expected SITE[,SITE...]"},
      {"PlanDbtestSameServerUnknownSite",
       [](Output& o) { return run_plan({.inventory = small(), .out = scratch("p"), .dbtest_same_server = "XYZ"}, o); },
       "--dbtest-same-server", "'XYZ' is not a site of Fabrikam; expected one of: CEN, PR1, PR2"},
      {"PlanMissingInventory",
       [](Output& o) { return run_plan({.inventory = scratch("none.yaml"), .out = scratch("p")}, o); }, "",
       "none.yaml"},
      {"ShowFormat", [](Output& o) { return run_show({.plan = a_plan(), .format = "pdf"}, o); }, "--format",
       "'pdf' is not one of md, json, dot, gantt"},
      {"ShowWidth", [](Output& o) { return run_show({.plan = a_plan(), .format = "gantt", .width = 5}, o); }, "--width",
       "5 is out of range; expected 10 to 400"},
      {"ShowMissingPlan", [](Output& o) { return run_show({.plan = scratch("nothing.json")}, o); }, "",
       "nothing.json: no such file; expected an smsup plan"},
      {"RehearseFormat", [](Output& o) { return run_rehearse({.plan = a_plan(), .format = "xml"}, o); }, "--format",
       "'xml' is not one of text, json"},
      {"RehearseDaysZero", [](Output& o) { return run_rehearse({.plan = a_plan(), .days = 0}, o); }, "--days",
       "0 is out of range; expected 1 to 3650"},
      {"RehearseMaxParallel", [](Output& o) { return run_rehearse({.plan = a_plan(), .max_parallel = -3}, o); },
       "--max-parallel", "-3 is out of range"},
      {"RehearseFaults",
       [](Output& o) {
         return run_rehearse({.plan = a_plan(), .faults = "upgrade@NAM=explode", .no_databases = true}, o);
       },
       "--faults", "upgrade@NAM=explode"},
      {"ApplyMaxParallelZero", [](Output& o) { return run_apply({.plan = a_plan(), .max_parallel = 0}, o); },
       "--max-parallel", "0 is out of range"},
      {"ApplyMaxFailures", [](Output& o) { return run_apply({.plan = a_plan(), .max_failures = -2}, o); },
       "--max-failures", "-2 is out of range"},
      {"ApplyPerSiteZero", [](Output& o) { return run_apply({.plan = a_plan(), .per_site = 0}, o); }, "--per-site",
       "0 is out of range"},
      {"ApplyTarget", [](Output& o) { return run_apply({.plan = a_plan(), .target = "ssh"}, o); }, "--target",
       "'ssh' is not a target; expected twin or shell"},
      {"ApplyMissingPlan", [](Output& o) { return run_apply({.plan = scratch("nope.json")}, o); }, "", "nope.json"},
      {"StatusFormat", [](Output& o) { return run_status({.journal = scratch("j.db"), .format = "xml"}, o); },
       "--format", "'xml' is not one of text, json"},
      {"StatusMissingJournal", [](Output& o) { return run_status({.journal = scratch("none.db")}, o); }, "--journal",
       "none.db"},
      {"StatusWatchEveryZero",
       [](Output& o) { return run_status({.journal = scratch("j.db"), .watch = true, .every = "0s"}, o); }, "--every",
       "'0s' is not in range; expected e.g. 90s, 30m or 2h, from 100 ms to 1 h"},
      {"StatusWatchEveryTooLong",
       [](Output& o) { return run_status({.journal = scratch("j.db"), .watch = true, .every = "2h"}, o); }, "--every",
       "'2h' is not in range"},
      {"StatusWatchEveryNotADuration",
       [](Output& o) { return run_status({.journal = scratch("j.db"), .watch = true, .every = "soon"}, o); }, "--every",
       "'soon' is not a duration"},
      {"StatusWatchEveryNegative",
       [](Output& o) { return run_status({.journal = scratch("j.db"), .watch = true, .every = "-1s"}, o); }, "--every",
       "'-1s' is not a duration"},
      {"StatusWatchEvents",
       [](Output& o) { return run_status({.journal = scratch("j.db"), .events = true, .watch = true}, o); }, "--watch",
       "--events lists the history: give one of them"},
      {"StatusWatchMissingJournal",
       [](Output& o) { return run_status({.journal = scratch("none.db"), .watch = true, .every = "1s"}, o); },
       "--journal", "none.db"},
      {"ConfirmMissingJournal",
       [](Output& o) {
         int rc = run_confirm({.steps = {"CEN/drw"}, .journal = scratch("none.db")}, o);
         EXPECT_FALSE(fs::exists(scratch("none.db"))) << "confirm made a journal";
         return rc;
       },
       "--journal", "none.db"},
      {"ConfirmNoStep", [](Output& o) { return run_confirm({.journal = scratch("none.db")}, o); }, "STEP",
       "or give --all-waiting"},
      {"ConfirmStepsAndAllWaiting",
       [](Output& o) {
         return run_confirm({.steps = {"CEN/drw"}, .all_waiting = true, .journal = scratch("none.db")}, o);
       },
       "--all-waiting", "not both"},
      {"ConfirmSiteWithoutAllWaiting",
       [](Output& o) { return run_confirm({.steps = {"CEN/drw"}, .site = "PR1", .journal = scratch("none.db")}, o); },
       "--site", "give --all-waiting with them"},
      {"RetryNoStep", [](Output& o) { return run_retry({.journal = scratch("none.db")}, o); }, "STEP",
       "name the failed steps"},
      {"CheckNoInventory", [](Output& o) { return run_check({}, o); }, "INVENTORY", "--list-rules"},
      {"CheckListRulesFormat", [](Output& o) { return run_check({.format = "junit", .list_rules = true}, o); },
       "--format", "'junit' is not one of text, json"},
      {"CheckListRulesWithInventory",
       [](Output& o) { return run_check({.inventory = small(), .list_rules = true}, o); }, "--list-rules",
       "takes no INVENTORY"},
      {"RetryMissingJournal",
       [](Output& o) { return run_retry({.steps = {"CEN/drw"}, .journal = scratch("none.db")}, o); }, "--journal",
       "none.db"},
      {"VerifyFormat", [](Output& o) { return run_verify({.site = "LAB", .logs_dir = "/", .format = "xml"}, o); },
       "--format", "'xml' is not one of text, json"},
      {"VerifyPollZero",
       [](Output& o) { return run_verify({.site = "LAB", .logs_dir = "/", .wait = "1s", .poll_ms = 0}, o); },
       "--poll-ms", "0 is out of range; expected 1 to 3600000"},
      {"VerifySince", [](Output& o) { return run_verify({.site = "LAB", .logs_dir = "/", .since = "yesterday"}, o); },
       "--since", "got 'yesterday'"},
      {"VerifyWait", [](Output& o) { return run_verify({.site = "LAB", .logs_dir = "/", .wait = "soon"}, o); },
       "--wait", "expected a duration such as 30s, 5m or 1h, got 'soon'"},
      {"HostsCheckFormat",
       [](Output& o) {
         return run_hosts_check({.hosts = scratch("hosts.yaml"), .plan = a_plan(), .format = "xml"}, o);
       },
       "--format", "'xml' is not one of text, json"},
      {"HostsCheckSmbTimeout",
       [](Output& o) {
         return run_hosts_check({.hosts = scratch("hosts.yaml"), .plan = a_plan(), .smb = {.timeout = "soon"}}, o);
       },
       "--smb-timeout", "got 'soon'"},
      {"HostsCheckMissingHosts",
       [](Output& o) { return run_hosts_check({.hosts = scratch("none.yaml"), .plan = a_plan()}, o); }, "",
       "none.yaml"},
      {"ApplySmbTimeout", [](Output& o) { return run_apply({.plan = a_plan(), .smb = {.timeout = "0s"}}, o); },
       "--smb-timeout", "got '0s'"},
      {"VerifyMissingFolder",
       [](Output& o) { return run_verify({.site = "LAB", .logs_dir = "/nonexistent/smsup"}, o); }, "--logs",
       "/nonexistent/smsup"},
      {"LogsGrepFormat", on_a_log(run_logs_grep, [](LogsGrepOptions& g) { g.format = "csv"; }), "--format",
       "'csv' is not one of text, json"},
      {"LogsGrepSeverity", on_a_log(run_logs_grep, [](LogsGrepOptions& g) { g.filter.severity = "loud"; }),
       "--severity", "expected error, warning or info, got 'loud'"},
      {"LogsGrepRegex",
       on_a_log(run_logs_grep,
                [](LogsGrepOptions& g) {
                  g.pattern = "(unclosed";
                  g.regex = true;
                }),
       "PATTERN", "not a usable regular expression"},
      {"LogsGrepMissingFile", on_a_log(run_logs_grep, [](LogsGrepOptions& g) { g.files = {"/nonexistent/a.log"}; }), "",
       "/nonexistent/a.log"},
      {"LogsMergeFrom", on_a_log(run_logs_merge, [](LogsMergeOptions& m) { m.filter.from = "noon"; }), "--from",
       "got 'noon'"},
      {"LogsMergeToBeforeFrom",
       on_a_log(run_logs_merge,
                [](LogsMergeOptions& m) {
                  m.filter.from = "2006-06-05T17:00:00Z";
                  m.filter.to = "2006-06-05T16:00:00Z";
                }),
       "--to", "is before --from"},
      {"LogsStatsFormat", on_a_log(run_logs_stats, [](LogsStatsOptions& s) { s.format = "xml"; }), "--format",
       "'xml' is not one of"},
      {"LogsScanSmbTimeout", on_a_log(run_logs_scan, [](LogsScanOptions& s) { s.smb.timeout = "forever"; }),
       "--smb-timeout", "got 'forever'"},
      {"LogsTailLines", on_a_log(run_logs_tail, [](LogsTailOptions& t) { t.lines = -1; }), "--lines",
       "-1 is out of range"},
      {"LogsTailPollZero", on_a_log(run_logs_tail, [](LogsTailOptions& t) { t.poll_ms = 0; }), "--poll-ms",
       "0 is out of range"},
      {"LogsTailFor",
       on_a_log(run_logs_tail,
                [](LogsTailOptions& t) {
                  t.follow = true;
                  t.run_for = "a while";
                }),
       "--for", "got 'a while'"},
      // Without -f, --for was ignored, a bad value too: now both are said.
      {"LogsTailForWithoutFollow", on_a_log(run_logs_tail, [](LogsTailOptions& t) { t.run_for = "5s"; }), "--for",
       "give -f too"},
      {"LogsTailBadForWithoutFollow", on_a_log(run_logs_tail, [](LogsTailOptions& t) { t.run_for = "a while"; }),
       "--for", "got 'a while'"},
      {"LogsGenerateKind", [](Output& o) { return run_logs_generate({.out = scratch("g.log"), .kind = "evt"}, o); },
       "--kind", "'evt' is not one of sms, cmtrace"},
      {"LogsGenerateSize", [](Output& o) { return run_logs_generate({.out = scratch("g.log"), .size = "12Q"}, o); },
       "--size", "got '12Q'"},
      {"DbtestFormat", [](Output& o) { return run_dbtest({.db = "sqlite:x", .format = "xml"}, o); }, "--format",
       "'xml' is not one of text, json"},
      {"DbtestFreeDisk", [](Output& o) { return run_dbtest({.db = "sqlite:x", .free_disk_mb = -5}, o); },
       "--free-disk-mb", "-5 is out of range"},
      {"DbtestEngine", [](Output& o) { return run_dbtest({.db = "oracle:foo"}, o); }, "--db", "oracle:foo"},
      {"DbtestMissingMigration",
       [](Output& o) { return run_dbtest({.db = "sqlite:x", .migration = scratch("none.sql")}, o); }, "",
       "none.sql: no such file; expected a migration script (SQL)"},
      {"ClientsFormat", [](Output& o) { return run_clients({.inventory = small(), .format = "xml"}, o); }, "--format",
       "'xml' is not one of text, json, csv"},
      {"ClientsDays", [](Output& o) { return run_clients({.inventory = small(), .days = 0}, o); }, "--days",
       "0 is out of range; expected 1 to 3650"},
      {"ClientsMissingInventory", [](Output& o) { return run_clients({.inventory = scratch("missing.yaml")}, o); }, "",
       "missing.yaml"},
      {"TwinInventorySites",
       [](Output& o) {
         TwinInventoryOptions t;
         t.synth.sites = 0;
         t.out = scratch("inv");
         return run_twin_inventory(t, o);
       },
       "--sites", "0 is out of range; expected 1 to 46000"},
      {"TwinInventoryClients",
       [](Output& o) {
         TwinInventoryOptions t;
         t.synth.clients = -1;
         t.out = scratch("inv");
         return run_twin_inventory(t, o);
       },
       "--clients", "-1 is out of range"},
      {"TwinDbEngine", [](Output& o) { return run_twin_db({.engine = "oracle", .out = scratch("x.db")}, o); },
       "--engine", "'oracle' is not one of sqlite, postgresql"},
      {"TwinDbClients", [](Output& o) { return run_twin_db({.clients = -5, .out = scratch("x.db")}, o); }, "--clients",
       "-5 is out of range"},
      {"TwinDbNoOutput", [](Output& o) { return run_twin_db({.clients = 10}, o); }, "-o", "give -o PATH"},
      {"TwinDbPostgresqlWithOutput",
       [](Output& o) { return run_twin_db({.engine = "postgresql", .out = scratch("x.db")}, o); }, "--db",
       "give --db postgresql://"},
      {"TwinDbHalfAStandIn", [](Output& o) { return run_twin_db({.out = scratch("x.db"), .site_data_mb = 4000}, o); },
       "--site-log-mb", "needs both --site-data-mb and --site-log-mb"},
      {"TwinDbStandInOnPostgresql",
       [](Output& o) {
         return run_twin_db({.engine = "postgresql", .db = "postgresql://h/db", .site_data_mb = 1, .site_log_mb = 1},
                            o);
       },
       "--site-data-mb", "stand-ins are SQLite files"},
      {"TwinMakeFormat",
       [](Output& o) { return run_twin_make({.inventory = small(), .dir = scratch("t"), .format = "yaml"}, o); },
       "--format", "'yaml' is not one of text, json"},
      {"TwinMakeForeignDir",
       [](Output& o) {
         test::write_file(scratch("mine/keep.txt"), "mine");
         int rc = run_twin_make({.inventory = small(), .dir = scratch("mine")}, o);
         EXPECT_TRUE(fs::exists(scratch("mine/keep.txt")));
         return rc;
       },
       "--twin-dir", "not empty and was not made by smsup"},
      {"TwinMakeEngine",
       [](Output& o) {
         return run_twin_make({.inventory = small(), .dir = scratch("t"), .engine = "mysql://u:secret@h/db"}, o);
       },
       "--engine", "is not an engine; expected sqlite or postgresql://"},
      {"TwinMakeNoDir", [](Output& o) { return run_twin_make({.inventory = small()}, o); }, "--twin-dir",
       "required: the twin's folder"},
      {"TwinMakeNoDirOnSqliteViews",
       [](Output& o) { return run_twin_make({.inventory = small(), .views_only = true}, o); }, "--twin-dir",
       "only --views-only on PostgreSQL writes none"},
      {"CollectFormat",
       [](Output& o) { return run_inventory_collect({.central = "sqlite:x", .out = "o", .format = "xml"}, o); },
       "--format", "'xml' is not one of text, json"},
      {"CollectSiteDb",
       [](Output& o) {
         return run_inventory_collect({.central = "sqlite:x", .site_dbs = {"PRIMARY=sqlite:y"}, .out = "o"}, o);
       },
       "--site-db", "is not CODE=CONN"},
      {"CollectAsOf",
       [](Output& o) { return run_inventory_collect({.central = "sqlite:x", .as_of = "June", .out = "o"}, o); },
       "--as-of", "'June' is not a date"},
      {"SchemaFormat", [](Output& o) { return run_inventory_schema({.format = "yaml"}, o); }, "--format",
       "'yaml' is not one of text, json"},
      {"ApplyLeaseZero", [](Output& o) { return run_apply({.plan = a_plan(), .lease = 0}, o); }, "--lease",
       "expected 1 to 86400 seconds"},
      {"ApplyNotifyNoScheme",
       [](Output& o) { return run_apply({.plan = a_plan(), .notify = {"hooks.example.org/x"}}, o); }, "--notify",
       "expected http://HOST[:PORT][/PATH]"},
      {"ApplyNotifyFtp",
       [](Output& o) { return run_apply({.plan = a_plan(), .notify = {"ftp://hooks.example.org/x"}}, o); }, "--notify",
       "the scheme must be http or https"},
      {"ApplyNotifyPort", [](Output& o) { return run_apply({.plan = a_plan(), .notify = {"http://h:70000/x"}}, o); },
       "--notify", "port 70000 is not 1 to 65535"},
      {"ApplyNotifyNoHost", [](Output& o) { return run_apply({.plan = a_plan(), .notify = {"https:///x"}}, o); },
       "--notify", "no host"},
      {"ApplyNotifyPassword",
       [](Output& o) { return run_apply({.plan = a_plan(), .notify = {"https://ann:pw@h/x"}}, o); }, "--notify",
       "put an Authorization header in --notify-header FILE"},
      {"ApplyNotifyHeaderMissing",
       [](Output& o) {
         return run_apply({.plan = a_plan(), .notify = {"http://h/x"}, .notify_header = scratch("none")}, o);
       },
       "--notify-header", "no such file"},
      {"ApplyNotifyHeaderAlone", [](Output& o) { return run_apply({.plan = a_plan(), .notify_header = a_log()}, o); },
       "--notify-header", "none is named"},
      {"ApplyNotifyCaMissing",
       [](Output& o) {
         return run_apply({.plan = a_plan(), .notify = {"https://h/x"}, .notify_ca = scratch("none.pem")}, o);
       },
       "--notify-ca", "no such file"},
      {"ApplyNotifyCaNotPem",
       [](Output& o) { return run_apply({.plan = a_plan(), .notify = {"https://h/x"}, .notify_ca = a_log()}, o); },
       "--notify-ca", "a.log: --notify-ca: expected PEM certificates of the CAs to trust"},
      {"ApplyNotifyCaBrokenPem",
       [](Output& o) {
         test::write_file(scratch("broken.pem"),
                          "-----BEGIN CERTIFICATE-----\nMIIBnotbase64\n-----END CERTIFICATE-----\n");
         return run_apply({.plan = a_plan(), .notify = {"https://h/x"}, .notify_ca = scratch("broken.pem")}, o);
       },
       "--notify-ca", "broken.pem: --notify-ca: expected PEM certificates"},
      {"ApplyNotifyCaAlone", [](Output& o) { return run_apply({.plan = a_plan(), .notify_ca = a_log()}, o); },
       "--notify-ca", "none is named"},
      {"ApplyNotifyWait",
       [](Output& o) { return run_apply({.plan = a_plan(), .notify = {"http://h/x"}, .notify_wait = -1}, o); },
       "--notify-wait", "expected 0 to 3600 seconds"},
      {"ApplyNotifyQueue",
       [](Output& o) { return run_apply({.plan = a_plan(), .notify = {"http://h/x"}, .notify_queue = 0}, o); },
       "--notify-queue", "0 is out of range"},
      {"StatusEventsFormat",
       [](Output& o) { return run_status({.journal = scratch("j.db"), .format = "csv", .events = true}, o); },
       "--format", "'csv' is not one of text, json"},
      {"ReportDaysZero",
       [](Output& o) {
         ReportOptions r;
         r.sources.inventory = small();
         r.sources.days = 0;
         r.output = scratch("r.html");
         int rc = run_report(r, o);
         EXPECT_FALSE(fs::exists(scratch("r.html"))) << "report wrote a page";
         return rc;
       },
       "--days", "0 is out of range; expected 1 to 3650"},
      {"ReportNothingToShow",
       [](Output& o) {
         ReportOptions r;
         r.output = scratch("r.html");
         return run_report(r, o);
       },
       "", "nothing"},
      {"ReportAsOf",
       [](Output& o) {
         ReportOptions r;
         r.sources.inventory = small();
         r.sources.as_of = "next week";
         r.output = scratch("r.html");
         return run_report(r, o);
       },
       "--as-of", "'next week' is not a date"},
      {"JournalCopyNoRun",
       [](Output& o) {
         int rc = run_journal_copy({.from = scratch("none.db"), .to = scratch("to.db")}, o);
         EXPECT_FALSE(fs::exists(scratch("to.db"))) << "copy made a journal";
         return rc;
       },
       "", "none.db"},
      {"DemoAsOf", [](Output& o) { return run_demo({.out = scratch("d"), .as_of = "tomorrow"}, o); }, "--as-of",
       "'tomorrow' is not a date"},
      {"DemoMissingExample",
       [](Output& o) { return run_demo({.out = scratch("d"), .example = "/nonexistent/inv.yaml"}, o); }, "--example",
       "no such file"},
  };
}

// The row's name, not its bytes, in test listings (ctest shows GetParam()).
void PrintTo(const Refusal& r, std::ostream* os) { *os << r.name; }

class Refused : public ::testing::TestWithParam<Refusal> {};

TEST_P(Refused, NamesTheOptionAndWhatItExpected) {
  std::ostringstream out, err;
  Output to{out, err};
  const Refusal& r = GetParam();
  try {
    int rc = r.run(to);
    FAIL() << "ran to exit status " << rc << " instead of refusing; out: " << out.str() << " err: " << err.str();
  } catch (const InputError& e) {
    if (*r.option) {
      EXPECT_EQ(e.field(), r.option) << e.what();
    }
    EXPECT_NE(std::string(e.what()).find(r.says), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(EveryVerb, Refused, ::testing::ValuesIn(refusals()),
                         [](const ::testing::TestParamInfo<Refusal>& i) { return std::string(i.param.name); });

}  // namespace
}  // namespace smsup::cli
