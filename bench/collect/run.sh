#!/usr/bin/env bash
# bench/collect: `smsup inventory collect` of 2,000 sites and 1,000,000
# clients from the twin's central database, against the engine's own shell
# exporting the same client query to CSV in the same run: `sqlite3 -csv` for
# the SQLite twin (twin make --views-only), `psql -c "\copy (...) to FILE
# csv"` for the PostgreSQL twin (twin make --views-only --engine
# postgresql://..., in a throwaway cluster). Goal: within 1.5x of the shell,
# under 10 s. The client query is taken from src/collect/queries.cpp, the one
# place it is (the same text on both engines).
#   bash bench/collect/run.sh [BUILD_DIR]
#   env: SITES, CLIENTS (2000, 1000000), PG_CLIENTS (CLIENTS), ROUNDS (3),
#        ENGINES ("sqlite postgresql"), BEFORE (another smsup binary, e.g.
#        the one before a change: timed in the same rounds, for a
#        before/after taken in the same minutes)
# Each figure is the best wall time and the least CPU time (user + sys) of
# ROUNDS runs, alternating smsup, the shell and the bare ODBC fetch: on a
# shared machine the CPU time is the fairer comparison. On PostgreSQL the CPU
# is the client process's only (the server runs the same query for both).
set -euo pipefail
build=${1:-build}
smsup=$(realpath "$build/smsup")
sites=${SITES:-2000}
clients=${CLIENTS:-1000000}
pg_clients=${PG_CLIENTS:-$clients}
rounds=${ROUNDS:-3}
engines=${ENGINES:-sqlite postgresql}
before=${BEFORE:+$(realpath "$BEFORE")}

# The client query, as queries.cpp has it (kClients).
query=$(python3 - <<'PY'
import re
s = open("src/collect/queries.cpp").read()
m = re.search(r'kClients = R"\((.*?)\)";', s, re.S)
print(m.group(1).strip())
PY
)

inventory() {  # DIR for N clients
  local dir=bench/out/collect-$sites-$1
  if [[ ! -f $dir/in/inventory.yaml ]]; then
    mkdir -p "$dir"
    "$smsup" twin inventory --sites "$sites" --clients "$1" --seed 1 -o "$dir/in" >/dev/null
  fi
  echo "$dir"
}

# run NAME CMD...: one timed run; appends "wall cpu" to $times/NAME.
times=$(mktemp -d)
trap 'rm -rf "$times"' EXIT
run() {
  local name=$1
  shift
  /usr/bin/time -f '%e %U %S' -o "$times/one" "$@" >/dev/null
  awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$times/one" >>"$times/$name"
}
best() {  # NAME -> "wall cpu": the best wall time and the least CPU time of its runs
  echo "$(sort -n -k1,1 "$times/$1" | head -1 | cut -d' ' -f1) $(sort -n -k2,2 "$times/$1" | head -1 | cut -d' ' -f2)"
}
report() {  # ENGINE SHELL_LABEL ROWS GOT
  read -r sw sc < <(best "$1-shell")
  read -r cw cc < <(best "$1-collect")
  printf '  %-42s %7.2f s wall %6.2f s CPU  (%s rows)\n' "$2" "$sw" "$sc" "$3"
  printf '  %-42s %7.2f s wall %6.2f s CPU  (%s clients written, inventory.yaml loaded back)\n' \
    "smsup inventory collect (ODBC, all of it):" "$cw" "$cc" "$4"
  printf '  ratio collect / shell: wall %.2f, CPU %.2f (goal <= 1.5; under 10 s)\n' \
    "$(echo "$cw / $sw" | bc -l)" "$(echo "$cc / $sc" | bc -l)"
}

# The driver's share: the same fetch with nothing done with the rows.
fetch=$times/odbc_fetch
c++ -O2 -std=c++20 -o "$fetch" bench/collect/odbc_fetch.cpp -lodbc
before_line() {  # ENGINE: the BEFORE binary's collect, against the shell
  [[ -n $before ]] || return 0
  read -r sw sc < <(best "$1-shell")
  read -r bw bc < <(best "$1-before")
  printf '  %-42s %7.2f s wall %6.2f s CPU  (ratio to the shell: wall %.2f, CPU %.2f)\n' \
    "the same collect by BEFORE ($(basename "$before")):" "$bw" "$bc" \
    "$(echo "$bw / $sw" | bc -l)" "$(echo "$bc / $sc" | bc -l)"
}
floor_line() {  # ENGINE ROWS
  read -r fw fc < <(best "$1-fetch")
  printf '  %-42s %7.2f s wall %6.2f s CPU  (%s; the ODBC driver'"'"'s share)\n' \
    "ODBC fetch alone (bench/collect/odbc_fetch):" "$fw" "$fc" "$2"
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- SQLite ---------------------------------------------------------------
if [[ " $engines " == *" sqlite "* ]]; then
  out=$(inventory "$clients")
  start=$(date +%s.%N)
  "$smsup" twin make "$out/in/inventory.yaml" --twin-dir "$out/twin" --views-only >/dev/null
  t_make=$(echo "$(date +%s.%N) - $start" | bc -l)
  central=$(ls "$out"/twin/site-databases/*.db | while read -r f; do
    if sqlite3 "$f" "SELECT 1 FROM sqlite_master WHERE name = 'v_Site'" | grep -q 1; then echo "$f"; fi
  done | head -1)
  for _ in $(seq "$rounds"); do
    run sqlite-shell sqlite3 -csv "$central" "$query"
    run sqlite-collect "$smsup" inventory collect --central "sqlite:$central" -o "$out/collected"
    if [[ -n $before ]]; then
      run sqlite-before "$before" inventory collect --central "sqlite:$central" -o "$out/collected-before"
    fi
    run sqlite-fetch "$fetch" "DRIVER={SQLite3};Database=file:$(realpath "$central")?mode=ro;NoCreat=1;StepAPI=1;NoWCHAR=1" "$query"
  done
  rows=$(sqlite3 -csv "$central" "$query" | wc -l)
  got=$(($(wc -l <"$out/collected/clients.csv") - 1))
  printf 'SQLite: %s sites, %s clients, central database %s MB (views written in %.1f s)\n' \
    "$sites" "$clients" "$(($(stat -c %s "$central") / 1048576))" "$t_make"
  report sqlite "sqlite3 -csv, the same client query:" "$rows" "$got"
  before_line sqlite
  if [[ -n $before ]]; then
    cmp -s "$out/collected/clients.csv" "$out/collected-before/clients.csv" &&
      echo "  clients.csv: the same bytes as BEFORE's" || echo "  clients.csv: NOT the same as BEFORE's"
  fi
  floor_line sqlite "fetching every row"
fi

# ---- PostgreSQL -----------------------------------------------------------
if [[ " $engines " == *" postgresql "* ]]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [[ -z $PGBIN ]]; then
    echo "postgresql: no /usr/lib/postgresql/*/bin (package postgresql)" >&2
    exit 1
  fi
  out=$(inventory "$pg_clients")
  PGDIR=$(mktemp -d /tmp/smsup-bench-pg.XXXXXX)
  AS=()
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres "$PGDIR"
    AS=(runuser -u postgres --)
  fi
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  stop() {
    "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PGDIR" "$times"
  }
  trap stop EXIT
  "${AS[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres --no-sync >/dev/null
  "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDIR -c fsync=off -c max_wal_size=4GB" start >/dev/null
  URL=postgresql://postgres@127.0.0.1:$PORT
  start=$(date +%s.%N)
  "$smsup" twin make "$out/in/inventory.yaml" --views-only --engine "$URL/postgres" --format json >"$out/pg-make.json"
  t_make=$(echo "$(date +%s.%N) - $start" | bc -l)
  central=$(python3 -c 'import json,sys; print([d["url"] for d in json.load(open(sys.argv[1]))["site_databases"] if d["central"]][0])' "$out/pg-make.json")
  "$PGBIN/psql" -X -q "$URL/postgres" -c 'VACUUM ANALYZE' -c 'CHECKPOINT' >/dev/null
  "$PGBIN/psql" -X -q "$central" -c 'VACUUM ANALYZE' >/dev/null
  oneline=$(echo "$query" | tr '\n' ' ')
  mkdir -p "$out/collected-pg"
  for _ in $(seq "$rounds"); do
    run pg-shell "$PGBIN/psql" -X -q "$central" -c "\\copy ($oneline) to '$out/collected-pg/psql.csv' csv"
    run pg-collect "$smsup" inventory collect --central "$central" -o "$out/collected-pg"
    if [[ -n $before ]]; then
      run pg-before "$before" inventory collect --central "$central" -o "$out/collected-pg-before"
    fi
    run pg-fetch "$fetch" "DRIVER={PostgreSQL Unicode};SERVER=127.0.0.1;PORT=$PORT;DATABASE=${central##*/};UID=postgres;ReadOnly=1;UseDeclareFetch=1;Fetch=10000" "$query"
  done
  rows=$(wc -l <"$out/collected-pg/psql.csv")
  got=$(($(wc -l <"$out/collected-pg/clients.csv") - 1))
  printf 'PostgreSQL %s: %s sites, %s clients, central database %s (views written in %.1f s)\n' \
    "$("$PGBIN/postgres" --version | awk '{print $3}')" "$sites" "$pg_clients" \
    "$("$PGBIN/psql" -X -A -t "$central" -c 'SELECT pg_size_pretty(pg_database_size(current_database()))')" "$t_make"
  report pg "psql \\copy (the same client query) csv:" "$rows" "$got"
  before_line pg
  floor_line pg "client process only: the server's work is not in any CPU figure here"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
