#!/usr/bin/env bash
# verify over SMB against the raw SMB transfer of the same files, in one run:
#   bench/logs/smb.sh BUILD_DIR        (SMSUP_BENCH_SMB_SIZE=64M for a quick run; default 256M)
# Starts a throwaway Samba server (smbd, loopback only, a free high port, every
# folder in a temporary one) serving a site tree whose sitecomp.log is a big
# generated log, then times, best of 3 each:
#   smbclient -c 'get ...'  of the four logs (the wire and the server: the floor)
#   smsup verify --logs smb://...   (read over SMB + the scan)
#   smsup verify --logs DIR         (the same tree read locally)
#   smsup verify --logs smb://... --wait 60s  (the follower over SMB: the site
#                                   is verified at the first poll, so this is
#                                   the follower's first full read + the scan)
# and prints the ratios. Needs samba and smbclient (scripts/deps.sh), run as root.
set -euo pipefail
BUILD=${1:?usage: bench/logs/smb.sh BUILD_DIR}
SMSUP=$BUILD/smsup
[[ -x $SMSUP ]] || { echo "no smsup binary in $BUILD" >&2; exit 2; }
SMSUP=$(cd "$(dirname "$SMSUP")" && pwd)/$(basename "$SMSUP")
SIZE=${SMSUP_BENCH_SMB_SIZE:-256M}
for p in smbd smbpasswd smbclient; do
  command -v $p >/dev/null || [[ -x /usr/sbin/$p ]] || { echo "$p is needed: scripts/deps.sh" >&2; exit 2; }
done
PATH=$PATH:/usr/sbin

T=$(mktemp -d /tmp/smsup-smb-bench.XXXXXX)
chmod 755 "$T"
SMBD_PID=
cleanup() {
  # smbd runs in its own process group (setsid): stop it and its helpers.
  if [[ -n $SMBD_PID ]]; then kill -TERM -- "-$SMBD_PID" 2>/dev/null || true; sleep 0.5; kill -KILL -- "-$SMBD_PID" 2>/dev/null || true; fi
  rm -rf "$T"
}
trap cleanup EXIT

SITE=$T/site
mkdir -p "$SITE/SMS/Logs" "$T"/{private,lock,state,cache,pid,log,ncalrpc,got}
chmod 700 "$T/private"
printf '<06-04-2006 23:00:00> SMS Setup Started....\r\n<06-04-2006 23:20:00> SMS Setup completed successfully.\r\n' > "$SITE/SMSSetup.log"
"$SMSUP" logs generate --kind sms --size "$SIZE" -o "$SITE/SMS/Logs/sitecomp.log" >/dev/null
printf 'Wait for site control changes for maximum 3600 seconds...  $$<SMS_HIERARCHY_MANAGER><06-09-2006 01:00:00.000+420><thread=3012 (0xBC4)>\r\n' > "$SITE/SMS/Logs/hman.log"
printf 'Waiting for changes inbox definition, inbox rules and inbox replication files, max wait = 3600 seconds.  $$<SMS_INBOX_MANAGER><06-09-2006 01:05:00.000+420><thread=1844 (0x734)>\r\n' > "$SITE/SMS/Logs/inboxmgr.log"
chmod -R a+rX "$SITE"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$T/smb.conf" <<CONF
[global]
  server role = standalone server
  private dir = $T/private
  lock directory = $T/lock
  state directory = $T/state
  cache directory = $T/cache
  pid directory = $T/pid
  ncalrpc dir = $T/ncalrpc
  log file = $T/log/log.%m
  passdb backend = tdbsam:$T/private/passdb.tdb
  smb ports = $PORT
  interfaces = lo
  bind interfaces only = yes
  disable netbios = yes
  load printers = no
  printcap name = /dev/null
  disable spoolss = yes
  map to guest = never
[site]
  path = $SITE
  read only = yes
  valid users = nobody
CONF
PW="bench-$RANDOM$RANDOM"
printf '%s\n%s\n' "$PW" "$PW" | smbpasswd -c "$T/smb.conf" -a -s nobody >/dev/null
( umask 077; printf 'username = nobody\npassword = %s\n' "$PW" > "$T/auth" )
setsid smbd --foreground --no-process-group -s "$T/smb.conf" >"$T/smbd.out" 2>&1 &
SMBD_PID=$!
for _ in $(seq 200); do
  (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break
  kill -0 $SMBD_PID 2>/dev/null || { echo "smbd exited: $(cat "$T/smbd.out")" >&2; exit 1; }
  sleep 0.05
done

best() {  # best wall time of 3 runs, in seconds
  local best=999999 s e
  for _ in 1 2 3; do
    s=$(date +%s.%N); "$@" >"$T/.out" 2>&1 || true; e=$(date +%s.%N)
    best=$(awk -v s="$s" -v e="$e" -v b="$best" 'BEGIN { t = e - s; print (t < b ? t : b) }')
  done
  printf '%.3f' "$best"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

URL="smb://nobody@127.0.0.1:$PORT/site"
"$SMSUP" verify LAB --logs "$URL" --smb-auth "$T/auth" >"$T/check.out" 2>&1 || {
  echo "verify over SMB did not verify:" >&2; cat "$T/check.out" >&2; exit 1; }
bytes=$(du -cb "$SITE/SMSSetup.log" "$SITE"/SMS/Logs/*.log | tail -1 | cut -f1)
echo "== SMB benchmark: $SIZE sitecomp.log ($bytes bytes in all), Samba $(smbd --version | cut -d' ' -f2) on loopback, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
get="get SMSSetup.log $T/got/SMSSetup.log; get SMS/Logs/sitecomp.log $T/got/sitecomp.log; get SMS/Logs/hman.log $T/got/hman.log; get SMS/Logs/inboxmgr.log $T/got/inboxmgr.log"
t_get=$(best smbclient "//127.0.0.1/site" -p "$PORT" -A "$T/auth" -c "$get")
t_smb=$(best "$SMSUP" verify LAB --logs "$URL" --smb-auth "$T/auth")
t_local=$(best "$SMSUP" verify LAB --logs "$SITE")
t_wait=$(best "$SMSUP" verify LAB --logs "$URL" --smb-auth "$T/auth" --wait 60s)
printf '%-44s %8s s\n' "smbclient get of the four logs" "$t_get"
printf '%-44s %8s s   %sx the smbclient get\n' "smsup verify over SMB" "$t_smb" "$(ratio "$t_smb" "$t_get")"
printf '%-44s %8s s   (over SMB is %sx local)\n' "smsup verify on the local tree" "$t_local" "$(ratio "$t_smb" "$t_local")"
printf '%-44s %8s s   %sx the smbclient get\n' "smsup verify --wait over SMB (follower)" "$t_wait" "$(ratio "$t_wait" "$t_get")"
