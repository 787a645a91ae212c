#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue #16: how a cluster rides out trouble, seen from the clients
# (bench/recovery-bench does the measuring; this script starts the processes).
#   pause   N instances (default 3) share one Redis; recovery-bench makes Redis
#           sleep (DEBUG SLEEP) while pinging and posting on every instance
#   kill    2 instances; 100 clients on A; A is SIGKILLed; the clients come back
#           on B with their resume tokens
#   rooms   kill, each client also in 2 rooms besides #lobby, asked again in
#           its hello on B: back once it has its welcome and both `room` frames
#   plain   the same without tokens: a plain hello retried every 250 ms, which
#           waits for A's heartbeat to run out (bounded by --timeout-ms 40000)
#   failover a primary Redis (appendonly yes), a replica and three redis-sentinel
#           processes (quorum 2, down-after --down-after-ms, default 1000 as in
#           tst_server_cluster_failover; failover-timeout 5000 ms); 2 instances
#           on the Sentinel address, one poster (50 msg/s each, 100 in all) and
#           5 listeners on each; recovery-bench SIGKILLs the primary after 3 s
#           and posts on for 25 s; not run unless named
#   delayed one instance's messages/s (chat-bench's closed loop of cluster.sh)
#           with Redis reached directly, then through bench/delay-proxy adding
#           --delay-us (default 250) each way; not run unless named
#
#   bench/recovery.sh [--build-dir DIR] [--instances N] [--pause SECS] [--delay-us US]
#                     [--down-after-ms MS] [pause|kill|rooms|plain|failover|delayed ...]
# Without scenario names it runs the first three (about 1.5 minutes); failover
# takes about 40 s and needs redis-sentinel (Debian package redis-sentinel). Prints the
# commands, the figures, the time and the load average; every process started
# here is killed on exit. Loopback only; needs redis-server and a built tree
# (chat-server, recovery-bench: the `test` or `default` preset builds both).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$repo/build
instances=3
pause_seconds=5
delay_us=250
down_after_ms=1000
scenarios=()
while [ $# -gt 0 ]; do
    case $1 in
    --build-dir) build_dir=$(cd "$2" && pwd); shift ;;
    --instances) instances=$2; shift ;;
    --pause) pause_seconds=$2; shift ;;
    --delay-us) delay_us=$2; shift ;;
    --down-after-ms) down_after_ms=$2; shift ;;
    pause | kill | rooms | plain | failover | delayed) scenarios+=("$1") ;;
    -h | --help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "recovery.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
[ ${#scenarios[@]} = 0 ] && scenarios=(pause kill plain)

chat_server=$build_dir/server/chat-server
recovery_bench=$build_dir/bench/recovery-bench
chat_bench=$build_dir/bench/chat-bench
delay_proxy=$build_dir/bench/delay-proxy
for binary in "$chat_server" "$recovery_bench" "$chat_bench" "$delay_proxy"; do
    [ -x "$binary" ] || { echo "recovery.sh: $binary is missing (build first)" >&2; exit 1; }
done
command -v redis-server >/dev/null || { echo "recovery.sh: redis-server is missing" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/qtchat-recovery.XXXXXX")
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    [ -n "${RECOVERY_KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# free_port
source "$(dirname "${BASH_SOURCE[0]}")/loopback.sh"

redis_port=
redis_pid=
start_redis() { # [extra redis-server arguments]
    local dir
    dir=$(mktemp -d "$work/redis.XXXXXX")
    redis_port=$(free_port)
    # DEBUG SLEEP is refused unless allowed (Redis 7), here from loopback only.
    redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$dir" --appendonly yes --save '' \
        --enable-debug-command local --daemonize no --logfile "$dir/redis.log" "$@" &
    redis_pid=$!
    pids+=("$redis_pid")
    for _ in $(seq 50); do
        redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && return 0
        sleep 0.1
    done
    echo "recovery.sh: redis-server did not start" >&2
    exit 1
}

# The port the servers reach Redis on: Redis's own, or delay-proxy's.
server_redis_port=
proxy_port=
start_proxy() { # delay-proxy in front of the current Redis
    local proxy_log=$work/proxy-$RANDOM.log
    : >"$proxy_log" # as in start_server
    "$delay_proxy" --target-port "$redis_port" --delay-us "$delay_us" 2>"$proxy_log" &
    pids+=($!)
    proxy_port=
    for _ in $(seq 50); do
        proxy_port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$proxy_log" | head -n1)
        [ -n "$proxy_port" ] && return 0
        sleep 0.1
    done
    echo "recovery.sh: delay-proxy did not start" >&2
    exit 1
}

# The --redis address of the instances: set for Sentinel, else the current
# Redis (or the proxy in front of it).
server_redis_url=
server_pids=()
server_ports=()
server_logs=()
start_server() { # one chat-server sharing the current Redis
    local n=${#server_pids[@]} port= pid
    local server_log=$work/server-$n-$RANDOM.log
    # Made here, not by the background job's redirection, which may come
    # after the first sed below (a missing file ends the script: set -e).
    : >"$server_log"
    "$chat_server" --host 127.0.0.1 --port 0 --rate 0 --max-clients 20000 \
        --redis "${server_redis_url:-redis://127.0.0.1:${server_redis_port:-$redis_port}/0}" 2>"$server_log" &
    pid=$!
    pids+=("$pid")
    for _ in $(seq 100); do
        port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$server_log" | head -n1)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { echo "recovery.sh: chat-server did not start:" >&2; cat "$server_log" >&2; exit 1; }
    server_pids+=("$pid")
    server_ports+=("$port")
    server_logs+=("$server_log")
}

start_cluster() { # N: a fresh Redis and N instances
    server_pids=()
    server_ports=()
    server_logs=()
    start_redis
    for _ in $(seq "$1"); do start_server; done
}

stop_all() {
    local pid
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    pids=()
}

ports() { local IFS=,; echo "${server_ports[*]}"; }

# The failover scenario's Sentinels: the settings of tst_server_cluster_failover
# (tests/support/sentinelprocess.cpp). down-after 1000 ms (--down-after-ms) makes the failover fast
# enough to measure on loopback; a real deployment waits longer before calling a
# primary down (the compose cluster's Sentinels, docs/containers.md: 5000 ms) so
# that a slow network or a busy primary does not set off a failover, and posting
# resumes that much later. redis-sentinel rewrites its config file: each gets its own.
sentinel_name=qtchat
sentinel_ports=()
start_sentinel() { # PRIMARY_PORT
    local dir port
    dir=$(mktemp -d "$work/sentinel.XXXXXX")
    port=$(free_port)
    cat >"$dir/sentinel.conf" <<EOF
port $port
bind 127.0.0.1
daemonize no
dir $dir
logfile $dir/sentinel.log
sentinel monitor $sentinel_name 127.0.0.1 $1 2
sentinel down-after-milliseconds $sentinel_name $down_after_ms
sentinel failover-timeout $sentinel_name 5000
EOF
    redis-sentinel "$dir/sentinel.conf" &
    pids+=($!)
    sentinel_ports+=("$port")
}

# Every Sentinel knows the replica, linked to the primary, and the two other
# Sentinels: only then can a failover be agreed on.
sentinels_ready() {
    local port
    for port in "${sentinel_ports[@]}"; do
        redis-cli -p "$port" SENTINEL replicas "$sentinel_name" 2>/dev/null |
            grep -A1 -x master-link-status | grep -qx ok || return 1
        [ "$(redis-cli -p "$port" SENTINEL sentinels "$sentinel_name" 2>/dev/null | grep -cx name)" = 2 ] || return 1
    done
}

run_failover() {
    local primary_port primary_pid port n
    server_pids=()
    server_ports=()
    server_logs=()
    sentinel_ports=()
    start_redis
    primary_port=$redis_port
    primary_pid=$redis_pid
    start_redis --replicaof 127.0.0.1 "$primary_port"
    log "primary Redis on $primary_port (pid $primary_pid), replica on $redis_port"
    for _ in 1 2 3; do start_sentinel "$primary_port"; done
    # Sentinels find the replica through the primary's INFO (every 10 s at
    # first) and each other through hello messages: usually 10-15 s.
    for _ in $(seq 600); do
        sentinels_ready && break
        sleep 0.1
    done
    sentinels_ready || { echo "recovery.sh: the Sentinels did not find the replica and each other in 60 s" >&2; exit 1; }
    log "Sentinels on $(IFS=,; echo "${sentinel_ports[*]}") (down-after ${down_after_ms} ms) know the replica and each other"
    server_redis_url="redis-sentinel://$(printf '127.0.0.1:%s,' "${sentinel_ports[@]}" | sed 's/,$//')/$sentinel_name"
    start_server
    start_server
    server_redis_url=
    run "$recovery_bench" failover --port "$(ports)" --kill-pid "$primary_pid"
    for port in "${sentinel_ports[@]}"; do
        log "Sentinel $port names the primary: $(redis-cli -p "$port" SENTINEL get-master-addr-by-name "$sentinel_name" | paste -sd:)"
    done
    # What the instances said about Redis: a server bug shows here first.
    for n in "${!server_logs[@]}"; do
        log "instance $n's log: $(wc -l <"${server_logs[$n]}") lines; the warnings and Redis lines:"
        grep -i -E 'warn|rollback|sentinel|redis' "${server_logs[$n]}" | head -n 20 || true
    done
}

# The kernel's count of connections dropped because a listen queue was full:
# a dropped SYN is retried after a second, which shows in the recovery times.
listen_overflows() { awk '/^TcpExt:/ { if (!n) { for (i = 1; i <= NF; i++) if ($i == "ListenOverflows") c = i; n = 1 } else print $c }' /proc/net/netstat; }

run() { # prints the command line, runs it, then the listen queue overflows
    local before
    before=$(listen_overflows)
    log "load average $(cut -d' ' -f1-3 /proc/loadavg)"
    log "\$ $*"
    "$@" || log "(exit status $?)"
    log "listen queue overflows during the run (whole machine): $(($(listen_overflows) - before))"
}

log "recovery.sh on $(nproc) CPUs, $("$chat_server" --version | head -n1), shared machine"
for scenario in "${scenarios[@]}"; do
    case $scenario in
    pause)
        start_cluster "$instances"
        run "$recovery_bench" pause --port "$(ports)" --redis-port "$redis_port" --pause "$pause_seconds" --clients 20
        ;;
    kill)
        start_cluster 2
        run "$recovery_bench" kill --port "$(ports)" --kill-pid "${server_pids[0]}" -n 100
        ;;
    rooms)
        start_cluster 2
        run "$recovery_bench" kill --port "$(ports)" --kill-pid "${server_pids[0]}" -n 100 --rooms 2
        ;;
    plain)
        start_cluster 2
        run "$recovery_bench" kill --port "$(ports)" --kill-pid "${server_pids[0]}" -n 100 --no-resume \
            --retry-ms 250 --timeout-ms 40000
        ;;
    failover)
        run_failover
        ;;
    delayed)
        for via in direct proxy; do
            server_pids=()
            server_ports=()
            server_redis_port=
            start_redis
            if [ $via = proxy ]; then
                start_proxy
                server_redis_port=$proxy_port
                log "Redis round trip through delay-proxy (${delay_us} µs each way), one connection:"
                redis-benchmark -p "$proxy_port" -c 1 -n 2000 -t ping --csv 2>/dev/null | tail -n 1
            fi
            start_server
            # cluster.sh's closed loop: 300 clients, 30 senders, 16 unechoed each, 8 s.
            run "$chat_bench" --port "${server_ports[0]}" --server-pid "${server_pids[0]}" --label "redis-$via" \
                -n 300 -s 30 -m 1000000 --window 16 --duration 8 --timeout 120
            stop_all
        done
        server_redis_port=
        ;;
    esac
    stop_all
done
