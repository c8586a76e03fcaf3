#!/usr/bin/env bash
# bench/twin: rehearse 2,000 sites and 1,000,000 clients with 30 days of CCIM
# cycles and heartbeats, and the honest baseline in the same run: the same
# rehearsal with one event per client per CCIM cycle and per heartbeat
# (--naive-clients). Both must give the same clients-by-day curve. Both run
# with --no-databases: they measure the simulation. A third run makes every
# primary site's own SQLite database too (the default of rehearse), and the
# peer for that part is the sqlite3 shell running the same migration on the
# same stand-in files.
#   bash bench/twin/run.sh [BUILD_DIR]     (SITES=, CLIENTS=, DAYS=, NAIVE=0 to skip the baseline, DBS=0 to skip the databases)
set -euo pipefail
build=${1:-build}
smsup=$build/smsup
sites=${SITES:-2000}
clients=${CLIENTS:-1000000}
days=${DAYS:-30}
out=bench/out/twin-$sites-$clients
mkdir -p "$out"
if [[ ! -f $out/inventory.yaml ]]; then
  "$smsup" twin inventory --sites "$sites" --clients "$clients" --seed 1 -o "$out" >/dev/null
fi

# The plan: `smsup plan` when the planner is in the build (blockers of the
# synthetic inventory waived), otherwise the same step kinds and order from
# bench/twin/straight_plan.py.
plan=$out/plan.json
planner="smsup plan"
if ! "$smsup" plan "$out/inventory.yaml" -o "$plan" --as-of 2006-06-12 >/dev/null 2>"$out/plan.err"; then
  waive=()
  if "$smsup" check "$out/inventory.yaml" --as-of 2006-06-12 --format json -o "$out/check.json" >/dev/null 2>&1 || [[ -s $out/check.json ]]; then
    for r in $(jq -r '[.findings[]? | select(.severity == "blocker") | .rule] | unique | .[]' "$out/check.json" 2>/dev/null); do
      waive+=(--waive "$r")
    done
  fi
  if ! "$smsup" plan "$out/inventory.yaml" -o "$plan" --as-of 2006-06-12 "${waive[@]}" >/dev/null 2>>"$out/plan.err"; then
    python3 bench/twin/straight_plan.py "$out/inventory.yaml" "$plan"
    planner="bench/twin/straight_plan.py (smsup plan not available)"
  fi
fi
steps=$(jq '.steps | length' "$plan")

run() {  # run NAME ARGS... -> prints "wall events"
  local name=$1
  shift
  local start end
  start=$(date +%s.%N)
  local rc=0
  "$smsup" rehearse "$plan" --days "$days" --format json --stats "$@" >"$out/$name.json" 2>"$out/$name.err" || rc=$?
  end=$(date +%s.%N)
  if ((rc > 1)); then cat "$out/$name.err" >&2; exit 1; fi
  local events
  events=$(sed -n 's/.* \([0-9]*\) events,.*/\1/p' "$out/$name.err")
  printf '%s %s\n' "$(echo "$end - $start" | bc -l)" "$events"
}

read -r t_cohort e_cohort < <(run cohorts --no-databases)
printf 'rehearse %s sites, %s clients, %s days of CCIM cycles and heartbeats; plan of %s steps from %s\n' \
  "$sites" "$clients" "$days" "$steps" "$planner"
printf '  virtual duration of the plan: %s; SP2 clients after 1, 2, %s days: %s\n' \
  "$(jq -r .total_virtual "$out/cohorts.json")" "$days" \
  "$(jq -r "[.clients.days[0].sp2, .clients.days[1].sp2, .clients.days[$((days - 1))].sp2] | join(\", \")" "$out/cohorts.json")"
printf '  smsup rehearse (cohorts)              %8.3f s wall  %10s events  %10.0f events/s  (goal: under 10 s)\n' \
  "$t_cohort" "$e_cohort" "$(echo "$e_cohort / $t_cohort" | bc -l)"
if [[ ${NAIVE:-1} != 0 ]]; then
  read -r t_naive e_naive < <(run naive --naive-clients --no-databases)
  printf '  smsup rehearse --naive-clients        %8.3f s wall  %10s events  %10.0f events/s\n' \
    "$t_naive" "$e_naive" "$(echo "$e_naive / $t_naive" | bc -l)"
  same=no
  if [[ $(jq -c .clients.days "$out/cohorts.json") == "$(jq -c .clients.days "$out/naive.json")" ]]; then same=yes; fi
  printf '  ratio naive/cohorts: %.1fx; client-cycles covered per second by the cohorts: %.0f; same clients-by-day curve: %s\n' \
    "$(echo "$t_naive / $t_cohort" | bc -l)" "$(echo "$e_naive / $t_cohort" | bc -l)" "$same"
fi
if [[ ${DBS:-1} != 0 ]]; then
  rm -rf "$out/twin-dir"
  read -r t_dbs _ < <(run databases --twin-dir "$out/twin-dir")
  ndb=$(find "$out/twin-dir/site-databases" -name '*.db' | wc -l)
  mb=$(du -sm "$out/twin-dir/site-databases" | cut -f1)
  # The peer: the sqlite3 shell runs the built-in migration in one transaction
  # on a copy of each (already upgraded) stand-in's pre-upgrade twin, made
  # fresh with `smsup twin db` at the same size; timed alone.
  peer_dir=$out/peer
  rm -rf "$peer_dir"; mkdir -p "$peer_dir"
  all=("$out"/twin-dir/site-databases/*.db)
  sample=("${all[@]:0:20}")
  nsample=${#sample[@]}
  for f in "${sample[@]}"; do
    clients=$(sqlite3 "$f" 'select count(*) from System_DISC')
    "$smsup" twin db --clients "$clients" -o "$peer_dir/$(basename "$f")" >/dev/null
  done
  start=$(date +%s.%N)
  for f in "$peer_dir"/*.db; do
    { echo 'BEGIN;'; cat src/dbtest/sql/sp2_migration.sql; echo 'COMMIT;'; } | sqlite3 "$f"
  done
  end=$(date +%s.%N)
  t_peer=$(echo "($end - $start) * $ndb / $nsample" | bc -l)
  t_extra=$(echo "$t_dbs - $t_cohort" | bc -l)
  printf '  smsup rehearse with site databases    %8.3f s wall  %d databases (%s MB): %.3f s more than without, %.0f ms per database\n' \
    "$t_dbs" "$ndb" "$mb" "$t_extra" "$(echo "1000 * $t_extra / $ndb" | bc -l)"
  printf '  peer: sqlite3 shell, the migration alone on the same-size databases (%d timed, scaled to %d): %.3f s; ratio smsup/peer %.2fx\n' \
    "$nsample" "$ndb" "$t_peer" "$(echo "$t_extra / $t_peer" | bc -l)"
fi
