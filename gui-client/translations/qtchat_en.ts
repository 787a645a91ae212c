<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AppController</name>
    <message>
        <source>Joining as %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1:%2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected. Joining as %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server certificate changed — qtchat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server %1:%2 presents a different certificate than the one trusted before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This happens when the server got a new certificate, but also when someone between you and the server listens in. Trust the new certificate only if the server&apos;s operator confirms its fingerprint.

Trusted before:
%1

Presented now:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Trust the new certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Do not connect</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatClient</name>
    <message numerus="yes">
        <source>No answer from the server for %n second(s).</source>
        <translation>
            <numerusform>No answer from the server for %n second.</numerusform>
            <numerusform>No answer from the server for %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not connected: the user list is updated after reconnecting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent a frame that is too large; reconnecting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server closed the connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the server was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection refused by %1: is the server running?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown host &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timed out connecting to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network error talking to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection to %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The nickname %1 is still in use; trying again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected: moderation commands need a connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate of %1:%2 is not the one trusted before: someone may be between you and the server, or the server has a new certificate. Not connecting.
Trusted:   %3
Presented: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS with %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are not in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no topic.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The topic of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected: the topic can be set after reconnecting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected: the list of rooms can be asked for after reconnecting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected: you can say you are away after reconnecting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected: you can say you are back after reconnecting.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatFeed</name>
    <message>
        <source>You joined the chat on %1:%2 as %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Reconnected as %1; %n message(s) arrived while you were away.</source>
        <translation>
            <numerusform>Reconnected as %1; %n message arrived while you were away.</numerusform>
            <numerusform>Reconnected as %1; %n messages arrived while you were away.</numerusform>
        </translation>
    </message>
    <message>
        <source>Disconnected.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatInput</name>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter starts a new line, Up and Down recall sent messages, Tab completes nicknames and commands.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a message… (Enter sends, Shift+Enter for a new line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Long Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The text you are pasting makes the message %1 characters long, but the server accepts at most %2 characters in one message.

Paste it anyway? You can then shorten it or send it in parts.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CommandGrammar</name>
    <message>
        <source>NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change your nickname</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NICK TEXT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>whisper to one user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ACTION</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>say what you are doing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PASSWORD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>become an operator, who can also use:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NICK [REASON]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disconnect a user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NICK [MINUTES]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>silence a user (default 10 minutes; 0 lifts it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 minutes lifts the mute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NICK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lift a mute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SECONDS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one message per SECONDS per user (0 turns it off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 turns slow mode off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>show this help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[REASON]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>leave the chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#ROOM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>join a room (made if new) and talk there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[#ROOM] [MESSAGE]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>leave a room (this one if none is named)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list the rooms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[TEXT]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>show this room&apos;s topic, or set it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[#ROOM]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list the users in this room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[MESSAGE]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tell everyone you are away</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>you are back</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CommandParser</name>
    <message>
        <source>Unknown command /%1. Type /help for the list of commands.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commands:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anything else is a message to the room you are in (#lobby at first: everyone); start it with // to send a text that begins with /.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <source>Connect — qtchat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a nickname and the server to connect to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nickname</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nickname hint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Nickname:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection attempt cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Letters of any script, digits, _ - and . (up to %n characters).</source>
        <translation>
            <numerusform>Letters of any script, digits, _ - and . (up to %n character).</numerusform>
            <numerusform>Letters of any script, digits, _ - and . (up to %n characters).</numerusform>
        </translation>
    </message>
    <message>
        <source>Encrypt with &amp;TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without a CA certificate, the server&apos;s certificate is trusted the first time and must stay the same afterwards.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none: trust the server&apos;s certificate on first use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA certificate file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;A certificate:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectionStatus</name>
    <message>
        <source>Connection state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round-trip time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect &amp;Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lag: %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to %1 as %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joining as %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Connection lost. Reconnecting in %n second(s)…</source>
        <translation>
            <numerusform>Connection lost. Reconnecting in %n second…</numerusform>
            <numerusform>Connection lost. Reconnecting in %n seconds…</numerusform>
        </translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>(%n message(s) waiting to be sent)</source>
        <translation>
            <numerusform>(%n message waiting to be sent)</numerusform>
            <numerusform>(%n messages waiting to be sent)</numerusform>
        </translation>
    </message>
    <message>
        <source>Connected to %1 as %2, encrypted (TLS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server certificate SHA-256:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Presence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Away</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are away.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Away: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are away: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>That nickname is already taken. Choose another one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The nickname &quot;%1&quot; is already taken. Choose another one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not accept this nickname (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server is full. Try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody by that name is online (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are sending too fast; the server refused a message. Wait a moment and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the message (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message was too large for the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused a request (%1: %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Too many wrong operator passwords; try again in %n second(s).</source>
        <translation>
            <numerusform>Too many wrong operator passwords; try again in %n second.</numerusform>
            <numerusform>Too many wrong operator passwords; try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <source>This server has no operators: /op is not available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong operator password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only operators can do that. Become one with /op PASSWORD.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>You are muted; you can write again in %n second(s).</source>
        <translation>
            <numerusform>You are muted; you can write again in %n second.</numerusform>
            <numerusform>You are muted; you can write again in %n seconds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Slow mode is on; you can send your next message in %n second(s).</source>
        <translation>
            <numerusform>Slow mode is on; you can send your next message in %n second.</numerusform>
            <numerusform>Slow mode is on; you can send your next message in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <source>The server cannot reach the other chat servers right now, so this was not sent. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not accept this room name (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are not in that room; join it first (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone stays in #lobby: it cannot be left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No more rooms can be joined now (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not accept this topic (%1).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EventText</name>
    <message>
        <source>quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>too slow to keep up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flooding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server shutdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 user online: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 users online: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>* Welcome, %1! %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>-&gt; *%1* %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>*%1* %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>* pong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>* error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kicked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 joined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was kicked by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was kicked by %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now known as %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You were kicked by %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You were kicked by %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now an operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was muted by %2 for 1 minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was muted by %2 for %3 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was unmuted by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 turned slow mode off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 turned slow mode on: one message per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 turned slow mode on: one message per %2 seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow mode is on: one message per second.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow mode is on: one message per %1 seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More messages arrived while you were away than the server sends again; the oldest of them are not shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server is shutting down. Goodbye!</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another connection took your nickname back with this session&apos;s resume token; this one is closed and does not reconnect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goodbye (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left the room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 room:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 rooms:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cleared the topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 set the topic: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cleared the topic of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 set the topic to “%2” in %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are in %1. It has no topic.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are in %1. Topic: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 user in %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 users in %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 joined %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (away)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (away: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is away</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is away: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is back</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>&amp;Find:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text or nickname</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find in messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Older match (Enter, F3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Older match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Newer match (Shift+Enter, Shift+F3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Newer match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close (Escape)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close find bar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No matches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GuiOptions</name>
    <message>
        <source>Desktop client for chat-server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server host to fill in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server port to fill in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nickname to fill in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nick</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect right away when the values are valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User interface language (en, ko); default: the system&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages kept in the window (default %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings file to use instead of the usual one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port must be a number from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scrollback must be a number of at least %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick the TLS box: connect encrypted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA certificate (PEM) to verify the server with (implies --tls).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say you are away after this many minutes without input (0: never; default 10).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The minutes before going away must be a whole number, 0 or more.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IdleAway</name>
    <message>
        <source>Idle</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>JoinRoomDialog</name>
    <message>
        <source>Join a Room — qtchat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Room name or filter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room name or filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rooms on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking the server for its rooms…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the name of a room, or choose one from the list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n room(s) on the server.</source>
        <translation>
            <numerusform>%n room on the server.</numerusform>
            <numerusform>%n rooms on the server.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nobody is in %1 yet: Join creates it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the message (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input hint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Characters used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reconnect Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change &amp;Nickname…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Who Is Here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find &amp;Older</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find &amp;Newer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy Selected Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jump to &amp;Newest Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to &amp;Message Box</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next &amp;Pane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;revious Pane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Commands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About qtchat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About qtchat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>qtchat %1

A small TCP chat: this desktop client, a console client and the chat-server.
Built with Qt %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected: the message will be sent once the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 @ %2 — qtchat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 @ %2 (offline) — qtchat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Join a Room…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Switch To…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next R&amp;oom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous Roo&amp;m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Away</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageContextMenu</name>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;Link Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Whisper to %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>to %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>whispers:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The conversation, oldest at the top. Ctrl+C copies the selected messages.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewMessagesButton</name>
    <message>
        <source>Jump to the newest message</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n new message(s)</source>
        <translation>
            <numerusform>%n new message</numerusform>
            <numerusform>%n new messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NotificationLevelMenu</name>
    <message>
        <source>&amp;Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;All Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mentions Only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages that mention your nickname, and whispers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N&amp;othing</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NotificationPolicy</name>
    <message numerus="yes">
        <source>%n new message(s)</source>
        <translation>
            <numerusform>%n new message</numerusform>
            <numerusform>%n new messages</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>the newest of several: who whispered what</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in %2: %3</source>
        <comment>the newest of several: who wrote in which room what</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 whispers</source>
        <comment>a notification&apos;s title: who whispered</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <comment>a notification&apos;s title: who wrote in which room (bob in #dev)</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NotificationSettings</name>
    <message>
        <source>&amp;Do Not Disturb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show no notifications and do not flash the taskbar</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QuickSwitcher</name>
    <message>
        <source>Switch to — qtchat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room or person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch to room or person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matching rooms and conversations</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RoomDirectoryModel</name>
    <message numerus="yes">
        <source>%1 (%n user(s))</source>
        <translation>
            <numerusform>%1 (%n user)</numerusform>
            <numerusform>%1 (%n users)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RoomSidebar</name>
    <message>
        <source>&amp;Rooms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rooms and conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click or press Enter on a room or a conversation to show it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close Conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Leave Room</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServerTrust</name>
    <message>
        <source>cannot read the CA file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TopicBar</name>
    <message>
        <source>No topic. Click to set one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The room&apos;s topic: edit it and press Enter to set it for everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 &amp;topic:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrayNotifier</name>
    <message>
        <source>&amp;Hide qtchat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Show qtchat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>qtchat is still running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It stays in the system tray and tells you about new messages. To leave, choose Quit in the tray icon&apos;s menu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>qtchat</source>
        <comment>the first line of the tray icon&apos;s tooltip</comment>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n unread message(s)</source>
        <translation>
            <numerusform>%n unread message</numerusform>
            <numerusform>%n unread messages</numerusform>
        </translation>
    </message>
    <message>
        <source>Do not disturb</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UserDelegate</name>
    <message>
        <source>%1 (you)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UserListModel</name>
    <message>
        <source>%1, operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, away</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, away: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is away</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is away: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UserListPanel</name>
    <message>
        <source>Users online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click or press Enter on a user to whisper to them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a user to whisper to them</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n &amp;user(s) online</source>
        <translation>
            <numerusform>%n &amp;user online</numerusform>
            <numerusform>%n &amp;users online</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Whisper to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mention in Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <source>A nickname needs at least one character.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not allowed in a nickname: use letters of any script, digits, _, - and .</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A nickname cannot start with a combining mark.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message contains control characters (only tab and line breaks are allowed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>A nickname has at most %n characters.</source>
        <translation>
            <numerusform>A nickname has at most %n character.</numerusform>
            <numerusform>A nickname has at most %n characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>A message has at most %n characters.</source>
        <translation>
            <numerusform>A message has at most %n character.</numerusform>
            <numerusform>A message has at most %n characters.</numerusform>
        </translation>
    </message>
    <message>
        <source>The message contains invalid Unicode (an unpaired surrogate).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A room name starts with #, as in #lobby.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A room name needs at least one character after the #.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not allowed in a room name: use letters of any script, digits, _, - and .</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A room name cannot start with a combining mark.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A topic is one line without control characters (no tabs either).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The topic contains invalid Unicode (an unpaired surrogate).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>A room name has at most %n characters after the #.</source>
        <translation>
            <numerusform>A room name has at most %n character after the #.</numerusform>
            <numerusform>A room name has at most %n characters after the #.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>A topic has at most %n characters.</source>
        <translation>
            <numerusform>A topic has at most %n character.</numerusform>
            <numerusform>A topic has at most %n characters.</numerusform>
        </translation>
    </message>
    <message>
        <source>An away message is one line without control characters (no tabs either).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The away message contains invalid Unicode (an unpaired surrogate).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>An away message has at most %n characters.</source>
        <translation>
            <numerusform>An away message has at most %n character.</numerusform>
            <numerusform>An away message has at most %n characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>chat-gui</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
