#!/usr/bin/env bash
# bench/apply/watched.sh: what people watching cost a run on the PostgreSQL
# journal (issue 15: 2,000 steps while 10 operators poll every second). On a
# throwaway PostgreSQL cluster on loopback (fsync on), started and removed
# here, the same plan of /bin/true steps, one at a time, in the same run:
#   1. unwatched;
#   2. POLLERS loops of `smsup status` every second on ANOTHER campaign of the
#      same size (the control: the pollers' own CPU on this machine, nothing
#      shared with the run's campaign);
#   3. the same loops on the run's own campaign;
#   4. one `smsup serve` on the run's campaign and POLLERS loops of curl
#      reading /api/status every second (the page's way of watching);
#   5. POLLERS `smsup status --watch --every 1s` on the run's campaign (one
#      process and one connection each, reading only what changed).
# Per-step = (total - a 1-step run) / (STEPS - 1). Also the cost of one
# `smsup status` of the finished STEPS-step campaign, and of the binary's
# start alone (`smsup --version`), each the mean of 20 in a row; and the CPU
# of one `status --watch` look (client and its PostgreSQL backend, from
# /proc/PID/schedstat, nanoseconds on a CPU) on a campaign of STEPS steps of which the last 50 wait for a person:
# looks where nothing changed, then looks where one step changed (a confirm
# between two looks).
#   bash bench/apply/watched.sh [BUILD_DIR]    (STEPS=2000 POLLERS=10 to change;
#                                               LOOKS_ONLY=1: only the cost of one look)
set -euo pipefail
shopt -s inherit_errexit
build=${1:-build}
smsup=$(realpath "$build/smsup")
n=${STEPS:-2000}
np=${POLLERS:-10}
out=bench/out/apply-watched
mkdir -p "$out"
command -v curl >/dev/null || { echo "bench/apply/watched.sh: curl missing (scripts/deps.sh --bench)"; exit 2; }

# shellcheck source=bench/apply/plan.sh
source "$(dirname "$0")/plan.sh"
cat > "$out/hosts.yaml" <<'YAML'
format: smsup-hosts/1
timeout: 60s
kinds:
  backup:
    command: [/bin/true]
YAML
make_plan "$n" "$out/plan-$n.json"
make_plan 1 "$out/plan-1.json"

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$pgbin" ]]; then echo "bench/apply/watched.sh: PostgreSQL missing (scripts/deps.sh)"; exit 2; fi
pgdir=$(mktemp -d /tmp/smsup-bench-pg-XXXXXX)
as=()
if [[ $(id -u) -eq 0 ]]; then chown postgres "$pgdir"; as=(runuser -u postgres --); fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
"${as[@]}" "$pgbin/initdb" -D "$pgdir/data" -A trust -U postgres >/dev/null
"${as[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $pgdir" start >/dev/null
serve_pid=""
cleanup() {
  [[ -n "$serve_pid" ]] && kill "$serve_pid" 2>/dev/null || true
  "${as[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap cleanup EXIT
J="postgresql://postgres@127.0.0.1:$port/postgres"

now() { date +%s.%N; }
apply_pid=""
start_apply() {  # plan campaign
  rm -rf "$out/work-$2"
  "$smsup" apply "$1" --target shell --hosts "$out/hosts.yaml" --journal "$J?campaign=$2" \
    --work-dir "$out/work-$2" --plain --max-parallel 1 >/dev/null &
  apply_pid=$!
}
# POLLERS loops running "$@" every second while the apply runs.
pollers=()
start_pollers() {
  pollers=()
  for ((w = 0; w < np; w++)); do
    ( while kill -0 "$apply_pid" 2>/dev/null; do "$@" >/dev/null 2>&1 || true; sleep 1; done ) &
    pollers+=($!)
  done
}
# seconds for the apply started last (its pollers stop with it)
wait_apply() {
  local s=$1 rc=0
  wait "$apply_pid" || rc=$?
  ((rc == 0)) || echo "bench/apply/watched.sh: apply exited $rc" >&2
  local e
  e=$(now)
  if ((${#pollers[@]})); then wait "${pollers[@]}" 2>/dev/null || true; fi
  pollers=()
  echo "$e - $s" | bc -l
}
run() {  # plan campaign [poller command...]
  local plan=$1 camp=$2 s
  shift 2
  s=$(now)
  start_apply "$plan" "$camp"
  if (($#)); then start_pollers "$@"; fi
  wait_apply "$s"
}
mean20() {  # mean seconds of 20 runs of "$@"
  local s e
  s=$(now)
  for ((i = 0; i < 20; i++)); do "$@" >/dev/null 2>&1 || true; done
  e=$(now)
  echo "($e - $s) / 20" | bc -l
}
cpu20() {  # mean CPU seconds (user + system) of 20 runs of "$@"
  local TIMEFORMAT='%U %S' t
  t=$({ time (for ((i = 0; i < 20; i++)); do "$@" >/dev/null 2>&1 || true; done); } 2>&1)
  awk '{print ($1 + $2) / 20}' <<<"$t"
}
per() { echo "($1 - $t1) / ($n - 1) * 1000" | bc -l; }

row() {  # label seconds
  local p
  p=$(per "$2")
  printf '  %-48s %8.3f s  %7.3f ms/step  (%.2fx unwatched)\n' "$1" "$2" "$p" "$(echo "$p / $pa" | bc -l)"
}
if [[ -z ${LOOKS_ONLY:-} ]]; then
printf 'apply on a PostgreSQL journal, %d steps of /bin/true one at a time; %d pollers each every second\n' "$n" "$np"
t1=$(run "$out/plan-1.json" one)
t_alone=$(run "$out/plan-$n.json" idle)   # leaves a finished campaign for the control
pa=$(per "$t_alone")
printf '  %-48s %8.3f s  %7.3f ms/step\n' unwatched "$t_alone" "$pa"
row "status on another campaign (control)" "$(run "$out/plan-$n.json" ctrl "$smsup" status --journal "$J?campaign=idle")"
row "status on the run's campaign" "$(run "$out/plan-$n.json" watched "$smsup" status --journal "$J?campaign=watched")"
# serve opens the campaign once the run has made it (status then answers).
sport=$(free_port)
s=$(now)
start_apply "$out/plan-$n.json" served
for ((i = 0; i < 200; i++)); do
  rc=0
  "$smsup" status --journal "$J?campaign=served" >/dev/null 2>&1 || rc=$?
  ((rc != 2)) && break
  sleep 0.05
done
"$smsup" serve --journal "$J?campaign=served" --listen "127.0.0.1:$sport" >/dev/null 2>&1 &
serve_pid=$!
start_pollers curl -sf -o /dev/null "http://127.0.0.1:$sport/api/status"
wait_apply "$s" > "$out/t-serve"  # here, not in $(...): the apply is this shell's child
t_serve=$(cat "$out/t-serve")
kill "$serve_pid" 2>/dev/null || true
wait "$serve_pid" 2>/dev/null || true
serve_pid=""
row "one serve, curl /api/status" "$t_serve"
# The watchers start once the run has made its campaign, and end by
# themselves when it is finished.
s=$(now)
start_apply "$out/plan-$n.json" watchers
for ((i = 0; i < 200; i++)); do
  rc=0
  "$smsup" status --journal "$J?campaign=watchers" >/dev/null 2>&1 || rc=$?
  ((rc != 2)) && break
  sleep 0.05
done
pollers=()
for ((w = 0; w < np; w++)); do
  "$smsup" status --watch --every 1s --journal "$J?campaign=watchers" >"$out/watcher-$w.out" 2>&1 &
  pollers+=($!)
done
wait_apply "$s" > "$out/t-watch"
t_watch=$(cat "$out/t-watch")
row "status --watch --every 1s on the run's campaign" "$t_watch"
poll_status=$(mean20 "$smsup" status --journal "$J?campaign=idle")
poll_start=$(mean20 "$smsup" --version)
cpu_status=$(cpu20 "$smsup" status --journal "$J?campaign=idle")
cpu_start=$(cpu20 "$smsup" --version)
printf '  one smsup status of the %d-step campaign: %.1f ms wall, %.1f ms CPU; smsup --version alone: %.1f ms wall, %.1f ms CPU\n' \
  "$n" "$(echo "$poll_status * 1000" | bc -l)" "$(echo "$cpu_status * 1000" | bc -l)" \
  "$(echo "$poll_start * 1000" | bc -l)" "$(echo "$cpu_start * 1000" | bc -l)"
fi

# One look of `status --watch`: CPU of the watcher and of its server backend
# (nanoseconds on a CPU, /proc/PID/schedstat) over a window of looks every
# 100 ms. A campaign of STEPS steps, the last 50 of them for a person (no
# command: apply leaves them waiting).
awk -v n="$n" 'BEGIN {
  printf "{\"format\":\"smsup-plan/1\",\"hierarchy\":\"Bench\",\"inventory_sha256\":\"none\",";
  printf "\"created\":\"2026-11-25T00:00:00Z\",\"options\":{\"method\":\"update-quiet\",\"max_parallel\":1},\"steps\":[\n";
  for (i = 0; i < n; i++) {
    manual = i >= n - 50;
    printf "%s{\"id\":\"M/%s/%d\",\"kind\":\"%s\",\"site\":\"M%02d\",\"host\":\"M-H\",\"after\":[],", (i ? ",\n" : ""), manual ? "drw" : "backup", i, manual ? "drw" : "backup", int(i / 100);
    printf "\"manual\":%s,\"params\":{},\"estimate_min\":1,\"why\":[],\"title\":\"step %d\"}", manual ? "true" : "false", i;
  }
  print "]}";
}' > "$out/plan-manual.json"
"$smsup" apply "$out/plan-manual.json" --target shell --hosts "$out/hosts.yaml" --journal "$J?campaign=manual" \
  --work-dir "$out/work-manual" --plain --max-parallel 1 >/dev/null 2>&1 || true
cpu_of() { awk '{print $1 / 1000000}' "/proc/$1/schedstat"; }  # ms
psql_() { "${as[@]}" "$pgbin/psql" -h "$pgdir" -p "$port" -U postgres -d postgres -Atc "$1"; }
"$smsup" status --watch --every 100ms --journal "$J?campaign=manual" >"$out/watch-manual.out" 2>&1 &
wpid=$!
for ((i = 0; i < 200; i++)); do [[ -s "$out/watch-manual.out" ]] && break; sleep 0.05; done
backend=""
for ((i = 0; i < 200; i++)); do
  backend=$(psql_ "SELECT pid FROM pg_stat_activity WHERE application_name='smsup' AND datname='postgres'" | head -1)
  [[ -n "$backend" ]] && break
  sleep 0.05
done
[[ -n "$backend" ]] || { echo "bench/apply/watched.sh: the watcher's server backend not found" >&2; exit 1; }
window=10
c0=$(cpu_of "$wpid") b0=$(cpu_of "$backend") s=$(now)
sleep "$window"
c1=$(cpu_of "$wpid") b1=$(cpu_of "$backend") e=$(now)
idle_looks=$(echo "($e - $s) / 0.1" | bc -l)
idle_c=$(echo "($c1 - $c0) / $idle_looks" | bc -l)
idle_b=$(echo "($b1 - $b0) / $idle_looks" | bc -l)
blocks0=$(grep -c '^Journal ' "$out/watch-manual.out" || true)
c0=$(cpu_of "$wpid") b0=$(cpu_of "$backend") s=$(now)
for ((i = n - 50; i < n - 1; i++)); do
  "$smsup" confirm "M/drw/$i" --journal "$J?campaign=manual" --note bench >/dev/null 2>&1
  sleep 0.15   # > one look: one step changed per look
done
sleep 0.15
c1=$(cpu_of "$wpid") b1=$(cpu_of "$backend") e=$(now)
blocks=$(($(grep -c '^Journal ' "$out/watch-manual.out") - blocks0))
# The last confirm finishes the campaign: the watcher ends by itself.
"$smsup" confirm "M/drw/$((n - 1))" --journal "$J?campaign=manual" --note bench >/dev/null 2>&1
wait "$wpid" || true
looks=$(echo "($e - $s) / 0.1" | bc -l)
chg_c=$(echo "(($c1 - $c0) - ($looks - $blocks) * $idle_c) / $blocks" | bc -l)
chg_b=$(echo "(($b1 - $b0) - ($looks - $blocks) * $idle_b) / $blocks" | bc -l)
printf '  one status --watch look of the %d-step campaign, nothing changed: %.3f ms CPU (+ %.3f ms its server backend), mean of %.0f\n' \
  "$n" "$idle_c" "$idle_b" "$idle_looks"
printf '  one status --watch look where one step changed (a block printed): %.2f ms CPU (+ %.2f ms its server backend), %d such looks\n' \
  "$chg_c" "$chg_b" "$blocks"
