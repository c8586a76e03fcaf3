#!/usr/bin/env bash
# bench/plan: plan the upgrade of 2,000 sites and 1,000,000 clients, against
# `smsup check` on the same input in the same run (the peer: the planner must
# add under 1 s to the readiness check it builds on).
#   bash bench/plan/run.sh [BUILD_DIR]      (SITES=, CLIENTS=, RUNS= to change)
set -euo pipefail
build=${1:-build}
smsup=$build/smsup
sites=${SITES:-2000}
clients=${CLIENTS:-1000000}
runs=${RUNS:-3}
out=bench/out/plan-$sites-$clients
mkdir -p "$out"
if [[ ! -f $out/inventory.yaml ]]; then
  "$smsup" twin inventory --sites "$sites" --clients "$clients" --seed 1 -o "$out" >/dev/null
fi

# The synthetic inventory may carry blockers: waive exactly those, so that the
# plan is made (a refused plan would time nothing).
"$smsup" check "$out/inventory.yaml" --as-of 2006-06-12 --format json -o "$out/check.json" >/dev/null 2>&1 || true
waive=()
for r in $(jq -r '[.findings[] | select(.severity == "blocker") | .rule] | unique | .[]' "$out/check.json"); do
  waive+=(--waive "$r")
done

# best of $runs wall seconds; also the peak RSS (KiB) of the best run
# (/usr/bin/time reports a non-zero status on its last line)
best() {
  local best_t=999999 best_rss=0 t
  for ((i = 0; i < runs; i++)); do
    local start end
    start=$(date +%s.%N)
    local rc=0
    /usr/bin/time -f '%M' -o "$out/rss" "$@" >/dev/null 2>"$out/stderr" || rc=$?
    # 0 fine, 1 done with blockers (check), anything else: it could not run
    if ((rc > 1)); then cat "$out/stderr" >&2; exit 1; fi
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    if (($(echo "$t < $best_t" | bc -l))); then best_t=$t; best_rss=$(tail -1 "$out/rss"); fi
  done
  printf '%s %s\n' "$best_t" "$best_rss"
}

read -r t_check rss_check < <(best "$smsup" check "$out/inventory.yaml" --as-of 2006-06-12)
read -r t_checkj rss_checkj < <(best "$smsup" check "$out/inventory.yaml" --as-of 2006-06-12 --format json -o "$out/check.json")
read -r t_plan rss_plan < <(best "$smsup" plan "$out/inventory.yaml" -o "$out/plan.json" --as-of 2006-06-12 --with-os-sp1 "${waive[@]}")
steps=$(jq '.steps | length' "$out/plan.json")
size=$(du -m "$out/plan.json" | cut -f1)
printf 'plan %s sites, %s clients, %s steps, plan file %s MB (best of %s; waived: %s)\n' \
  "$sites" "$clients" "$steps" "$size" "$runs" "${waive[*]:-none}"
printf '  smsup check (load + rules + text summary)       %8.3f s  peak %6d MiB\n' "$t_check" $((rss_check / 1024))
printf '  smsup check --format json (every finding)       %8.3f s  peak %6d MiB\n' "$t_checkj" $((rss_checkj / 1024))
printf '  smsup plan  (load + rules + plan + plan file)   %8.3f s  peak %6d MiB\n' "$t_plan" $((rss_plan / 1024))
printf '  plan - check (text): %.3f s (goal: under 1 s); ratio plan/check: %.2f\n' \
  "$(echo "$t_plan - $t_check" | bc -l)" "$(echo "$t_plan / $t_check" | bc -l)"
