#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the benchmark matrix against chat-server and limit-server and writes
# docs/performance.md (plus bench/results/: the raw JSON lines and the SVG plot).
#
#   bench/run.sh            full matrix, about 10 minutes
#   bench/run.sh --quick    a smoke test of the tools in under a minute; writes
#                           to a temporary directory unless --out is given
#   bench/run.sh --rooms-only   just the rooms cell (issue #15: 1,000 clients in
#                           100 rooms of 10), merged into the results dir's
#                           earlier lines; the page is rewritten from all of them
# Options: --build-dir DIR (default build-bench), --out FILE, --no-build,
#   --chat-10k-timeout S: how long chat-server may take to register 10,000
#   clients (default 240; it needed ~870 s when measured, see the notes),
#   --chat-args "ARGS": extra chat-server options (e.g. "--threads 2"),
#   --results-dir DIR: where the raw lines and the plot go (default bench/results),
#   --notes FILE: commentary copied into the page (default bench/performance-notes.md),
#   --report-only: rewrite the page from the results dir without measuring
#   (after editing bench/performance-notes.md),
#   --rooms-only: measure only the rooms cell (with --quick: its small version)
#   and replace the results dir's rooms lines with it,
#   --nice N: run servers and chat-bench at niceness N (negative needs root);
#   on a machine shared with builds, -15 keeps the figures closer to an idle
#   machine's (it also sets the session's autogroup nice, restored at exit).
#   The report states it.
#
# Everything runs on loopback; each server gets a free port (it listens on
# port 0 and the script reads the port from its log). Needs bash, awk and
# coreutils only.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$repo/build-bench
quick=0
chat_10k_timeout=240
chat_args=
results_dir=
notes=$repo/bench/performance-notes.md
report_only=0
rooms_only=0
build=1
niceness=
out=
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --nice) niceness=$2; shift ;;
    --build-dir) build_dir=$(cd "$2" && pwd); shift ;;
    --out) out=$2; shift ;;
    --report-only) report_only=1 ;;
    --chat-10k-timeout) chat_10k_timeout=$2; shift ;;
    --chat-args) chat_args=$2; shift ;;
    --results-dir) results_dir=$2; shift ;;
    --notes) notes=$2; shift ;;
    --rooms-only) rooms_only=1 ;;
    -h | --help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

work=$(mktemp -d "${TMPDIR:-/tmp}/qtchat-bench.XXXXXX")
if [ -z "$out" ]; then
    if [ $quick = 1 ]; then out=$work/performance.md; else out=$repo/docs/performance.md; fi
fi
if [ -z "$results_dir" ]; then
    if [ $quick = 1 ]; then results_dir=$work; else results_dir=$repo/bench/results; fi
fi
mkdir -p "$results_dir" "$(dirname "$out")"
results=$work/results.jsonl
: >"$results"

relative_path() { # FILE FROM_DIR: FILE as seen from FROM_DIR
    local file from
    file=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
    from=$(cd "$2" && pwd)
    realpath -m --relative-to="$from" "$file"
}

write_report() { # conditions fault-notes [rooms-conditions]
    awk -f "$repo/bench/report.awk" -v conditions="$1" -v quick=$quick -v rooms_conditions="${3:-$1}" \
        -v svg="$results_dir/performance.svg" -v svg_link="$(relative_path "$results_dir/performance.svg" "$(dirname "$out")")" \
        -v notes="$notes" -v faults="$2" -v raw_path="$(relative_path "$results_dir/latest.jsonl" "$repo")" \
        "$results_dir/latest.jsonl" >"$out"
}
# What the rooms cell was measured under, when that was not the matrix's run.
saved_rooms_conditions() {
    if [ -f "$results_dir/rooms-conditions.txt" ]; then cat "$results_dir/rooms-conditions.txt"; else cat "$results_dir/conditions.txt"; fi
}
if [ $report_only = 1 ]; then
    write_report "$(cat "$results_dir/conditions.txt")" "$(cat "$results_dir/self-check.txt")" "$(saved_rooms_conditions)"
    echo "run.sh: rewrote $out from $results_dir" >&2
    rm -rf "$work"
    exit 0
fi

server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null || true
    [ -n "${old_autogroup_nice:-}" ] && echo "$old_autogroup_nice" >/proc/self/autogroup 2>/dev/null || true
}
trap cleanup EXIT

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- build -------------------------------------------------------------------
chat_server=$build_dir/server/chat-server
chat_bench=$build_dir/bench/chat-bench
limit_server=$build_dir/bench/limit-server
if [ $build = 1 ]; then
    if [ ! -f "$build_dir/build.ninja" ]; then
        cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
            -DQTCHAT_BUILD_TESTS=OFF -DQTCHAT_BUILD_GUI=OFF >&2
    fi
    ninja -C "$build_dir" chat-server chat-bench limit-server >&2
fi
for binary in "$chat_server" "$chat_bench" "$limit_server"; do
    [ -x "$binary" ] || { echo "run.sh: $binary is missing (build it or drop --no-build)" >&2; exit 1; }
done

runner=()
old_autogroup_nice=
if [ -n "$niceness" ]; then
    runner=(nice -n "$niceness")
    # With the kernel's autogroup scheduling, nice only ranks processes
    # within one session; the session's own nice ranks it against others.
    if [ -w /proc/self/autogroup ]; then
        old_autogroup_nice=$(sed -n 's/.* nice \(-\{0,1\}[0-9]*\).*/\1/p' /proc/self/autogroup)
        echo "$niceness" >/proc/self/autogroup 2>/dev/null || old_autogroup_nice=
    fi
fi

# --- servers -----------------------------------------------------------------
server_port=
# start_server chat|limit [extra args...]: sets server_pid and server_port.
start_server() {
    local kind=$1
    shift
    local server_log=$work/$kind-server.log
    if [ "$kind" = chat ]; then
        # shellcheck disable=SC2086 # chat_args is a list of options
        "${runner[@]}" "$chat_server" --host 127.0.0.1 --port 0 --rate 0 --max-clients 20000 $chat_args "$@" \
            2>"$server_log" &
    else
        "${runner[@]}" "$limit_server" --host 127.0.0.1 --port 0 "$@" 2>"$server_log" &
    fi
    server_pid=$!
    server_port=
    for _ in $(seq 100); do
        server_port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$server_log" | head -n1)
        [ -n "$server_port" ] && return 0
        sleep 0.1
    done
    echo "run.sh: $kind server did not start; its log:" >&2
    cat "$server_log" >&2
    exit 1
}

stop_server() {
    [ -n "$server_pid" ] || return 0
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
}

# What was measured, from the binary itself (`chat-server --version` names its
# git commit; limit-server and chat-bench are built from the same tree), not
# from the checkout's HEAD, which may have moved since the build.
binary_version=$("$chat_server" --version)
# stamp_version: adds "binary" to every JSON result line on stdin.
stamp_version() { sed "s/^{/{\"binary\":\"$binary_version\",/"; }

# bench LABEL ARGS...: runs chat-bench against the current server and keeps
# its report lines; a failing run is recorded, not fatal.
failures=0
bench() {
    local label=$1
    shift
    local status=0
    "${runner[@]}" "$chat_bench" --port "$server_port" --server-pid "$server_pid" --label "$label" "$@" \
        >"$work/last.jsonl" 2>"$work/last.err" || status=$?
    stamp_version <"$work/last.jsonl" >>"$results"
    if [ $status != 0 ]; then
        failures=$((failures + 1))
        log "  chat-bench exit $status for $label: $(cat "$work/last.err") $(grep -o '"first_error":"[^"]*"' "$work/last.jsonl" | head -n1)"
    fi
    return 0
}

clamp() { # clamp VALUE MIN MAX
    local v=$1
    [ "$v" -lt "$2" ] && v=$2
    [ "$v" -gt "$3" ] && v=$3
    echo "$v"
}

# check_fault FAULT: chat-bench against limit-server --fault FAULT must report
# the fault and exit 1; appends the outcome to fault_notes. leak: a server that
# answers hello.rooms but relays every message to everyone.
check_fault() {
    local fault=$1 status=0 key count note
    local rooms=()
    [ "$fault" = leak ] && rooms=(--rooms 4 -s 1)
    start_server limit --fault "$fault"
    "$chat_bench" --port "$server_port" -n 20 -s 3 -m 200 "${rooms[@]}" --timeout 30 >"$work/fault.jsonl" 2>&1 || status=$?
    stop_server
    case $fault in drop) key=lost ;; duplicate) key=duplicated ;; reorder) key=reordered ;; leak) key=foreign ;; esac
    count=$(sed -n "s/.*\"$key\":\([0-9]*\).*/\1/p" "$work/fault.jsonl")
    if [ "$status" = 1 ] && [ "${count:-0}" -gt 0 ]; then
        note="limit-server --fault $fault: chat-bench reported $key=$count and exited 1 (caught)"
    else
        note="limit-server --fault $fault: chat-bench exit $status, $key=${count:-?} (NOT caught)"
        failures=$((failures + 1))
    fi
    fault_notes="$fault_notes$note; "
    log "self-check: $note"
}

# --- the matrix ----------------------------------------------------------------
# Outstanding messages per sender in the closed loop: deep enough that the
# servers, not the round trip, set the pace at small N.
window=64
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if [ $quick = 1 ]; then
    sizes_n="10 100"
    deliveries_per_phase=20000
    send_cap=3
    rate_messages=100
    rooms_clients=40
    rooms_count=4
else
    sizes_n="10 100 1000 10000"
    deliveries_per_phase=1000000
    send_cap=15
    rate_messages=500
    rooms_clients=1000
    rooms_count=100
fi

# conditions_text ELAPSED: where and how this run measured, for the page.
conditions_text() {
    echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)), \
kernel $(uname -r), load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg), run took ${1}s, \
measured $binary_version, \
built $(date -u -r "$chat_server" +%Y-%m-%dT%H:%MZ)${chat_args:+ run with $chat_args}\
${niceness:+, servers and chat-bench at niceness $niceness}"
}

# Rooms (issue #15): the clients spread over rooms of equal size (client i in
# room i mod R, joined with hello), one sender per room saying to its room;
# chat-bench fails the run on any delivery outside the sender's room. The
# same window and message sizes as the matrix, and as many deliveries per
# phase; then latency with every sender at 10 msg/s: at 1,000 clients in rooms
# of 10, as many deliveries/s as the 100-clients-at-100-msg/s latency row.
rooms_cell() {
    local per_room=$((rooms_clients / rooms_count))
    local m
    m=$(clamp $((deliveries_per_phase / (rooms_count * per_room))) 5 5000)
    log "chat-server, rooms: $rooms_clients clients in $rooms_count rooms of $per_room, 1 sender per room (phases 1x64:$m 1x1024:$m)"
    start_server chat
    bench "chat-rooms" -n "$rooms_clients" --rooms "$rooms_count" --window $window \
        --phases "1x64:$m,1x1024:$m" --duration $send_cap --connect-timeout 60 --timeout $((60 + 2 * (send_cap + 40)))
    stop_server
    log "chat-server, rooms latency: the same rooms, 1 sender per room at 10 msg/s"
    start_server chat
    bench "chat-rooms-rate10" -n "$rooms_clients" --rooms "$rooms_count" -s 1 -m $((rate_messages / 10)) --rate 10 \
        --connect-timeout 60 --timeout 120
    stop_server
}
if [ $rooms_only = 1 ]; then
    rooms_cell
    # The rooms check of the tool, in place of an earlier run's (if any).
    fault_notes=$(sed 's/limit-server --fault leak: [^;]*; //' "$results_dir/self-check.txt" 2>/dev/null || true)
    check_fault leak
    printf '%s\n' "$fault_notes" >"$results_dir/self-check.txt"
    # Keep every other line of the earlier run; only the rooms lines change.
    [ -f "$results_dir/latest.jsonl" ] || : >"$results_dir/latest.jsonl"
    { grep -v '"label":"chat-rooms' "$results_dir/latest.jsonl" || true; cat "$results"; } >"$work/merged.jsonl"
    cp "$work/merged.jsonl" "$results_dir/latest.jsonl"
    rooms_conditions=$(conditions_text $(($(date +%s) - started)))
    printf '%s\n' "$rooms_conditions" >"$results_dir/rooms-conditions.txt"
    [ -f "$results_dir/conditions.txt" ] || printf '%s\n' "$rooms_conditions" >"$results_dir/conditions.txt"
    write_report "$(cat "$results_dir/conditions.txt")" "$(cat "$results_dir/self-check.txt")" "$rooms_conditions"
    log "wrote $out and $results_dir/latest.jsonl (rooms cell only; $failures failing runs)"
    if [ $quick = 1 ]; then log "quick mode: everything is in $work"; else rm -rf "$work"; fi
    exit $((failures > 0 ? 1 : 0))
fi

for kind in limit chat; do
    for n in $sizes_n; do
        m1=$(clamp $((deliveries_per_phase / n)) 5 5000)
        m10=$(clamp $((deliveries_per_phase / (10 * n))) 5 5000)
        connect_timeout=60
        # chat-server announces every join to everyone (O(N^2) frames): give
        # 10,000 clients a long but bounded connect phase.
        [ "$n" -ge 10000 ] && [ $kind = chat ] && connect_timeout=$chat_10k_timeout
        log "$kind-server, $n clients (phases 1x64:$m1 10x64:$m10 1x1024:$m1 10x1024:$m10)"
        start_server $kind
        bench "$kind" -n "$n" --window $window --phases "1x64:$m1,10x64:$m10,1x1024:$m1,10x1024:$m10" \
            --duration $send_cap --connect-timeout $connect_timeout --timeout $((connect_timeout + 4 * (send_cap + 40)))
        stop_server
    done
    log "$kind-server, latency: 100 clients, 1 sender at 100 msg/s"
    start_server $kind
    bench "$kind-rate100" -n 100 -s 1 -m $rate_messages --rate 100 --timeout 60
    stop_server
done
# limit-server has no rooms: the cell is chat-server's alone.
rooms_cell

# Is chat-bench the bottleneck? Two copies at once against limit-server, each
# with half the clients and senders, against one copy with all of them. All
# send for the same fixed time, so the two copies' send phases overlap.
copy_seconds=$([ $quick = 1 ] && echo 2 || echo 5)
log "bottleneck check: one chat-bench vs two at once (limit-server, 200 clients, 20 senders, 64 B, ${copy_seconds}s)"
start_server limit
bench "one-copy" -n 200 -s 20 -m 1000000 --duration $copy_seconds --timeout 60
"${runner[@]}" "$chat_bench" --port "$server_port" --server-pid "$server_pid" --label two-copies-a --prefix a \
    -n 100 -s 10 -m 1000000 --duration $copy_seconds --timeout 60 >"$work/copy-a.jsonl" 2>/dev/null &
copy_a=$!
"${runner[@]}" "$chat_bench" --port "$server_port" --server-pid "$server_pid" --label two-copies-b --prefix c \
    -n 100 -s 10 -m 1000000 --duration $copy_seconds --timeout 60 >"$work/copy-b.jsonl" 2>/dev/null || true
wait $copy_a || true
cat "$work/copy-a.jsonl" "$work/copy-b.jsonl" | stamp_version >>"$results"
stop_server

# The tool's own checks must catch a misbehaving server.
fault_notes=
for fault in drop duplicate reorder leak; do
    check_fault $fault
done

elapsed=$(($(date +%s) - started))
cp "$results" "$results_dir/latest.jsonl"

# --- the report ------------------------------------------------------------------
conditions=$(conditions_text "$elapsed")
printf '%s\n' "$conditions" >"$results_dir/conditions.txt"
printf '%s\n' "$conditions" >"$results_dir/rooms-conditions.txt"
printf '%s\n' "$fault_notes" >"$results_dir/self-check.txt"
write_report "$conditions" "$fault_notes"
log "wrote $out and $results_dir/performance.svg ($elapsed s, $failures failing runs)"
if [ $quick = 1 ]; then
    log "quick mode: everything is in $work"
else
    rm -rf "$work"
fi
exit $((failures > 0 ? 1 : 0))
