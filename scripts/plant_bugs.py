#!/usr/bin/env python3
# Plants the bugs of docs/RELIABILITY.md ("Tests that would notice a bug") into
# src/, or takes them out again with -R. Build, run the tests named there: each
# must fail with the bugs planted. Never commit a planted tree.
import sys
plants = [
 ('src/plan/planner.cpp', 'detail::chain_upgrades(b.steps, opts.max_parallel);', 'detail::chain_upgrades(b.steps, 1);'),
 ('src/logs/verify.cpp', '      previous = out.utc;\n      previous_name = fmt::format("milestone {}", m.number);', '      (void)0;'),
 ('src/rules/site_rules.cpp', 'void sql_replication(const Context&, const Site& s, Emit& e) {\n  if (!upgrades(s) || !s.database) return;', 'void sql_replication(const Context&, const Site& s, Emit& e) {\n  if (!s.database) return;'),
 ('src/dbtest/run_sqlite.cpp', 'O_CREAT | O_EXCL | O_WRONLY, 0600', 'O_CREAT | O_WRONLY, 0600'),
 ('src/dbtest/run_sqlite.cpp', 'if (v == "true" || v == "1" || v == "yes" || v == "on") {', 'if (v == "true") {'),
]
rev = len(sys.argv) > 1 and sys.argv[1] == '-R'
for f, a, b in plants:
    s = open(f).read()
    if rev: a, b = b, a
    assert s.count(a) == 1, (f, a)
    open(f, 'w').write(s.replace(a, b))
print('reverted' if rev else 'planted')
