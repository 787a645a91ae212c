#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A scripted chat participant in JSON mode, for staging screenshots.

    participant.py PORT NICK [--stay SECONDS] STEP...

Each STEP is sent in order, 0.15 s apart:
    text            a message to everyone ("\\n" in the text is a line break)
    me:TEXT         a /me action
    msg:NICK:TEXT   a whisper
    join:#ROOM      join a room
    in:#ROOM:TEXT   a message to a room
    topic:#ROOM:TEXT  set a room's topic
    nick:NEW        a nickname change
    sleep:SECONDS   a pause
    touch:FILE      create FILE (tells a script this point was reached)
    wait:FILE       wait until FILE exists
After the last step it stays SECONDS (default 0) and leaves with `bye`.
"""
import json
import os
import socket
import sys
import threading
import time


def main():
    port, nick, steps = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    stay = 0.0
    if steps[:1] == ['--stay']:
        stay, steps = float(steps[1]), steps[2:]
    sock = socket.create_connection(('127.0.0.1', port))
    lines = sock.makefile('rb')

    def send(frame):
        sock.sendall((json.dumps(frame, ensure_ascii=False) + '\n').encode())

    send({'type': 'hello', 'nick': nick, 'client': 'participant.py'})
    for line in lines:
        if line.startswith(b'{') and json.loads(line).get('type') in ('welcome', 'error'):
            break
    # Keep reading so the server never sees a slow consumer.
    threading.Thread(target=lambda: [None for _ in lines], daemon=True).start()

    for step in steps:
        if step.startswith('sleep:'):
            time.sleep(float(step[6:]))
            continue
        if step.startswith('touch:'):
            open(step[6:], 'w').close()
            continue
        if step.startswith('wait:'):
            while not os.path.exists(step[5:]):
                time.sleep(0.1)
            continue
        if step.startswith('me:'):
            send({'type': 'say', 'text': step[3:].replace('\\n', '\n'), 'action': True})
        elif step.startswith('msg:'):
            _, to, text = step.split(':', 2)
            send({'type': 'whisper', 'to': to, 'text': text})
        elif step.startswith('join:'):
            send({'type': 'join', 'room': step[5:]})
        elif step.startswith('in:'):
            _, room, text = step.split(':', 2)
            send({'type': 'say', 'room': room, 'text': text.replace('\\n', '\n')})
        elif step.startswith('topic:'):
            _, room, text = step.split(':', 2)
            send({'type': 'topic', 'room': room, 'topic': text})
        elif step.startswith('nick:'):
            send({'type': 'nick', 'nick': step[5:]})
        else:
            send({'type': 'say', 'text': step.replace('\\n', '\n')})
        time.sleep(0.15)
    time.sleep(stay)
    send({'type': 'bye'})
    time.sleep(0.2)


if __name__ == '__main__':
    main()
