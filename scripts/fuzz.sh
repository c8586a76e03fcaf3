#!/usr/bin/env bash
# Runs each libFuzzer target of build-fuzz/fuzz/ for FUZZ_SECONDS (default 60),
# one after the other, with its seeds (fuzz/seeds/fuzz_<name>/) and its
# working corpus (build-fuzz/corpus/fuzz_<name>/, kept between runs), then
# prints one line per target: seconds, executions, corpus size, findings.
# A finding (crash, leak, sanitizer report, timeout, out of memory) leaves
# its input as build-fuzz/findings/fuzz_<name>/crash-* and fails the run.
# FUZZ_TARGETS="plan_json duration" runs only those.
# FUZZ_CPU_SECONDS=3600 gives each target that much CPU time instead of wall
# time (FUZZ_SECONDS is then ignored): on a machine shared with builds, run
# at `nice -n 19`, the fuzzer takes only idle CPU and still gets its hour.
# The target is asked to stop with SIGUSR1, libFuzzer's graceful exit, so its
# final statistics are printed as after -max_total_time.
set -uo pipefail
dir=${FUZZ_BUILD:-build-fuzz}
secs=${FUZZ_SECONDS:-60}
cpu_budget=${FUZZ_CPU_SECONDS:-}
if [[ -n $cpu_budget && ! $cpu_budget =~ ^[1-9][0-9]{0,6}$ ]]; then
  echo "scripts/fuzz.sh: FUZZ_CPU_SECONDS: expected whole seconds from 1 to 9999999, got '$cpu_budget'" >&2
  exit 2
fi
if [[ -z $cpu_budget && ! $secs =~ ^[1-9][0-9]{0,6}$ ]]; then
  echo "scripts/fuzz.sh: FUZZ_SECONDS: expected whole seconds from 1 to 9999999, got '$secs'" >&2
  exit 2
fi
tick=$(getconf CLK_TCK)
# libFuzzer's timeout is wall-clock time: 5 s for one input, unless the CPU
# budget is used, where the fuzzer runs beside other work at nice 19 and may
# wait seconds for the CPU (a 0.2 s input was once reported as a 7 s
# timeout); FUZZ_TIMEOUT sets it either way.
timeout=${FUZZ_TIMEOUT:-$([[ -n $cpu_budget ]] && echo 60 || echo 5)}
if [[ ! $timeout =~ ^[1-9][0-9]{0,4}$ ]]; then
  echo "scripts/fuzz.sh: FUZZ_TIMEOUT: expected whole seconds from 1 to 99999, got '$timeout'" >&2
  exit 2
fi

# cpu_of PID: the user + system CPU seconds the process has used (empty once
# it has gone). Fields 14 and 15 of /proc/PID/stat, counted after the
# command name's closing parenthesis.
cpu_of() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) }
  awk -v t="$tick" '{ printf "%d\n", ($12 + $13) / t }' <<<"$stat"
}
targets=()
if [[ -n "${FUZZ_TARGETS:-}" ]]; then
  for t in $FUZZ_TARGETS; do targets+=("$dir/fuzz/fuzz_$t"); done
else
  for f in "$dir"/fuzz/fuzz_*; do [[ -x "$f" ]] && targets+=("$f"); done
fi
[[ ${#targets[@]} -gt 0 ]] || { echo "scripts/fuzz.sh: no fuzz targets in $dir/fuzz (run make fuzz)" >&2; exit 2; }

summary=()
failed=0
for f in "${targets[@]}"; do
  n=$(basename "$f")
  corpus="$dir/corpus/$n"
  findings="$dir/findings/$n"
  mkdir -p "$corpus" "$findings"
  log="$dir/fuzz-$n.log"
  seeds=()
  [[ -d fuzz/seeds/$n ]] && seeds=("fuzz/seeds/$n")
  args=(-timeout="$timeout" -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -handle_usr1=1
        -artifact_prefix="$findings/" "$corpus" "${seeds[@]}")
  start=$(date +%s)
  if [[ -n $cpu_budget ]]; then
    echo "== $n for ${cpu_budget}s of CPU (log: $log)"
    "$f" "${args[@]}" >"$log" 2>&1 &
    pid=$!
    used=0
    while kill -0 "$pid" 2>/dev/null; do
      now=$(cpu_of "$pid")
      [[ -n $now ]] && used=$now
      if ((used >= cpu_budget)); then
        kill -USR1 "$pid" 2>/dev/null
        break
      fi
      sleep 5
    done
    wait "$pid"
    rc=$?
    budget="${used}s CPU in $(($(date +%s) - start))s"
  else
    echo "== $n for ${secs}s (log: $log)"
    "$f" -max_total_time="$secs" "${args[@]}" >"$log" 2>&1
    rc=$?
    budget="${secs}s"
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(du -sk "$corpus" | cut -f1)
  found=$(find "$findings" -type f | wc -l)
  line=$(printf '%-28s %s %12s execs %6s files %6s KiB corpus %3s findings' "$n" "$budget" "${execs:-?}" "$files" "$bytes" "$found")
  summary+=("$line")
  if [[ $rc -ne 0 ]]; then
    failed=1
    echo "$n: FAILED (exit $rc); see $log and $findings/" >&2
    grep -m5 -E "ERROR|SUMMARY|invariant|message of|control byte" "$log" >&2
  fi
done
echo
echo "== fuzz summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
printf '%s\n' "${summary[@]}"
exit $failed
