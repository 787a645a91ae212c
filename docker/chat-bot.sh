#!/bin/sh
# chat-bot NICK [SCRIPT]
#
# A console client that plays a part: it joins as NICK, posts the lines of
# SCRIPT (default /usr/share/qtchat/bots/NICK.txt; empty lines and lines
# starting with # are skipped), one every BOT_DELAY seconds (default 4),
# after BOT_START_DELAY seconds (default 1), then stays in the room and
# prints what others say. With BOT_ROOM (e.g. "#dev") it joins that room at
# registration and posts there instead of #lobby. Used by compose.yaml's
# `simulate` profile.
#
# Run it under `tini -g` so that docker stop reaches the whole pipeline.
set -eu

nick=${1:?usage: chat-bot NICK [SCRIPT]}
script=${2:-/usr/share/qtchat/bots/$nick.txt}
[ -r "$script" ] || { echo "chat-bot: cannot read $script" >&2; exit 2; }

{
    sleep "${BOT_START_DELAY:-1}"
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in '' | '#'*) continue ;; esac
        printf '%s\n' "$line"
        sleep "${BOT_DELAY:-4}"
    done <"$script"
    # Keep chat-console's stdin open: the bot stays connected until stopped.
    exec sleep infinity
} | if [ -n "${BOT_ROOM:-}" ]; then
    exec chat-console --nick "$nick" --room "$BOT_ROOM"
else
    exec chat-console --nick "$nick"
fi
