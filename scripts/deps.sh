#!/usr/bin/env bash
# Installs the Debian packages smsup needs to build, test and benchmark.
# A fast no-op when everything is already there. Run as root (CI is root).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libsqlite3-dev sqlite3 libssl-dev
  libvectorscan-dev
  # src/smb loads libsmbclient (dlopen; libsmbclient-dev for its header and the library); tests/smb starts a real smbd (samba) on
  # loopback; the SMB benchmark's raw transfer is smbclient's.
  libsmbclient-dev samba smbclient
  libpq-dev postgresql
  # inventory collect: unixODBC, and the drivers it reaches the site databases
  # through (FreeTDS for SQL Server 2000/2005, SQLite and PostgreSQL for the twin).
  unixodbc-dev odbcinst libsqliteodbc odbc-postgresql tdsodbc
  libgtest-dev libgmock-dev libbenchmark-dev
  ccache
  # smsup serve (cpp-httplib); the browser tests of report and serve drive
  # Debian's chromium with puppeteer-core from npm (tests/web/package.json).
  libcpp-httplib-dev chromium
)
# Peers the benchmarks compare against (not needed to build or test).
bench_packages=(ripgrep hyperfine ansible-core bc time apache2-utils curl)
# The libFuzzer targets (make fuzz): clang and its fuzzer runtime. Not needed
# to build or test.
fuzz_packages=(clang libclang-rt-14-dev)

want=("${packages[@]}")
case "${1:-}" in
  --bench) want+=("${bench_packages[@]}") ;;
  --fuzz) want+=("${fuzz_packages[@]}") ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# Node.js and npm for the browser tests, from Debian unless a node with its
# own npm (e.g. NodeSource's package) is already there.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "scripts/deps.sh: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
