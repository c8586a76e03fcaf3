#!/usr/bin/env bash
# Log scanning: smsup against grep -F and ripgrep on the same generated logs.
#   bench/logs/run.sh BUILD_DIR        (SMSUP_BENCH_LOG_SIZE=64M for a quick run; default 1G)
# Writes bench/out/logs/{sms,cmtrace}.log (kept between runs when the size matches)
# and a site tree around each for `smsup verify`. Each figure is the best of 3 runs,
# page cache warm; smsup matches without regard to case, grep and rg with it.
set -euo pipefail
BUILD=${1:?usage: bench/logs/run.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SMSUP=$BUILD/smsup
[[ -x $SMSUP ]] || SMSUP=$BUILD/src/cli/smsup
[[ -x $SMSUP ]] || { echo "no smsup binary in $BUILD" >&2; exit 2; }
SMSUP=$(cd "$(dirname "$SMSUP")" && pwd)/$(basename "$SMSUP")
SIZE=${SMSUP_BENCH_LOG_SIZE:-1G}
OUT=$ROOT/bench/out/logs
mkdir -p "$OUT"
command -v rg >/dev/null || { echo "ripgrep (rg) is needed: scripts/deps.sh --bench" >&2; exit 2; }

best() {  # best wall time of 3 runs, in seconds
  # Output goes to a file, not /dev/null: GNU grep stops at the first match
  # when it sees its output is /dev/null, which would time nothing.
  local best=999999 s e
  for _ in 1 2 3; do
    s=$(date +%s.%N); "$@" >"$OUT/.bench-output" 2>&1 || true; e=$(date +%s.%N)
    best=$(awk -v s="$s" -v e="$e" -v b="$best" 'BEGIN { t = e - s; print (t < b ? t : b) }')
  done
  printf '%.3f' "$best"
}
six_greps() {
  local f=$1
  grep -F -c 'SMS Setup completed successfully' "$f"
  grep -F -c 'Processing site shutdown transaction' "$f"
  grep -F -c 'Site shutdown complete' "$f"
  grep -F -c 'Sitecomp.box" directories' "$f"
  grep -F -c 'Wait for site control changes for maximum 3600 seconds' "$f"
  grep -F -c 'Waiting for changes inbox definition, inbox rules and inbox replication files, max wait = 3600 seconds' "$f"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

site() {  # a site tree whose sitecomp.log is the big generated log
  local kind=$1 dir=$OUT/site-$1/C
  mkdir -p "$dir/SMS/Logs"
  printf '<06-04-2006 23:00:00> SMS Setup Started....\r\n<06-04-2006 23:20:00> SMS Setup completed successfully.\r\n' > "$dir/SMSSetup.log"
  ln -sf "$OUT/$kind.log" "$dir/SMS/Logs/sitecomp.log"
  printf 'Wait for site control changes for maximum 3600 seconds...  $$<SMS_HIERARCHY_MANAGER><06-09-2006 01:00:00.000+420><thread=3012 (0xBC4)>\r\n' > "$dir/SMS/Logs/hman.log"
  printf 'Waiting for changes inbox definition, inbox rules and inbox replication files, max wait = 3600 seconds.  $$<SMS_INBOX_MANAGER><06-09-2006 01:05:00.000+420><thread=1844 (0x734)>\r\n' > "$dir/SMS/Logs/inboxmgr.log"
  echo "$OUT/site-$1/C"
}

echo "== logs benchmark: $SIZE per log, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
for kind in sms cmtrace; do
  f=$OUT/$kind.log
  if [[ ! -f $f || "$(cat "$f.size" 2>/dev/null)" != "$SIZE" ]]; then
    "$SMSUP" logs generate --kind "$kind" --size "$SIZE" -o "$f"
    echo "$SIZE" > "$f.size"
  fi
  bytes=$(stat -c %s "$f")
  cat "$f" > /dev/null
  root=$(site "$kind")
  "$SMSUP" verify LAB --logs "$root" >/dev/null || { echo "verify failed on $root" >&2; exit 1; }
  t_scan=$(best "$SMSUP" logs scan "$f")
  t_verify=$(best "$SMSUP" verify LAB --logs "$root")
  t_grep=$(best grep -F -c 'Site shutdown complete' "$f")
  t_rg=$(best rg -F -c 'Site shutdown complete' "$f")
  t_six=$(best six_greps "$f")
  t_stats=$(best "$SMSUP" logs stats "$f")
  mb=$(awk -v b="$bytes" 'BEGIN { print b / 1000000 }')
  printf '\n%s log, %.0f MB\n' "$kind" "$mb"
  printf '  %-44s %7ss\n' "smsup logs scan (all 6 milestones, 1 pass)" "$t_scan"
  printf '  %-44s %7ss   %sx faster than 1 grep, %sx than 6\n' "smsup verify (site, this log as sitecomp)" "$t_verify" \
    "$(ratio "$t_grep" "$t_verify")" "$(ratio "$t_six" "$t_verify")"
  printf '  %-44s %7ss   scan is %sx faster\n' "grep -F -c (1 milestone)" "$t_grep" "$(ratio "$t_grep" "$t_scan")"
  printf '  %-44s %7ss   scan is %sx faster\n' "rg -F -c (1 milestone)" "$t_rg" "$(ratio "$t_rg" "$t_scan")"
  printf '  %-44s %7ss   scan is %sx faster\n' "6 x grep -F -c (all milestones)" "$t_six" "$(ratio "$t_six" "$t_scan")"
  printf '  %-44s %7ss   %.0f MB/s\n' "smsup logs stats (full parse into fields)" "$t_stats" "$(awk -v m="$mb" -v t="$t_stats" 'BEGIN { print m / t }')"
done
