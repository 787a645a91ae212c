#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A cluster through Redis (issue #8): the same load against
#   single   one chat-server, no Redis (the room in memory)
#   redis-1  one chat-server with --redis
#   redis-3  three chat-server instances with the same --redis, the clients
#            spread evenly over them (chat-bench --port P1,P2,P3)
# and the cost of one Redis round trip (redis-benchmark, one connection, no
# pipelining: what the room thread does for every post). Prints the figures
# and writes the "A cluster through Redis" table, followed by the commentary
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
configs="single redis-1 redis-3"
loads_asked="connect 10x10 30x30 closed"
cpu_quota=
cgroup_root=/sys/fs/cgroup/cpu
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
    --configs) configs=$2; shift ;;
    --loads) loads_asked=$2; shift ;;
    --cpu-quota) cpu_quota=$2; shift ;;
    -h | --help) sed -n '2,40p' "$0"; exit 0 ;;
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
    remove_cgroups
    [ -n "$old_autogroup_nice" ] && echo "$old_autogroup_nice" >/proc/self/autogroup 2>/dev/null || true
    if [ $quick = 1 ]; then echo "cluster.sh: quick mode: everything is in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- CPU caps (--cpu-quota) ------------------------------------------------------
cgroups=()
# cap_cpu PID N: PID into its own cgroup qtchat-bench-$$-N, capped at $cpu_quota CPUs.
cap_cpu() {
    local group=$cgroup_root/qtchat-bench-$$-$2 period=100000
    mkdir -p "$group"
    cgroups+=("$group")
    echo $period >"$group/cpu.cfs_period_us"
    awk -v q="$cpu_quota" -v p=$period 'BEGIN { printf "%d\n", q * p }' >"$group/cpu.cfs_quota_us"
    echo "$1" >"$group/cgroup.procs"
}
remove_cgroups() {
    local group
    for group in "${cgroups[@]}"; do rmdir "$group" 2>/dev/null || true; done
    cgroups=()
}
if [ -n "$cpu_quota" ] && [ $report_only = 0 ]; then
    [ -w "$cgroup_root" ] || { echo "cluster.sh: --cpu-quota needs root and cgroup v1's cpu controller at $cgroup_root" >&2; exit 1; }
fi

# --- the table and the page (bench/cluster-report.sh) -----------------------------
# shellcheck source=bench/cluster-report.sh
source "$repo/bench/cluster-report.sh"

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

# free_port
source "$(dirname "${BASH_SOURCE[0]}")/loopback.sh"

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
    # Emptied here, not by the redirection below: that runs in the
    # background child, and the port lookup could read the previous
    # repetition's log (and port) before it did.
    : >"$server_log"
    # shellcheck disable=SC2086 # chat_args is a list of options
    "${runner[@]}" "$chat_server" --host 127.0.0.1 --port 0 --rate 0 --max-clients 20000 $chat_args "$@" \
        2>"$server_log" &
    local pid=$!
    pids+=("$pid")
    [ -n "$cpu_quota" ] && cap_cpu "$pid" "$n"
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
    remove_cgroups
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
read -r -a loads <<<"$loads_asked"
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
    for config in $configs; do
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
$repeat repetition(s) per cell${cpu_quota:+, each chat-server capped at $cpu_quota CPU (cgroup v1 cpu.cfs_quota_us)}${chat_args:+, chat-server run with $chat_args}${niceness:+, servers, Redis and chat-bench at niceness $niceness}"

printf '%s\n' "$conditions" >"$results_dir/conditions.txt"
printf 'clients=%s repeat=%s rate_seconds=%s closed_seconds=%s quick=%s\n' \
    "$clients" "$repeat" "$rate_seconds" "$closed_seconds" "$quick" >"$results_dir/params.sh"

write_table
cat "$results_dir/table.md"
write_page
log "wrote the table into $out and $results_dir/ ($elapsed s, $failures runs not ok)"
exit $((failures > 0 ? 1 : 0))
