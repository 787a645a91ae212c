#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Scale-out through Redis (issue #8): the same load against
#   single   one chat-server, no Redis (the room in memory)
#   redis-1  one chat-server with --redis
#   redis-3  three chat-server instances with the same --redis, the clients
#            spread evenly over them (chat-bench --port P1,P2,P3)
# and the cost of one Redis round trip (redis-benchmark, one connection, no
# pipelining: what the room thread does for every post). Prints the figures
# and writes the "Scale-out through Redis" table, followed by the commentary
# in bench/cluster-notes.md, into docs/performance.md between the markers
# "<!-- cluster.sh: begin" and "<!-- cluster.sh: end -->" (a new section
# before "## How to run" if the markers are missing, e.g. after run.sh
# rewrote the page).
#
#   bench/cluster.sh             the full comparison, about 5 minutes
#   bench/cluster.sh --quick     a smoke test (short runs, 1 repetition);
#                                writes to a temporary directory unless --out
# Options: --build-dir DIR (default build-bench), --no-build, --out FILE,
#   --results-dir DIR (default bench/results/cluster: raw lines and the table),
#   --clients N (default 300), --repeat N (default 3; the table shows medians),
#   --chat-args "ARGS": extra chat-server options, --nice N (as in run.sh),
#   --notes FILE: the commentary put after the table (default
#   bench/cluster-notes.md), --report-only: rewrite the table and the page's
#   section from the results dir without measuring (after editing the notes).
#
# Everything runs on loopback: a private redis-server (appendonly yes, as in
# production, in a temporary directory, on a free port) per configuration,
# servers on port 0 (the port is read from their log). Every process started
# here is killed on exit. Needs bash, awk, coreutils, redis-server and
# redis-benchmark (Debian: redis-server, redis-tools).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$repo/build-bench
build=1
quick=0
out=
results_dir=
clients=300
repeat=3
chat_args=
niceness=
report_only=0
notes=$repo/bench/cluster-notes.md
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --build-dir) build_dir=$(cd "$2" && pwd); shift ;;
    --out) out=$2; shift ;;
    --results-dir) results_dir=$2; shift ;;
    --clients) clients=$2; shift ;;
    --repeat) repeat=$2; shift ;;
    --chat-args) chat_args=$2; shift ;;
    --nice) niceness=$2; shift ;;
    --notes) notes=$2; shift ;;
    --report-only) report_only=1 ;;
    -h | --help) sed -n '2,31p' "$0"; exit 0 ;;
    *) echo "cluster.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

work=$(mktemp -d "${TMPDIR:-/tmp}/qtchat-cluster.XXXXXX")
if [ -z "$out" ]; then
    if [ $quick = 1 ]; then out=$work/performance.md; else out=$repo/docs/performance.md; fi
fi
if [ -z "$results_dir" ]; then
    if [ $quick = 1 ]; then results_dir=$work/results; else results_dir=$repo/bench/results/cluster; fi
fi
mkdir -p "$results_dir"
[ $quick = 1 ] && repeat=1
results=$work/results.jsonl
: >"$results"

pids=() # every server and redis-server started here
old_autogroup_nice=
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    [ -n "$old_autogroup_nice" ] && echo "$old_autogroup_nice" >/proc/self/autogroup 2>/dev/null || true
    if [ $quick = 1 ]; then echo "cluster.sh: quick mode: everything is in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- the table and the page ---------------------------------------------------------
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
            print "## Scale-out through Redis (1 vs 3 instances)"
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

if [ $report_only = 1 ]; then
    write_table
    write_page
    log "rewrote the section of $out from $results_dir"
    exit 0
fi

# --- build -------------------------------------------------------------------
chat_server=$build_dir/server/chat-server
chat_bench=$build_dir/bench/chat-bench
if [ $build = 1 ]; then
    if [ ! -f "$build_dir/build.ninja" ]; then
        cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
            -DQTCHAT_BUILD_TESTS=OFF -DQTCHAT_BUILD_GUI=OFF >&2
    fi
    ninja -C "$build_dir" chat-server chat-bench >&2
fi
for binary in "$chat_server" "$chat_bench"; do
    [ -x "$binary" ] || { echo "cluster.sh: $binary is missing (build it or drop --no-build)" >&2; exit 1; }
done
# What was measured, from the binary itself (its --version names the git
# commit), not from the checkout's HEAD, which may have moved since the build.
binary_version=$("$chat_server" --version)
for tool in redis-server redis-benchmark redis-cli; do
    command -v $tool >/dev/null || { echo "cluster.sh: $tool is missing (apt-get install redis-server redis-tools)" >&2; exit 1; }
done

runner=()
if [ -n "$niceness" ]; then
    runner=(nice -n "$niceness")
    if [ -w /proc/self/autogroup ]; then # see run.sh
        old_autogroup_nice=$(sed -n 's/.* nice \(-\{0,1\}[0-9]*\).*/\1/p' /proc/self/autogroup)
        echo "$niceness" >/proc/self/autogroup 2>/dev/null || old_autogroup_nice=
    fi
fi

# --- processes -----------------------------------------------------------------
cpu_ticks() { # user + system ticks of PID, from /proc/PID/stat
    awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# free_port: a loopback TCP port nobody listens on (bounded tries).
free_port() {
    local port
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    echo "cluster.sh: no free port found" >&2
    exit 1
}

redis_pid=
redis_port=
redis_dir=
start_redis() {
    redis_dir=$(mktemp -d "$work/redis.XXXXXX")
    for _ in 1 2 3; do
        redis_port=$(free_port)
        "${runner[@]}" redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$redis_dir" \
            --appendonly yes --save '' --protected-mode yes --daemonize no \
            --logfile "$redis_dir/redis.log" &
        redis_pid=$!
        pids+=("$redis_pid")
        for _ in $(seq 50); do
            if redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG; then return 0; fi
            kill -0 "$redis_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$redis_pid" 2>/dev/null || true
        wait "$redis_pid" 2>/dev/null || true
    done
    echo "cluster.sh: redis-server did not start; its log:" >&2
    cat "$redis_dir/redis.log" >&2
    exit 1
}

stop_pid() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

server_pids=()
server_ports=()
# start_server [extra args...]: appends to server_pids and server_ports.
start_server() {
    local n=${#server_pids[@]}
    local server_log=$work/server-$n.log
    # shellcheck disable=SC2086 # chat_args is a list of options
    "${runner[@]}" "$chat_server" --host 127.0.0.1 --port 0 --rate 0 --max-clients 20000 $chat_args "$@" \
        2>"$server_log" &
    local pid=$!
    pids+=("$pid")
    local port=
    for _ in $(seq 100); do
        port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$server_log" | head -n1)
        [ -n "$port" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$port" ]; then
        echo "cluster.sh: chat-server did not start; its log:" >&2
        cat "$server_log" >&2
        exit 1
    fi
    server_pids+=("$pid")
    server_ports+=("$port")
}

# start_config NAME: the servers (and Redis) of one configuration.
start_config() {
    server_pids=()
    server_ports=()
    redis_pid=
    case $1 in
    single) start_server ;;
    redis-1) start_redis; start_server --redis "redis://127.0.0.1:$redis_port" ;;
    redis-3)
        start_redis
        for _ in 1 2 3; do start_server --redis "redis://127.0.0.1:$redis_port"; done
        ;;
    esac
}

stop_config() {
    local pid
    for pid in "${server_pids[@]}"; do stop_pid "$pid"; done
    [ -n "$redis_pid" ] && stop_pid "$redis_pid"
    server_pids=()
    redis_pid=
}

join() { local IFS=,; echo "$*"; }

# bench CONFIG LOAD REP ARGS...: one chat-bench run over all the servers of
# the configuration; its report line gets config, load, rep and Redis's CPU.
failures=0
bench() {
    local config=$1 load=$2 rep=$3
    shift 3
    local status=0 redis_before=0 redis_after=0 redis_cpu_us=-1 redis_stats=
    if [ -n "$redis_pid" ]; then
        redis_before=$(cpu_ticks "$redis_pid")
        redis-cli -p "$redis_port" config resetstat >/dev/null
    fi
    "${runner[@]}" "$chat_bench" --port "$(join "${server_ports[@]}")" --server-pid "$(join "${server_pids[@]}")" \
        --label "$config" -n "$clients" "$@" >"$work/last.jsonl" 2>"$work/last.err" || status=$?
    if [ -n "$redis_pid" ]; then
        redis_after=$(cpu_ticks "$redis_pid")
        redis_cpu_us=$(( (redis_after - redis_before) * 1000000 / $(getconf CLK_TCK) ))
        # Redis's own accounting of the time spent in each command: calls and
        # µs of EVAL (the posts, and the nick claims and releases) and XREAD.
        redis_stats=$(redis-cli -p "$redis_port" info commandstats | tr -d '\r' | awk -F'[:=,]' '
            $1 == "cmdstat_eval" || $1 == "cmdstat_xread" {
                name = substr($1, 9); printf "\"redis_%s_calls\":%s,\"redis_%s_us\":%s,", name, $3, name, $5 }')
    fi
    # Redis's CPU over the whole chat-bench run (connect phase included: the
    # nick claims go through Redis too), in µs.
    sed "s/^{/{\"binary\":\"$binary_version\",\"config\":\"$config\",\"load\":\"$load\",\"rep\":$rep,\"instances\":${#server_pids[@]},\"redis_cpu_us\":$redis_cpu_us,$redis_stats/" \
        "$work/last.jsonl" >>"$results"
    if [ $status != 0 ] || ! grep -q '"ok":true' "$work/last.jsonl"; then
        failures=$((failures + 1))
        log "  chat-bench exit $status for $config $load: $(cat "$work/last.err") $(grep -o '"first_error":"[^"]*"' "$work/last.jsonl" | head -n1)"
    fi
    awk -v c="$config" -v l="$load" '{
        d = $0; sub(/.*"deliveries_per_s":/, "", d); sub(/,.*/, "", d)
        p = $0; sub(/.*"lat_p99_ms":/, "", p); sub(/,.*/, "", p)
        m = $0; sub(/.*"msgs_per_s":/, "", m); sub(/,.*/, "", m)
        printf "  %-8s %-12s %10.0f msgs/s %12.0f deliveries/s  p99 %8.2f ms\n", c, l, m, d, p
    }' "$work/last.jsonl" >&2
    return 0
}

# --- the loads -------------------------------------------------------------------
# Fixed rates (the same total on every configuration) and one closed loop
# ("as fast as possible": each sender keeps --window messages unechoed).
if [ $quick = 1 ]; then
    rate_seconds=2; closed_seconds=2
else
    rate_seconds=10; closed_seconds=8
fi
# "connect" sends nothing: 300 clients join (each nick claimed through Redis)
# and leave; its Redis CPU is subtracted from the other loads' to get Redis's
# cost per message.
loads=("connect" "10x10" "30x30" "closed")
run_load() { # CONFIG LOAD REP
    local senders rate
    case $2 in
    connect)
        bench "$1" "$2" "$3" -s 0 -m 1 --timeout 120 ;;
    closed)
        bench "$1" "$2" "$3" -s 30 -m 1000000 --window 16 --duration $closed_seconds --timeout 120 ;;
    *)
        senders=${2%x*}
        rate=${2#*x}
        bench "$1" "$2" "$3" -s "$senders" --rate "$rate" -m $((rate * rate_seconds)) --timeout 120 ;;
    esac
}

started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the Redis round trip ------------------------------------------------------
# One connection, one command at a time: the room thread's EVAL of the post
# script (INCR + XADD of a message entry shaped like the server's), and PING
# for the bare loopback round trip.
start_redis
post_script="local id = redis.call('INCR', KEYS[1]); \
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], id .. '-0', unpack(ARGV, 2)); return id"
frame='{"type":"message","id":0,"from":"b12","text":"b12:0:17:123456789012345:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","ts":"2026-11-29T15:00:00.000Z"}'
rtt_n=$([ $quick = 1 ] && echo 5000 || echo 50000)
log "Redis round trip: redis-benchmark -c 1 -n $rtt_n (PING, EVAL of the post script)"
redis-benchmark -p "$redis_port" -c 1 -n "$rtt_n" --csv -t ping >"$work/rtt.csv" 2>/dev/null
redis-benchmark -p "$redis_port" -c 1 -n "$rtt_n" --csv \
    EVAL "$post_script" 2 bench:seq bench:stream 100000 k m f "$frame" i instance c 0 t "" \
    2>/dev/null | tail -n +2 >>"$work/rtt.csv"
cat "$work/rtt.csv" >&2
# redis-server's own CPU time per command (its user + system ticks around N
# commands): PING is the floor (read, reply, write: two system calls), the
# EVAL adds the script and the append-only file's write(); once more with
# appendonly switched off to show that share.
redis_cpu_per() { # LABEL REDIS-BENCHMARK-COMMAND...
    local label=$1 before start ns cpu_us
    shift
    before=$(cpu_ticks "$redis_pid")
    start=$(date +%s%N)
    redis-benchmark -p "$redis_port" -c 1 -n "$rtt_n" -q "$@" >/dev/null 2>&1
    ns=$(( $(date +%s%N) - start ))
    cpu_us=$(( ($(cpu_ticks "$redis_pid") - before) * 1000000 / $(getconf CLK_TCK) ))
    printf 'redis-server CPU per %s: %s µs (%s in %s ms wall)\n' "$label" \
        "$(awk -v u="$cpu_us" -v n="$rtt_n" 'BEGIN { printf "%.1f", u / n }')" "$rtt_n" $((ns / 1000000)) \
        >>"$work/rtt.csv"
}
redis_cpu_per "PING" PING
redis_cpu_per "EVAL of the post script (appendonly yes)" \
    EVAL "$post_script" 2 bench:seq2 bench:stream2 100000 k m f "$frame" i instance c 0 t ""
redis-cli -p "$redis_port" config set appendonly no >/dev/null
redis_cpu_per "EVAL of the post script (appendonly no)" \
    EVAL "$post_script" 2 bench:seq3 bench:stream3 100000 k m f "$frame" i instance c 0 t ""
redis_version=$(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p')
stop_pid "$redis_pid"
redis_pid=

# --- the comparison ----------------------------------------------------------------
for rep in $(seq "$repeat"); do
    for config in single redis-1 redis-3; do
        log "$config (repetition $rep of $repeat)"
        start_config $config
        for load in "${loads[@]}"; do run_load $config "$load" "$rep"; done
        stop_config
    done
done

elapsed=$(($(date +%s) - started))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cp "$results" "$results_dir/latest.jsonl"
cp "$work/rtt.csv" "$results_dir/redis-round-trip.csv"
conditions="$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)), \
kernel $(uname -r), redis-server $redis_version, load average before $load_before, after $load_after, run took ${elapsed}s, \
measured $binary_version, $clients clients, \
$repeat repetition(s) per cell${chat_args:+, chat-server run with $chat_args}${niceness:+, servers, Redis and chat-bench at niceness $niceness}"

printf '%s\n' "$conditions" >"$results_dir/conditions.txt"
printf 'clients=%s repeat=%s rate_seconds=%s closed_seconds=%s quick=%s\n' \
    "$clients" "$repeat" "$rate_seconds" "$closed_seconds" "$quick" >"$results_dir/params.sh"

write_table
cat "$results_dir/table.md"
write_page
log "wrote the table into $out and $results_dir/ ($elapsed s, $failures runs not ok)"
exit $((failures > 0 ? 1 : 0))
