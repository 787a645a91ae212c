#!/bin/sh
# SPDX-License-Identifier: MIT
# Stages a conversation (the lobby, two rooms and a whisper) and photographs chat-gui under Xvfb:
#   tests/gui/screenshot/take-screenshot.sh BUILD_DIR OUTPUT.png [chat-gui options, e.g. --lang ko]
# Needs Xvfb, ImageMagick (import, convert), xwininfo, xdpyinfo and python3.
# Every step waits for the previous one to be done, so a slow machine only
# makes it slower, not wrong.
set -eu
build=$1
out=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
display=:${SCREENSHOT_DISPLAY:-99}
port=${SCREENSHOT_PORT:-56790}
work=$(mktemp -d)
pids=""
cleanup() {
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

wait_for() { # FILE...
    for file in "$@"; do
        tries=0
        while [ ! -e "$file" ]; do
            tries=$((tries + 1))
            [ "$tries" -lt 600 ] || { echo "timed out waiting for $file" >&2; exit 1; }
            sleep 0.1
        done
    done
}
say() { python3 "$here/participant.py" "$port" "$@"; }

if ! xdpyinfo -display "$display" >/dev/null 2>&1; then
    Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
    pids="$pids $!"
    until xdpyinfo -display "$display" >/dev/null 2>&1; do sleep 0.1; done
fi
"$build/server/chat-server" --host 127.0.0.1 --port "$port" --log-level warning &
pids="$pids $!"
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port)).close()" 2>/dev/null; do sleep 0.1; done

# Earlier today: the history the window shows when it joins. "alice" is the
# window's own user, so her lines are the window's own messages.
say alice "안녕하세요! 오늘 배포 준비 다 됐나요?" "me:is reviewing the release notes"
say 민수 "네, 거의 다 됐어요. 릴리스 노트는 여기 있어요: https://example.org/qtchat/releases/1.0" \
    "alice: 마지막으로 한 번만 확인해 주실 수 있어요?"
say alice "Sure, checking now.\nThe changelog looks good; one typo in the Korean section." "고마워요 민수님"
say 민수 "천만에요. 배포는 3시에 시작할게요."
say alice "Perfect. I'll post the announcement at 3:05."
# Two rooms besides the lobby, with topics and a little history.
say bob "topic:#lobby:qtchat 1.0 release day" "join:#dev" "topic:#dev:1.0 goes out on Friday" \
    "in:#dev:CI is green on main." "in:#dev:The Korean translation is complete too."
say 서연 "join:#수학-2반" "topic:#수학-2반:기말고사 대비 스터디" "in:#수학-2반:내일 스터디 몇 시에 해요?"
# chat-gui remembers the rooms of alice on this server (RoomMemory) and joins them at connect.
printf '[rooms]\n127.0.0.1_%s_alice="#dev", "#수학-2반"\n' "$port" >"$work/gui.ini"

# The window, and the people who are around while it is open.
say 민수 --stay 600 "join:#dev" "touch:$work/minsu-in" "wait:$work/bob-done" "bob 님, 빌드는 방금 올렸어요." \
    "me:uploads the checksums" "in:#dev:alice, could you tag v1.0 when you are back?" "touch:$work/minsu-done" &
pids="$pids $!"
wait_for "$work/minsu-in"
DISPLAY=$display "$build/gui-client/chat-gui" --host 127.0.0.1 --port "$port" --nick alice --connect \
    --settings "$work/gui.ini" "$@" &
pids="$pids $!"
until xwininfo -display "$display" -root -tree | grep -q '@ 127.0.0.1'; do sleep 0.2; done

say carol "Morning! Just passing by." "nick:caroline"
say 서연 --stay 600 "join:#수학-2반" "in:#수학-2반:3시 어때요?" "touch:$work/seoyeon-done" &
pids="$pids $!"
wait_for "$work/seoyeon-done"
say bob --stay 600 "Hi all! Is the 1.0 build on the server yet?" "alice, could you send me the checksum?" \
    "msg:alice:the staging password changed, see your mail" "touch:$work/bob-done" &
pids="$pids $!"
wait_for "$work/minsu-done"
sleep 1

window=$(xwininfo -display "$display" -root -tree | awk '/@ 127.0.0.1/ {print $1; exit}')
geometry=$(xwininfo -display "$display" -id "$window" \
    | awk '/Width:/ {w=$2} /Height:/ {h=$2} /Absolute upper-left X:/ {x=$4} /Absolute upper-left Y:/ {y=$4}
           END {print w "x" h "+" x "+" y}')
import -display "$display" -window root png:"$work/root.png"
convert "$work/root.png" -crop "$geometry" +repage "$out"
echo "window $window at $geometry -> $out"
