#!/usr/bin/env python3
"""Plants the bugs of docs/RELIABILITY.md ("Tests that would notice a bug"),
one at a time, and checks that the tests named for each one fail.

  scripts/plant_bugs.py --check BUILD   for each bug: plant it, build only the
                                        test binary named for it in BUILD,
                                        run the named tests (they must FAIL),
                                        take the bug out again; a table at the
                                        end, exit 1 if a bug went unnoticed
  scripts/plant_bugs.py N               plant bug N (1-based) and stop
  scripts/plant_bugs.py -R N            take bug N out again
  scripts/plant_bugs.py --list          the bugs, numbered

The source tree is always restored, also on Ctrl-C; never commit a planted
tree. A bug is planted by replacing one exact piece of source text, so a
plant whose text has moved stops with the file and the text it looked for.
"""
import os
import subprocess
import sys
import time

# (what the bug is, file, correct text, planted text, test target, gtest filter)
PLANTS = [
    ("all upgrades forced into one --max-parallel lane",
     "src/plan/planner.cpp",
     "detail::chain_upgrades(b.steps, opts.max_parallel);",
     "detail::chain_upgrades(b.steps, 1);",
     "test_plan", "PlanProperties.SiblingUpgradesRunInParallelUpToTheLimitNotFewer"),
    ("verify compares each milestone only to the setup start",
     "src/logs/verify.cpp",
     '      previous = out.utc;\n      previous_name = fmt::format("milestone {}", m.number);',
     "      (void)0;",
     "test_logs", "Verify.AMilestoneAfterSetupBeganButBeforeThePreviousOneIsOutOfOrder"),
    ("the replication rule fires on SP2 sites",
     "src/rules/site_rules.cpp",
     "void sql_replication(const Context&, const Site& s, Emit& e) {\n  if (!upgrades(s) || !s.database) return;",
     "void sql_replication(const Context&, const Site& s, Emit& e) {\n  if (!s.database) return;",
     "test_rules", "SiteRules.AnSp2SiteGetsExactlyTheFindingsOfASiteThatNeedsNoUpgrade"),
    ("dbtest creates its copy without O_EXCL",
     "src/dbtest/run_sqlite.cpp",
     "O_CREAT | O_EXCL | O_WRONLY, 0600",
     "O_CREAT | O_WRONLY, 0600",
     "test_dbtest", "SqliteDbtest.NeverWritesOverAFileWhereTheCopyWouldGo"),
    ("dbtest refuses replication for one spelling only",
     "src/dbtest/run_sqlite.cpp",
     'if (v == "true" || v == "1" || v == "yes" || v == "on") {',
     'if (v == "true") {',
     "test_dbtest", "SqliteDbtest.RefusesReplicationWhateverItsSpelling"),
    ("the shell driver joins a command into one string for /bin/sh -c",
     "src/drivers/process.cpp",
     "  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));\n  args.push_back(nullptr);",
     "  static std::string sh = \"/bin/sh\", dash_c = \"-c\", line;\n"
     "  line.clear();\n"
     "  for (const auto& a : argv) line += a + \" \";\n"
     "  args = {sh.data(), dash_c.data(), line.data(), nullptr};",
     "test_run", "HostileValues.*"),
    ("a waiting step's advice prints its id unquoted",
     "src/run/executor.cpp",
     '"waits for a person: smsup confirm " + shell_quote(nodes[i].step->id)',
     '"waits for a person: smsup confirm " + nodes[i].step->id',
     "test_run", "Advice.ShellTargetConfirmRetryAndGoOnWorkPastedFromAnotherFolder"),
]


def swap(n, planted):
    _, path, good, bad, _, _ = PLANTS[n]
    text = open(path).read()
    a, b = (good, bad) if planted else (bad, good)
    if text.count(a) != 1:
        sys.exit(f"plant_bugs.py: {path}: expected the text once, found it {text.count(a)} times:\n{a}")
    open(path, "w").write(text.replace(a, b))


def binary(build, target):
    # tests/<dir>/test_<dir> for a folder with a CMakeLists.txt of its own,
    # tests/test_<dir> for the others.
    for path in (os.path.join(build, "tests", target[len("test_"):], target), os.path.join(build, "tests", target)):
        if os.path.exists(path):
            return path
    sys.exit(f"plant_bugs.py: no {target} under {build}/tests (build it first)")


def check(build):
    rows, unnoticed = [], 0
    for n, (what, path, _, _, target, filt) in enumerate(PLANTS):
        print(f"== bug {n + 1}: {what} ({path}); {target} --gtest_filter={filt}", flush=True)
        swap(n, True)
        try:
            built = subprocess.run(["cmake", "--build", build, "--target", target], capture_output=True, text=True)
            if built.returncode != 0:
                sys.exit(f"plant_bugs.py: the tree with bug {n + 1} did not build:\n{built.stdout[-3000:]}")
            t0 = time.time()
            ran = subprocess.run([binary(build, target), f"--gtest_filter={filt}"], capture_output=True,
                                 text=True, timeout=900)
            failed = [l.split("] ", 1)[1].split(" ")[0] for l in ran.stdout.splitlines() if l.startswith("[  FAILED  ]")
                      and "listed below" not in l and "FAILED TEST" not in l]
            noticed = ran.returncode != 0
            unnoticed += not noticed
            rows.append((n + 1, what, "noticed" if noticed else "NOT NOTICED",
                         ", ".join(sorted(set(failed))) or "-", f"{time.time() - t0:.1f} s"))
            print(f"   {rows[-1][2]}: {rows[-1][3]}", flush=True)
        finally:
            swap(n, False)
    # Leave the build matching the clean tree.
    subprocess.run(["cmake", "--build", build, "--target"] + sorted({p[4] for p in PLANTS}),
                   capture_output=True)
    print("\n| # | Bug planted | Result | Tests that failed |")
    print("|---|---|---|---|")
    for n, what, result, failed, _ in rows:
        print(f"| {n} | {what} | {result} | {failed} |")
    return 1 if unnoticed else 0


def main(argv):
    if argv[:1] == ["--list"]:
        for n, p in enumerate(PLANTS):
            print(f"{n + 1}. {p[0]} ({p[1]}): {p[4]} --gtest_filter={p[5]}")
        return 0
    if len(argv) == 2 and argv[0] == "--check":
        return check(argv[1])
    if len(argv) == 1 and argv[0].isdigit():
        swap(int(argv[0]) - 1, True)
        print(f"planted bug {argv[0]}")
        return 0
    if len(argv) == 2 and argv[0] == "-R" and argv[1].isdigit():
        swap(int(argv[1]) - 1, False)
        print(f"took bug {argv[1]} out")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
