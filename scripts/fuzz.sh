#!/usr/bin/env bash
# Runs each libFuzzer target of build-fuzz/fuzz/ for FUZZ_SECONDS (default 60),
# one after the other, with its seeds (fuzz/seeds/fuzz_<name>/) and its
# working corpus (build-fuzz/corpus/fuzz_<name>/, kept between runs), then
# prints one line per target: seconds, executions, corpus size, findings.
# A finding (crash, leak, sanitizer report, timeout, out of memory) leaves
# its input as build-fuzz/findings/fuzz_<name>/crash-* and fails the run.
# FUZZ_TARGETS="plan_json duration" runs only those.
set -uo pipefail
dir=${FUZZ_BUILD:-build-fuzz}
secs=${FUZZ_SECONDS:-60}
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
  echo "== $n for ${secs}s (log: $log)"
  seeds=()
  [[ -d fuzz/seeds/$n ]] && seeds=("fuzz/seeds/$n")
  "$f" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
       -artifact_prefix="$findings/" "$corpus" "${seeds[@]}" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(du -sk "$corpus" | cut -f1)
  found=$(find "$findings" -type f | wc -l)
  line=$(printf '%-28s %5ss %12s execs %6s files %6s KiB corpus %3s findings' "$n" "$secs" "${execs:-?}" "$files" "$bytes" "$found")
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
