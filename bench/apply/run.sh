#!/usr/bin/env bash
# bench/apply: the per-step overhead of smsup apply (executor + SQLite journal
# with synchronous=FULL, every state change committed; then the same with a
# PostgreSQL journal on a throwaway cluster on loopback, fsync on) against
# Ansible, all running /bin/true once per step on this host, in the same run.
#   bash bench/apply/run.sh [BUILD_DIR]    (STEPS=10000 ANSIBLE_TASKS=200 to change)
# Per-step overhead = (time for N steps - time for 1 step) / (N - 1), so that
# neither tool's start-up counts; smsup runs its steps one at a time here, as
# Ansible runs the tasks of one host, and then also in parallel.
set -euo pipefail
shopt -s inherit_errexit
build=${1:-build}
smsup=$(realpath "$build/smsup")
n=${STEPS:-10000}
na=${ANSIBLE_TASKS:-200}
out=bench/out/apply
mkdir -p "$out"
command -v ansible-playbook >/dev/null || { echo "bench/apply: ansible-playbook missing (scripts/deps.sh --bench)"; exit 2; }

# shellcheck source=bench/apply/plan.sh
source "$(dirname "$0")/plan.sh"

make_playbook() {
  { echo "- hosts: localhost"; echo "  gather_facts: false"; echo "  tasks:";
    for ((i = 0; i < $1; i++)); do echo "    - command: /bin/true"; done; } > "$2"
}

cat > "$out/hosts.yaml" <<'YAML'
format: smsup-hosts/1
timeout: 60s
kinds:
  backup:
    command: [/bin/true]
YAML

now() { date +%s.%N; }
# seconds for: smsup apply PLAN with a fresh journal, extra options after
JOURNAL=""  # set below for the PostgreSQL runs
time_smsup() {
  local plan=$1; shift
  rm -rf "$out/j.db" "$out/j.db-wal" "$out/j.db-shm" "$out/j.db.out" "$out/work"
  local s e j=${JOURNAL:-$out/j.db}
  [[ -n "$JOURNAL" ]] && j="$JOURNAL?campaign=b$RANDOM$RANDOM"
  s=$(now)
  "$smsup" apply "$plan" --target shell --hosts "$out/hosts.yaml" --journal "$j" --work-dir "$out/work" --plain "$@" >/dev/null
  e=$(now)
  echo "$e - $s" | bc -l
}
# The null callback (community.general) when installed, else ansible-core's
# minimal one; the output goes to /dev/null either way.
acb=minimal
ansible-doc -t callback -l 2>/dev/null | grep -q '^community.general.null\|^null ' && acb=null
time_ansible() {
  local s e
  s=$(now)
  ANSIBLE_NOCOLOR=1 ANSIBLE_STDOUT_CALLBACK=$acb ansible-playbook -i localhost, -c local "$1" >/dev/null
  e=$(now)
  echo "$e - $s" | bc -l
}

make_plan "$n" "$out/plan-$n.json"
make_plan 1 "$out/plan-1.json"
make_playbook "$na" "$out/play-$na.yml"
make_playbook 1 "$out/play-1.yml"

t1=$(time_smsup "$out/plan-1.json" --max-parallel 1)
tn=$(time_smsup "$out/plan-$n.json" --max-parallel 1)
tp=$(time_smsup "$out/plan-$n.json" --max-parallel 8)
a1=$(time_ansible "$out/play-1.yml")
an=$(time_ansible "$out/play-$na.yml")

per_s=$(echo "($tn - $t1) / ($n - 1) * 1000" | bc -l)
per_p=$(echo "($tp - $t1) / ($n - 1) * 1000" | bc -l)
per_a=$(echo "($an - $a1) / ($na - 1) * 1000" | bc -l)
printf 'apply: %d steps of /bin/true through executor + journal vs Ansible %d tasks of command: /bin/true\n' "$n" "$na"
printf '  smsup apply --target shell, 1 at a time   %8.3f s total  %7.3f ms/step\n' "$tn" "$per_s"
printf '  smsup apply --target shell, 8 in parallel %8.3f s total  %7.3f ms/step\n' "$tp" "$per_p"
printf '  ansible-playbook -c local                 %8.3f s total  %7.3f ms/step  (%d tasks)\n' "$an" "$per_a" "$na"
printf '  ratio Ansible/smsup per step: %.0fx (one at a time), %.0fx (parallel)\n' \
  "$(echo "$per_a / $per_s" | bc -l)" "$(echo "$per_a / $per_p" | bc -l)"

# The same with the journal on PostgreSQL: a throwaway cluster on loopback
# (fsync on, as a real server), started and removed here.
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$pgbin" ]]; then echo "bench/apply: PostgreSQL missing (scripts/deps.sh)"; exit 2; fi
pgdir=$(mktemp -d /tmp/smsup-bench-pg-XXXXXX)
as=()
if [[ $(id -u) -eq 0 ]]; then chown postgres "$pgdir"; as=(runuser -u postgres --); fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${as[@]}" "$pgbin/initdb" -D "$pgdir/data" -A trust -U postgres >/dev/null
"${as[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $pgdir" start >/dev/null
trap '"${as[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1; rm -rf "$pgdir"' EXIT
JOURNAL="postgresql://postgres@127.0.0.1:$port/postgres"
g1=$(time_smsup "$out/plan-1.json" --max-parallel 1)
gn=$(time_smsup "$out/plan-$n.json" --max-parallel 1)
gp=$(time_smsup "$out/plan-$n.json" --max-parallel 8)
per_g=$(echo "($gn - $g1) / ($n - 1) * 1000" | bc -l)
per_gp=$(echo "($gp - $g1) / ($n - 1) * 1000" | bc -l)
printf '  PostgreSQL journal, 1 at a time           %8.3f s total  %7.3f ms/step  (SQLite/PG %.2f, Ansible/PG %.0fx)\n' \
  "$gn" "$per_g" "$(echo "$per_s / $per_g" | bc -l)" "$(echo "$per_a / $per_g" | bc -l)"
printf '  PostgreSQL journal, 8 in parallel         %8.3f s total  %7.3f ms/step  (SQLite/PG %.2f)\n' \
  "$gp" "$per_gp" "$(echo "$per_p / $per_gp" | bc -l)"
JOURNAL=""
# 2,000 steps while 10 operators watch (status loops; serve with HTTP
# pollers), with a control: bench/apply/watched.sh, its own cluster.
STEPS=2000 POLLERS=10 bash "$(dirname "$0")/watched.sh" "$build"

# The twin driver: a planned synthetic hierarchy of about $n steps (manual
# steps done by the twin, as in a rehearsal), one step at a time. Start-up
# (inventory, twin, plan) is counted in: per step = total / steps. The sites'
# own databases are left out (--no-databases): making them is a one-off cost
# of the twin, measured by bench/twin, not the executor's per-step overhead.
sites=$(( n * 100 / 540 ))
if [[ ! -f "$out/twin-$sites/plan.json" ]]; then
  "$smsup" twin inventory --sites "$sites" --clients 20000 --seed 1 -o "$out/twin-$sites" >/dev/null
  "$smsup" plan "$out/twin-$sites/inventory.yaml" -o "$out/twin-$sites/plan-manual.json" --method update-quiet --as-of 2006-06-12 >/dev/null
  sed 's/"manual": *true/"manual":false/g' "$out/twin-$sites/plan-manual.json" > "$out/twin-$sites/plan.json"
fi
nt=$(grep -c '"id":' "$out/twin-$sites/plan.json" || true)
rm -rf "$out/tj.db" "$out/tj.db-wal" "$out/tj.db-shm" "$out/tj.db.twin"
s=$(now)
"$smsup" apply "$out/twin-$sites/plan.json" --journal "$out/tj.db" --plain --no-databases >/dev/null || true
e=$(now)
tt=$(echo "$e - $s" | bc -l)
per_t=$(echo "$tt / $nt * 1000" | bc -l)
printf '  smsup apply --target twin (%d steps)     %8.3f s total  %7.3f ms/step  ratio %.0fx\n' "$nt" "$tt" "$per_t" \
  "$(echo "$per_a / $per_t" | bc -l)"
