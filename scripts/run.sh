#!/usr/bin/env bash
# Quick start: installs what is missing, builds, and starts the chat.
# The server runs in the foreground on port 55555 (Ctrl+C stops it); with a
# desktop session the GUI opens too. Everyone on the network joins with
# `nc HOST 55555`, chat-console or chat-gui.
# Options go to chat-server, e.g. scripts/run.sh --port 6000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build run
scripts/build.sh

port=55555
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    [ "${args[$i]}" = "--port" ] && port=${args[$((i + 1))]:-$port}
done

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/gui-client/chat-gui ]; then
    (sleep 1 && build/gui-client/chat-gui --host localhost --port "$port" >/dev/null 2>&1 &)
fi
cat <<MSG

  qtchat is starting on port $port. In another terminal, join with any of:
    nc localhost $port
    build/console-client/chat-console --port $port --nick YOURNAME
    build/gui-client/chat-gui --port $port
  Other machines use this machine's address instead of localhost.
  Ctrl+C stops the server (everyone is told goodbye).

MSG
exec build/server/chat-server "$@"
