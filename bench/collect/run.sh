#!/usr/bin/env bash
# bench/collect: `smsup inventory collect` of 2,000 sites and 1,000,000
# clients from the twin's central SQLite database (twin make --views-only),
# against the engine's own shell exporting the same client query to CSV in
# the same run (`sqlite3 -csv`): goal within 1.5x of the shell, under 10 s.
# The client query is taken from src/collect/queries.cpp, the one place it is.
#   bash bench/collect/run.sh [BUILD_DIR]     (SITES=, CLIENTS=)
set -euo pipefail
build=${1:-build}
smsup=$build/smsup
sites=${SITES:-2000}
clients=${CLIENTS:-1000000}
out=bench/out/collect-$sites-$clients
mkdir -p "$out"
if [[ ! -f $out/in/inventory.yaml ]]; then
  "$smsup" twin inventory --sites "$sites" --clients "$clients" --seed 1 -o "$out/in" >/dev/null
fi
start=$(date +%s.%N)
"$smsup" twin make "$out/in/inventory.yaml" --twin-dir "$out/twin" --views-only >/dev/null
t_make=$(echo "$(date +%s.%N) - $start" | bc -l)
central=$(ls "$out"/twin/site-databases/*.db | while read -r f; do
  if sqlite3 "$f" "SELECT 1 FROM sqlite_master WHERE name = 'v_Site'" | grep -q 1; then echo "$f"; fi
done | head -1)

# The client query, as queries.cpp has it (kClients).
query=$(python3 - <<'PY'
import re
s = open("src/collect/queries.cpp").read()
m = re.search(r'kClients = R"\((.*?)\)";', s, re.S)
print(m.group(1).strip())
PY
)

best() {  # best of 3 wall times of a command
  local b=999999 t s
  for _ in 1 2 3; do
    s=$(date +%s.%N)
    "$@" >/dev/null
    t=$(echo "$(date +%s.%N) - $s" | bc -l)
    b=$(echo "if ($t < $b) $t else $b" | bc -l)
  done
  printf '%.3f' "$b"
}
t_shell=$(best sqlite3 -csv "$central" "$query")
t_collect=$(best "$smsup" inventory collect --central "sqlite:$central" -o "$out/collected")
rows=$(sqlite3 -csv "$central" "$query" | wc -l)
got=$(($(wc -l <"$out/collected/clients.csv") - 1))
printf 'collect %s sites, %s clients from the twin central SQLite database (%s MB); views written in %.1f s\n' \
  "$sites" "$clients" "$(( $(stat -c %s "$central") / 1048576 ))" "$t_make"
printf '  sqlite3 -csv, the same client query:  %6.2f s  (%s rows)\n' "$t_shell" "$rows"
printf '  smsup inventory collect (ODBC, all):  %6.2f s  (%s clients, inventory.yaml loaded back)\n' "$t_collect" "$got"
printf '  ratio collect / shell: %.2f (goal <= 1.5; under 10 s)\n' "$(echo "$t_collect / $t_shell" | bc -l)"
