# SPDX-License-Identifier: MIT
# Sourced by bench/cluster.sh: the results table and the section of
# docs/performance.md it writes (uses its variables: results_dir, out, notes, ...).

# write_table: bench/results/cluster/table.md from the raw lines of the last
# measuring run (latest.jsonl, redis-round-trip.csv, conditions.txt, params.sh).
write_table() ( # a subshell: params.sh must not change this shell's variables
# shellcheck disable=SC1091 # written by the measuring run: clients, repeat, ...
. "$results_dir/params.sh"
awk -F, -v conditions="$(cat "$results_dir/conditions.txt")" -v clients="$clients" -v repeat="$repeat" \
    -v rate_seconds="$rate_seconds" -v closed_seconds="$closed_seconds" -v quick="$quick" \
    -v raw="$(realpath -m --relative-to="$repo" "$results_dir/latest.jsonl")" \
    -f - "$results_dir/redis-round-trip.csv" "$results_dir/latest.jsonl" >"$results_dir/table.md" <<'AWK'
function num(line, key,    v) {
    if (!match(line, "\"" key "\":-?[0-9.]+")) return -1
    v = substr(line, RSTART, RLENGTH); sub(/.*:/, "", v); return v + 0
}
function str(line, key,    v) {
    if (!match(line, "\"" key "\":\"[^\"]*\"")) return ""
    v = substr(line, RSTART, RLENGTH); sub(/^[^:]*:"/, "", v); sub(/"$/, "", v); return v
}
function median(list,    n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function spread(list, fmt,    n, a, i, lo, hi) { # " (min–max)" of several values, else ""
    n = split(list, a, " ")
    if (n < 2) return ""
    lo = hi = a[1] + 0
    for (i = 2; i <= n; i++) { if (a[i] + 0 < lo) lo = a[i] + 0; if (a[i] + 0 > hi) hi = a[i] + 0 }
    return fmt == "k" ? " (" thousands(lo) "–" thousands(hi) ")" : " (" ms(lo) "–" ms(hi) ")"
}
function thousands(x,    s, out) {
    s = sprintf("%.0f", x); out = ""
    while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
    return s out
}
function ms(x) { return x >= 100 ? sprintf("%.0f", x) : x >= 10 ? sprintf("%.1f", x) : sprintf("%.2f", x) }
function add(key, field, value) { vals[key, field] = vals[key, field] (vals[key, field] == "" ? "" : " ") value }
FNR == NR {
    # redis-benchmark CSV: "test","rps","avg","min","p50","p95","p99","max"
    # (the EVAL line's name holds the whole command, commas included)
    if ($0 ~ /^"(PING|EVAL)/) {
        gsub(/"/, "")
        name = $0 ~ /^EVAL/ ? "EVAL of the post script (INCR + XADD, 64-byte message)" : $1
        rtt[++nrtt] = "| " name " | " thousands($(NF - 6)) " | " $(NF - 5) " | " $(NF - 3) " | " $(NF - 1) " | " $NF " |"
    } else if ($0 ~ /^redis-server CPU per /) {
        cpu_lines = cpu_lines "- " $0 "\n"
    }
    next
}
{
    key = str($0, "config") SUBSEP str($0, "load")
    if (!(key in seen)) { seen[key] = 1; order[++nkeys] = key }
    add(key, "msgs", num($0, "msgs_per_s"))
    add(key, "dps", num($0, "deliveries_per_s"))
    add(key, "p50", num($0, "lat_p50_ms"))
    add(key, "p99", num($0, "lat_p99_ms"))
    add(key, "cpu", num($0, "server_cpu_pct"))
    add(key, "us", num($0, "server_cpu_us_per_delivery"))
    add(key, "bench", num($0, "bench_cpu_pct"))
    # Redis's CPU per message, net of what the same clients cost it to join
    # and leave without sending (the "connect" run of the same repetition).
    rk = str($0, "config") SUBSEP num($0, "rep")
    if (str($0, "load") == "connect") { connect_cpu[rk] = num($0, "redis_cpu_us"); add(key, "connect_cpu", connect_cpu[rk]) }
    accepted = num($0, "accepted")
    add(key, "redis", (num($0, "redis_cpu_us") >= 0 && (rk in connect_cpu) && accepted > 0) \
        ? (num($0, "redis_cpu_us") - connect_cpu[rk]) / accepted : -1)
    add(key, "eval_us", num($0, "redis_eval_calls") > 0 ? num($0, "redis_eval_us") / num($0, "redis_eval_calls") : -1)
    add(key, "xreads", accepted > 0 && num($0, "redis_xread_calls") >= 0 ? num($0, "redis_xread_calls") / accepted : -1)
    bad[key] += ($0 ~ /"ok":true/) ? 0 : 1
    bad_detail[key] = bad_detail[key] + num($0, "lost") + num($0, "duplicated") + num($0, "reordered")
}
END {
    connect_note = ""
    for (i = 1; i <= nkeys; i++) {
        split(order[i], kc, SUBSEP)
        if (kc[2] != "connect" || kc[1] == "single") continue
        connect_note = connect_note (connect_note == "" ? "" : ", ") kc[1] ": " \
            sprintf("%.0f", median(vals[order[i], "connect_cpu"]) / 1000) " ms of Redis CPU"
    }
    print "**Conditions:** " conditions "."
    print ""
    print "Redis round trip, `redis-benchmark -c 1` (one connection, one command at a time, as the room"
    print "thread posts), against a private `redis-server --appendonly yes` on loopback:"
    print ""
    print "| command | per second | mean ms | p50 ms | p99 ms | max ms |"
    print "|---|---:|---:|---:|---:|---:|"
    for (i = 1; i <= nrtt; i++) print rtt[i]
    print ""
    printf "%s", cpu_lines
    print ""
    print clients " clients in every configuration (with three instances, client *i* connects to instance"
    print "*i* mod 3); 64-byte messages. *10x10*: 10 senders at 10 msg/s each, *30x30*: 30 senders at"
    print "30 msg/s each (" rate_seconds " s each); *closed*: 30 senders as fast as the echo allows (at most 16 unechoed"
    print "messages each, " closed_seconds " s). Every cell is the median of " repeat " run(s), each column on its own;"
    print "in brackets, the lowest and the highest run (for p99, and for the closed loop's rate)."
    print "*deliveries/s* counts every copy every client received; latency is from send to receipt, over"
    print "all deliveries. *server CPU* is summed over the chat-server instances (100 % = one CPU);"
    print "*Redis CPU µs/msg* is redis-server's CPU time over the whole chat-bench run, minus that of a run"
    print "where the same clients join and leave without sending (" connect_note "), per accepted message"
    print "(10 ms tick resolution: about ±10 µs at 10x10, ±1 µs at 30x30 and closed). *EVAL µs* is"
    print "Redis's own time per EVAL (`INFO commandstats`: inside Redis, without the network or the"
    print "waiting; the posts plus the 300 nick claims and releases); *XREADs/msg* is how many XREAD"
    print "commands all instances issued per message (below 1 per instance: one XREAD returned several)."
    print ""
    print "| configuration | load | msgs/s accepted | deliveries/s | p50 ms | p99 ms | server CPU % | server µs/delivery | Redis CPU µs/msg | EVAL µs | XREADs/msg | bench CPU % | runs not ok |"
    print "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= nkeys; i++) {
        key = order[i]
        split(key, kc, SUBSEP)
        if (kc[2] == "connect") continue
        name = kc[1] == "single" ? "1 chat-server, no Redis" : kc[1] == "redis-1" ? "1 chat-server, --redis" : "3 chat-servers, --redis"
        r = median(vals[key, "redis"])
        print "| " name " | " kc[2] " | " thousands(median(vals[key, "msgs"])) spread(kc[2] == "closed" ? vals[key, "msgs"] : "", "k") \
            " | " thousands(median(vals[key, "dps"])) \
            " | " ms(median(vals[key, "p50"])) " | " ms(median(vals[key, "p99"])) spread(vals[key, "p99"], "ms") " | " sprintf("%.0f", median(vals[key, "cpu"])) \
            " | " sprintf("%.2f", median(vals[key, "us"])) " | " (r < 0 ? "" : sprintf("%.0f", r)) \
            " | " (r < 0 ? "" : sprintf("%.0f", median(vals[key, "eval_us"]))) \
            " | " (r < 0 ? "" : sprintf("%.2f", median(vals[key, "xreads"]))) \
            " | " sprintf("%.0f", median(vals[key, "bench"])) " | " bad[key] " |"
    }
    print ""
    print "Raw chat-bench lines: `" raw "`" (quick ? " (quick run: not for conclusions)" : "") "."
}
AWK

)

# write_page: the table and the notes into the page, between the markers.
write_page() {
begin='<!-- cluster.sh: begin (generated from bench/results/cluster/table.md and bench/cluster-notes.md: edit those, then run bench/cluster.sh --report-only) -->'
end='<!-- cluster.sh: end -->'
cp "$results_dir/table.md" "$work/block.md"
if [ -f "$notes" ]; then printf '\n' >>"$work/block.md"; cat "$notes" >>"$work/block.md"; fi
[ -f "$out" ] || printf '# Performance\n' >"$out"
if grep -qF '<!-- cluster.sh: begin' "$out"; then
    awk -v table="$work/block.md" -v begin="$begin" '
        /^<!-- cluster.sh: begin/ { print begin; while ((getline l < table) > 0) print l; skip = 1; next }
        /^<!-- cluster.sh: end -->/ { skip = 0 }
        !skip' "$out" >"$work/page.md"
else
    awk -v table="$work/block.md" -v begin="$begin" -v end="$end" '
        function section() {
            print "## A cluster through Redis (1 vs 3 instances)"
            print ""
            print "Generated by `bench/cluster.sh` (not by `run.sh`)."
            print ""
            print begin
            while ((getline l < table) > 0) print l
            print end
            print ""
            done = 1
        }
        /^## How to run/ && !done { section() }
        { print }
        END { if (!done) { print ""; section() } }' "$out" >"$work/page.md"
fi
cp "$work/page.md" "$out"
}
