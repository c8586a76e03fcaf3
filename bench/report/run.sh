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
