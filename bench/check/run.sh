#!/usr/bin/env bash
# bench/check: load and check 2,000 sites and 1,000,000 clients end to end,
# against the sqlite3 shell importing the same clients CSV, in the same run.
#   bash bench/check/run.sh [BUILD_DIR]     (SITES=, CLIENTS=, RUNS= to change)
set -euo pipefail
build=${1:-build}
smsup=$build/smsup
sites=${SITES:-2000}
clients=${CLIENTS:-1000000}
runs=${RUNS:-3}
out=bench/out/check-$sites-$clients
command -v sqlite3 >/dev/null || { echo "bench/check: sqlite3 shell missing (scripts/deps.sh)"; exit 2; }
if [[ ! -f $out/inventory.yaml ]]; then
  "$smsup" twin inventory --sites "$sites" --clients "$clients" --seed 1 -o "$out" >/dev/null
fi

# best of $runs wall seconds; also the peak RSS (KiB) of the last run
best() {
  local best_t=999999 t rss
  for ((i = 0; i < runs; i++)); do
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$out/rss" "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    if (($(echo "$t < $best_t" | bc -l))); then best_t=$t; fi
  done
  rss=$(tail -n 1 "$out/rss")
  printf '%s %s\n' "$best_t" "$rss"
}

read -r t_smsup rss_smsup < <(best "$smsup" check "$out/inventory.yaml" --as-of 2006-06-12 --format json -o "$out/check.json")
read -r t_sqlite rss_sqlite < <(best sqlite3 ":memory:" ".import --csv $out/clients.csv clients")
printf 'check %s sites, %s clients (best of %s)\n' "$sites" "$clients" "$runs"
printf '  smsup check (load + all rules + JSON) %8.3f s  peak %6d MiB\n' "$t_smsup" $((rss_smsup / 1024))
printf '  sqlite3 .import of the clients CSV    %8.3f s  peak %6d MiB\n' "$t_sqlite" $((rss_sqlite / 1024))
printf '  ratio smsup/sqlite3: %.2f\n' "$(echo "$t_smsup / $t_sqlite" | bc -l)"
