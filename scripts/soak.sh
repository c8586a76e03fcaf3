#!/usr/bin/env bash
# make soak: the crash tests of tests/run as a long randomized run, bounded
# by SOAK_SECONDS (default 600). Each round takes a new seed and runs, with
# many more kills than `make test` does and random SIGSTOP/SIGCONT pauses
# before some of them:
#   - apply --target shell on an SQLite journal (real processes; every step
#     ran exactly once, the journal ends as an uninterrupted run's),
#   - the same on a PostgreSQL journal (a throwaway cluster the test starts),
#   - a twin apply of a few hundred sites with the twin's random faults.
# Stops at the first failing round (its seed is printed, to replay it with
# SMSUP_CRASH_SEED=...). Never part of `make test`.
set -uo pipefail
build=${1:-build}
secs=${SOAK_SECONDS:-600}
bin="$build/tests/run/test_run"
[[ -x "$bin" ]] || { echo "scripts/soak.sh: $bin is missing (make build first)" >&2; exit 2; }
start=$(date +%s)
end=$(( start + secs ))
seed=${SOAK_SEED:-$(date +%s)}
round=0
declare -A rounds_of
filters=("CrashSafety.KilledAtRandomInstantsAndResumedEndsAsAnUninterruptedRun"
         "CrashSafety.OnPostgreSQLKilledAtRandomInstantsAndResumedEndsAsAnUninterruptedRun"
         "CrashSafety.TwinRunKilledAtRandomInstantsEndsAsAnUninterruptedRun")
echo "== soak for ${secs}s from seed $seed"
while (( $(date +%s) < end )); do
  for f in "${filters[@]}"; do
    (( $(date +%s) < end )) || break
    round=$((round + 1))
    s=$((seed + round))
    out=$(SMSUP_CRASH_SEED=$s SMSUP_CRASH_ROUNDS=${SOAK_KILLS:-80} SMSUP_CRASH_STEPS=1200 \
          SMSUP_CRASH_PG_ROUNDS=${SOAK_PG_KILLS:-30} SMSUP_CRASH_PG_STEPS=480 SMSUP_CRASH_SITES=300 \
          SMSUP_CRASH_PAUSES=1 "$bin" --gtest_filter="$f" 2>&1)
    rc=$?
    echo "$out" | grep -E '^\[crash' | sed "s/^/round $round seed $s: /"
    if [[ $rc -ne 0 ]]; then
      echo "$out" | tail -40
      echo "== soak FAILED in round $round ($f), seed $s: replay with SMSUP_CRASH_SEED=$s SMSUP_CRASH_PAUSES=1 $bin --gtest_filter=$f" >&2
      exit 1
    fi
    rounds_of[$f]=$(( ${rounds_of[$f]:-0} + 1 ))
  done
done
echo "== soak passed: $round rounds in $(( $(date +%s) - start ))s, budget ${secs}s; a round started is run to its end (seeds $((seed + 1))..$((seed + round)))"
for f in "${filters[@]}"; do echo "  ${rounds_of[$f]:-0} x $f"; done
