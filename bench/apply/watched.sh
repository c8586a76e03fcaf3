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
#      reading /api/status every second (the page's way of watching).
# Per-step = (total - a 1-step run) / (STEPS - 1). Also the cost of one
# `smsup status` of the finished STEPS-step campaign, and of the binary's
# start alone (`smsup --version`), each the mean of 20 in a row.
#   bash bench/apply/watched.sh [BUILD_DIR]    (STEPS=2000 POLLERS=10 to change)
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
  printf '  %-43s %8.3f s  %7.3f ms/step  (%.2fx unwatched)\n' "$1" "$2" "$p" "$(echo "$p / $pa" | bc -l)"
}
printf 'apply on a PostgreSQL journal, %d steps of /bin/true one at a time; %d pollers each every second\n' "$n" "$np"
t1=$(run "$out/plan-1.json" one)
t_alone=$(run "$out/plan-$n.json" idle)   # leaves a finished campaign for the control
pa=$(per "$t_alone")
printf '  %-43s %8.3f s  %7.3f ms/step\n' unwatched "$t_alone" "$pa"
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
poll_status=$(mean20 "$smsup" status --journal "$J?campaign=idle")
poll_start=$(mean20 "$smsup" --version)
cpu_status=$(cpu20 "$smsup" status --journal "$J?campaign=idle")
cpu_start=$(cpu20 "$smsup" --version)
printf '  one smsup status of the %d-step campaign: %.1f ms wall, %.1f ms CPU; smsup --version alone: %.1f ms wall, %.1f ms CPU\n' \
  "$n" "$(echo "$poll_status * 1000" | bc -l)" "$(echo "$cpu_status * 1000" | bc -l)" \
  "$(echo "$poll_start * 1000" | bc -l)" "$(echo "$cpu_start * 1000" | bc -l)"
