#!/usr/bin/env bash
# Browser-test set-up (a ctest fixture): puppeteer-core as pinned by
# package-lock.json, installed with `npm ci` into the build tree; never a
# browser download (the tests drive Debian's /usr/bin/chromium). Fails, naming
# what is missing, when Node.js, npm or chromium is not installed.
set -euo pipefail
src=$1
dst=$2
missing=()
command -v node >/dev/null 2>&1 || missing+=("node (Debian package nodejs)")
command -v npm >/dev/null 2>&1 || missing+=("npm (Debian package npm)")
[[ -x ${CHROMIUM:-/usr/bin/chromium} ]] || missing+=("chromium (Debian package chromium)")
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "FAIL: the browser tests need: ${missing[*]}; scripts/deps.sh (make deps) installs them" >&2
  exit 1
fi
mkdir -p "$dst"
cp "$src/package.json" "$src/package-lock.json" "$dst/"
if [[ -f $dst/node_modules/.smsup-lock ]] && cmp -s "$src/package-lock.json" "$dst/node_modules/.smsup-lock"; then
  exit 0
fi
cd "$dst"
if ! PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts >npm-ci.log 2>&1; then
  echo "FAIL: npm ci could not install puppeteer-core from the npm registry (see $dst/npm-ci.log):" >&2
  tail -20 npm-ci.log >&2
  exit 1
fi
cp package-lock.json node_modules/.smsup-lock
