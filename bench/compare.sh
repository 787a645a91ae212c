#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Does a change move the figures? Builds chat-server at two git revisions
# (Release, each in its own worktree and build directory) and runs the same
# chat-bench load against each in turn, alternating, several times, so that
# drift in the machine's load spreads over both. Prints one line per run and
# the median of each revision.
#
#   bench/compare.sh BEFORE AFTER        e.g. bench/compare.sh 25d6dd3 HEAD
# Options: --repeat N (default 5), --clients N (default 200), --senders N
#   (default 10), --size B (default 64), --seconds S per run (default 5),
#   --nice N (as in run.sh; negative needs root), --work DIR (default a
#   temporary directory; keeps worktrees and builds between calls).
#
# Loopback only; every server started here is stopped on exit. The load is
# a closed loop (window 64) with --rate 0 on the server: deliveries per
# second measure the server's fan-out, p50 the latency under that load.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
repeat=5 clients=200 senders=10 size=64 seconds=5 niceness= work=
revisions=()
while [ $# -gt 0 ]; do
    case $1 in
    --repeat) repeat=$2; shift ;;
    --clients) clients=$2; shift ;;
    --senders) senders=$2; shift ;;
    --size) size=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --nice) niceness=$2; shift ;;
    --work) work=$2; shift ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
    *) revisions+=("$1") ;;
    esac
    shift
done
[ ${#revisions[@]} = 2 ] || { echo "compare.sh: give two revisions (compare.sh BEFORE AFTER)" >&2; exit 2; }
[ -n "$work" ] || work=$(mktemp -d "${TMPDIR:-/tmp}/qtchat-compare.XXXXXX")
mkdir -p "$work"
runner=()
[ -n "$niceness" ] && runner=(nice -n "$niceness")

server_pid=
cleanup() { [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null; return 0; }
trap cleanup EXIT

# build REV: a Release chat-server (and chat-bench) of REV under $work/REV.
build() {
    local rev=$1 sha dir
    sha=$(git -C "$repo" rev-parse --short "$rev")
    dir=$work/$sha
    if [ ! -d "$dir/src" ]; then
        git -C "$repo" worktree add --detach "$dir/src" "$sha" >/dev/null 2>&1
    fi
    cmake -S "$dir/src" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DQTCHAT_BUILD_TESTS=OFF \
        -DQTCHAT_BUILD_GUI=OFF >/dev/null
    cmake --build "$dir/build" --target chat-server chat-bench >/dev/null
    echo "$dir/build"
}

# run BUILD_DIR CHAT_BENCH: one run; prints "deliveries/s p50-ms".
run() {
    local build_dir=$1 chat_bench=$2 log=$work/server.log port
    "${runner[@]}" "$build_dir/server/chat-server" --host 127.0.0.1 --port 0 --rate 0 --max-clients 20000 \
        2>"$log" &
    server_pid=$!
    port=
    for _ in $(seq 100); do
        port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$log" | head -n1)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { echo "compare.sh: the server did not start:" >&2; cat "$log" >&2; exit 1; }
    "${runner[@]}" "$chat_bench" --port "$port" --server-pid "$server_pid" -n "$clients" --window 64 \
        --phases "${senders}x${size}:100000" --duration "$seconds" --timeout $((seconds + 120)) \
        >"$work/run.jsonl" 2>"$work/run.err" || true
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
    awk -F'[:,]' '{ for (i = 1; i < NF; i++) { if ($i ~ /"deliveries_per_s"/) d = $(i + 1); if ($i ~ /"lat_p50_ms"/) l = $(i + 1) } }
        END { printf "%.0f %.2f\n", d, l }' "$work/run.jsonl"
}

# %.10g keeps awk from printing a mean of two large counts as 3.14243e+06.
median() { sort -n | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.10g\n", m }'; }

builds=()
for rev in "${revisions[@]}"; do
    echo "compare: building $rev" >&2
    builds+=("$(build "$rev")")
done
# One chat-bench (the newer one) measures both servers.
chat_bench=${builds[1]}/bench/chat-bench
for i in 0 1; do : >"$work/figures.$i"; done
for ((r = 1; r <= repeat; r++)); do
    for i in 0 1; do
        figures=$(run "${builds[$i]}" "$chat_bench")
        echo "$figures" >>"$work/figures.$i"
        echo "run $r ${revisions[$i]}: $figures (deliveries/s, p50 ms)"
    done
done
for i in 0 1; do
    echo "median ${revisions[$i]} ($("${builds[$i]}/server/chat-server" --version)): \
$(cut -d' ' -f1 "$work/figures.$i" | median) deliveries/s, p50 $(cut -d' ' -f2 "$work/figures.$i" | median) ms \
($clients clients, $senders senders, $size B, $repeat runs of ${seconds} s)"
done
