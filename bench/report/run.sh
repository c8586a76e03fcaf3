#!/usr/bin/env bash
# bench/report: `smsup report` on 2,000 sites, 1,000,000 clients and their
# ~15,000-step plan (time and size; goals under 3 s and 15 MB), against
# `smsup check --format json` on the same inventory in the same run (the
# peer: reading and judging the same input); the page's time to interactive
# in Chromium; and `smsup serve`'s /api/status under 100 concurrent clients
# (ab, apache2-utils) against `smsup status --format json` on the same journal.
#   bash bench/report/run.sh [BUILD_DIR]     (SITES=, CLIENTS= to change)
set -euo pipefail
build=${1:-build}
smsup=$(realpath "$build/smsup")
sites=${SITES:-2000}
clients=${CLIENTS:-1000000}
out=bench/out/report-$sites-$clients
mkdir -p "$out"
if [[ ! -f $out/inventory.yaml ]]; then
  "$smsup" twin inventory --sites "$sites" --clients "$clients" --seed 1 -o "$out" >/dev/null
fi
"$smsup" check "$out/inventory.yaml" --as-of 2006-06-12 --format json -o "$out/check.json" >/dev/null 2>&1 || true
waive=()
for r in $(jq -r '[.findings[] | select(.severity == "blocker") | .rule] | unique | .[]' "$out/check.json"); do
  waive+=(--waive "$r")
done
[[ -f $out/plan.json ]] || "$smsup" plan "$out/inventory.yaml" -o "$out/plan.json" --as-of 2006-06-12 "${waive[@]}" >/dev/null
steps=$(jq '.steps | length' "$out/plan.json")

secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
# Wall and CPU (user + system) seconds of one command: "wall cpu".
cpu() { local TIMEFORMAT='%R %U %S' t; t=$({ time "$@" >/dev/null 2>&1; } 2>&1) || true; awk '{print $1, $2 + $3}' <<<"$t"; }
read -r t_check c_check < <(cpu "$smsup" check "$out/inventory.yaml" --as-of 2006-06-12 --format json -o "$out/check2.json")
read -r t_report c_report < <(cpu "$smsup" report --inventory "$out/inventory.yaml" --plan "$out/plan.json" --as-of 2006-06-12 -o "$out/report.html")
size=$(stat -c %s "$out/report.html")
printf 'report: %s sites, %s clients, %s steps (load average %s)\n' "$sites" "$clients" "$steps" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '  smsup check --format json (peer)   %7.2f s wall  %5.2f s CPU\n' "$t_check" "$c_check"
printf '  smsup report                       %7.2f s wall  %5.2f s CPU  %.1f MB  (goal: < 3 s, < 15 MB)\n' \
  "$t_report" "$c_report" "$(echo "$size / 1000000" | bc -l)"
printf '  ratio report/check: wall %.2f, CPU %.2f\n' "$(echo "$t_report / $t_check" | bc -l)" "$(echo "$c_report / $c_check" | bc -l)"

# Time to interactive in Chromium (the browser tests' set-up installs puppeteer-core).
node_dir=$(realpath "$build")/tests/web-node
bash tests/web/setup.sh tests/web "$node_dir" >/dev/null
NODE_PATH=$node_dir/node_modules node bench/report/tti.js "$(realpath "$out/report.html")"

# serve: /api/status under 100 concurrent clients, while an apply runs beside it.
journal=$out/journal.db
rm -f "$journal" "$journal"-wal "$journal"-shm; rm -rf "$journal".twin "$journal".out
"$smsup" apply "$out/plan.json" --target twin --no-databases --journal "$journal" --wait --plain >"$out/apply.log" 2>&1 &
apply_pid=$!
for _ in $(seq 1 100); do [[ -f $journal ]] && break; sleep 0.1; done
"$smsup" serve --journal "$journal" --plan "$out/plan.json" --listen 127.0.0.1:0 >"$out/serve.log" 2>&1 &
serve_pid=$!
trap 'kill $serve_pid $apply_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do grep -q 'http://' "$out/serve.log" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*/' "$out/serve.log" | head -1)
t_status=$(secs "$smsup" status --journal "$journal" --format json)
ab -q -r -s 120 -n 2000 -c 100 "${url}api/status" >"$out/ab.txt" 2>&1 || true
median=$(awk '/^ *50%/ {print $2}' "$out/ab.txt")
p99=$(awk '/^ *99%/ {print $2}' "$out/ab.txt")
rps=$(awk '/Requests per second/ {print $4}' "$out/ab.txt")
printf '  smsup status --format json (peer, one process)   %7.3f s\n' "$t_status"
printf '  serve /api/status, 100 concurrent (ab -n 2000):  median %s ms, p99 %s ms, %s req/s\n' "$median" "$p99" "$rps"
kill "$serve_pid" "$apply_pid" 2>/dev/null || true
wait "$serve_pid" "$apply_pid" 2>/dev/null || true
trap - EXIT

# The apply's per-step overhead without and with 100 viewers, in the same run:
# the same plan of VIEWED_STEPS /bin/true steps (shell target, SQLite journal,
# one at a time), unwatched, then with `smsup serve` on its journal read by
# `ab -c 100` for the whole run. Per step = (total - a 1-step run) / (n - 1).
# shellcheck source=bench/apply/plan.sh
source "$(dirname "$0")/../apply/plan.sh"
nv=${VIEWED_STEPS:-2000}
make_plan "$nv" "$out/viewed-plan.json"
make_plan 1 "$out/viewed-1.json"
printf 'format: smsup-hosts/1\ntimeout: 60s\nkinds:\n  backup:\n    command: [/bin/true]\n' >"$out/viewed-hosts.yaml"
now() { date +%s.%N; }
# Runs the apply of plan $1 on journal "viewed-$2" in the background (apply_pid).
viewed_apply() {
  rm -rf "$out/viewed-$2.db"* "$out/viewed-work-$2"
  "$smsup" apply "$1" --target shell --hosts "$out/viewed-hosts.yaml" --journal "$out/viewed-$2.db" \
    --work-dir "$out/viewed-work-$2" --plain --max-parallel 1 >/dev/null 2>&1 &
  apply_pid=$!
}
# Waits for the apply (in this shell, not in $(...): it is this shell's
# child) and sets `took` to the seconds since $1.
wait_viewed() {
  local rc=0
  wait "$apply_pid" || rc=$?
  ((rc == 0)) || echo "bench/report/run.sh: apply exited $rc" >&2
  took=$(echo "$(now) - $1" | bc -l)
}
s=$(now); viewed_apply "$out/viewed-1.json" one; wait_viewed "$s"; v1=$took
s=$(now); viewed_apply "$out/viewed-plan.json" alone; wait_viewed "$s"; v_alone=$took
s=$(now); viewed_apply "$out/viewed-plan.json" watched
for _ in $(seq 1 200); do [[ -f $out/viewed-watched.db ]] && break; sleep 0.02; done
"$smsup" serve --journal "$out/viewed-watched.db" --listen 127.0.0.1:0 >"$out/viewed-serve.log" 2>&1 &
serve_pid=$!
trap 'kill $serve_pid $apply_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do grep -q 'http://' "$out/viewed-serve.log" && break; sleep 0.05; done
vurl=$(grep -o 'http://[0-9.:]*/' "$out/viewed-serve.log" | head -1)
# 100 viewers for as long as the apply runs: rounds of ab, each to its end.
(
  while kill -0 "$apply_pid" 2>/dev/null; do
    ab -q -r -s 120 -n 1000 -c 100 "${vurl}api/status" 2>&1 | awk '/Complete requests/ {print $3}'
  done >"$out/viewed-ab.txt"
) &
ab_loop=$!
wait_viewed "$s"; v_watched=$took
wait "$ab_loop" 2>/dev/null || true
kill "$serve_pid" 2>/dev/null || true
wait "$serve_pid" 2>/dev/null || true
trap - EXIT
vper() { echo "($1 - $v1) / ($nv - 1) * 1000" | bc -l; }
served=$(awk '{n += $1} END {print n + 0}' "$out/viewed-ab.txt")
printf '  apply of %s /bin/true steps (SQLite journal): unwatched %.2f ms/step; with serve and 100 ab viewers %.2f ms/step (%.2fx; %s requests served meanwhile)\n' \
  "$nv" "$(vper "$v_alone")" "$(vper "$v_watched")" "$(echo "$(vper "$v_watched") / $(vper "$v_alone")" | bc -l)" "$served"
