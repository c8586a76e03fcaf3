#!/usr/bin/env bash
# bench/dbtest/run.sh BUILD_DIR
# smsup dbtest (copy + migrate + measure + check) against the engines' own
# shells doing the bare copy + migration on the same database, in the same run:
#   SQLite:     sqlite3 DB "VACUUM INTO copy"  +  sqlite3 copy < BEGIN; sp2_migration.sql; COMMIT
#   PostgreSQL: createdb -T DB copy            +  psql -1 -f sp2_migration.sql copy
# DBTEST_BENCH_CLIENTS (default 1000000) sizes the SQLite database, generated
# once under bench/out/dbtest/ and cached; DBTEST_BENCH_PG_CLIENTS (default
# 200000) sizes the PostgreSQL one, in a throwaway cluster on loopback.
set -euo pipefail
BUILD=${1:?usage: bench/dbtest/run.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SMSUP=$BUILD/src/cli/smsup; [[ -x $SMSUP ]] || SMSUP=$BUILD/smsup
SMSUP=$(realpath "$SMSUP")
CLIENTS=${DBTEST_BENCH_CLIENTS:-1000000}
PG_CLIENTS=${DBTEST_BENCH_PG_CLIENTS:-200000}
MIG=$ROOT/src/dbtest/sql/sp2_migration.sql
OUT=$ROOT/bench/out/dbtest
mkdir -p "$OUT"

now() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# ---- SQLite ---------------------------------------------------------------
DB=$OUT/site-$CLIENTS.db
if [[ ! -f $DB ]]; then
  echo "generating $DB ($CLIENTS clients, once)..."
  "$SMSUP" twin db --clients "$CLIENTS" -o "$DB.tmp" --seed 1 && mv "$DB.tmp" "$DB"
fi
echo "SQLite site database: $DB ($(du -m "$DB" | cut -f1) MB, $CLIENTS clients)"
cat "$DB" > /dev/null  # same warm page cache for both

rm -f "$OUT/peer-copy.db"
t0=$(now)
sqlite3 "$DB" "VACUUM INTO '$OUT/peer-copy.db'"
{ echo "BEGIN;"; cat "$MIG"; echo "COMMIT;"; } | sqlite3 -bail "$OUT/peer-copy.db"
t1=$(now)
rm -f "$OUT/peer-copy.db"
peer=$(secs "$t0" "$t1")

t0=$(now)
"$SMSUP" dbtest --db "sqlite:$DB" --format json > "$OUT/smsup-sqlite.json"
t1=$(now)
ours=$(secs "$t0" "$t1")
echo "sqlite:     smsup dbtest ${ours} s   sqlite3 VACUUM INTO + migration ${peer} s   ratio $(ratio "$ours" "$peer")"
grep -A3 '"dbtest"' "$OUT/smsup-sqlite.json" | tr -d '\n '; echo

# ---- PostgreSQL -----------------------------------------------------------
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z $PGBIN ]]; then echo "postgresql: SKIPPED (no /usr/lib/postgresql/*/bin)"; exit 0; fi
PGDIR=$(mktemp -d /tmp/smsup-bench-pg.XXXXXX)
AS=()
if [[ $(id -u) -eq 0 ]]; then chown postgres "$PGDIR"; AS=(runuser -u postgres --); fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
stop() { "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$PGDIR"; }
trap stop EXIT
"${AS[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres --no-sync >/dev/null
"${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDIR -c fsync=off -c max_wal_size=4GB" start >/dev/null
URL=postgresql://postgres@127.0.0.1:$PORT
PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1)
"${PSQL[@]}" "$URL/postgres" -c 'CREATE DATABASE "SMS_CEN"'
echo "generating PostgreSQL site database ($PG_CLIENTS clients)..."
"$SMSUP" twin db --engine postgresql --clients "$PG_CLIENTS" --db "$URL/SMS_CEN" >/dev/null
"${PSQL[@]}" "$URL/postgres" -c 'CHECKPOINT'

t0=$(now)
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres -T SMS_CEN peer_copy
"${PSQL[@]}" -1 -f "$MIG" "$URL/peer_copy"
t1=$(now)
peer=$(secs "$t0" "$t1")
"$PGBIN/dropdb" -h 127.0.0.1 -p "$PORT" -U postgres peer_copy
"${PSQL[@]}" "$URL/postgres" -c 'CHECKPOINT'

t0=$(now)
"$SMSUP" dbtest --db "$URL/SMS_CEN" --format json > "$OUT/smsup-postgresql.json"
t1=$(now)
ours=$(secs "$t0" "$t1")
echo "postgresql: smsup dbtest ${ours} s   createdb -T + psql migration ${peer} s   ratio $(ratio "$ours" "$peer")   ($PG_CLIENTS clients)"
grep -A3 '"dbtest"' "$OUT/smsup-postgresql.json" | tr -d '\n '; echo
