# Sourced by the apply benchmarks (run.sh, watched.sh): the plan they run.
# A plan of $1 trivial steps: chains of 100 steps per site, one host per site.
make_plan() {
  awk -v n="$1" 'BEGIN {
    printf "{\"format\":\"smsup-plan/1\",\"hierarchy\":\"Bench\",\"inventory_sha256\":\"none\",";
    printf "\"created\":\"2026-11-25T00:00:00Z\",\"options\":{\"method\":\"update-quiet\",\"max_parallel\":1},\"steps\":[\n";
    for (i = 0; i < n; i++) {
      site = sprintf("B%02d", int(i / 100)); k = i % 100;
      after = k == 0 ? "" : sprintf("\"%s/backup/%d\"", site, k - 1);
      printf "%s{\"id\":\"%s/backup/%d\",\"kind\":\"backup\",\"site\":\"%s\",\"host\":\"%s-H\",\"after\":[%s],", (i ? ",\n" : ""), site, k, site, site, after;
      printf "\"manual\":false,\"params\":{},\"estimate_min\":0,\"why\":[],\"title\":\"step %d\"}", i;
    }
    print "]}";
  }' > "$2"
}
