// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QString>

// One human-readable rendering of events, shared by the server's text mode
// and the console client, so netcat users and console users read the same
// lines: "[22:00] <alice> 안녕하세요", "[22:01] * carol joined".
// Lines from the server itself start with "* " (after the time, if any).
// Strings go through QCoreApplication::translate (context "EventText").
namespace EventText {

// `self` is the viewer's nickname: whispers read differently when sent.
// Multi-line texts continue on indented lines; no trailing newline.
QString render(const Protocol::ServerFrame &frame, const QString &self = {});
QString renderMessage(const Protocol::ChatMessage &message);

QString leaveReasonText(Protocol::LeaveReason reason);
// Operators (`ops`, a subset of `users`) are marked "@nick", away users
// followed by their message: "bob (away: lunch)", "carol (away)".
QString userList(const QStringList &users, const QStringList &ops = {}, const Protocol::AwayMessages &away = {});
// The last line a kicked user reads.
QString kickedText(const QString &by, const QString &reason);

// The sentences of room events without the "* " of a system line: the GUI's
// message log shows them as rows, render() as lines ("bob joined",
// "bob was kicked by alice (spam)", "You were kicked by alice.").
QString joinedSentence(const Protocol::Joined &joined);
QString leftSentence(const Protocol::Left &left);
QString renamedSentence(const Protocol::Renamed &renamed);
QString kickedSentence(const QString &by, const QString &reason);
// Moderation events, the same way: the GUI's notices and the text lines.
QString oppedSentence(const Protocol::Opped &opped);
QString mutedSentence(const Protocol::Muted &muted);
QString unmutedSentence(const Protocol::Unmuted &unmuted);
QString slowModeSentence(const Protocol::SlowMode &slow);
// What a welcome adds when slow mode is on ("Slow mode is on: one message per 30 seconds.").
QString slowModeRule(qint64 seconds);
// A welcome after a reconnect that could not carry everything missed.
QString historyTruncatedSentence();
// Why the server closes the connection ("The server is shutting down. Goodbye!");
// a kick reads as kickedSentence().
QString goodbyeSentence(const Protocol::ServerBye &bye);

// Rooms (version 2). Lines about #lobby read as in version 1; lines about
// another room name it: messages right after the time ("[10:00] #dev
// <alice> hi"), notices at their end ("* bob joined #dev").
bool isLobby(const QString &room);
QString topicSentence(const Protocol::TopicChanged &topic);
// "You are in #dev. Topic: …" (or "#dev has no topic."), for a `room` frame.
QString roomEnteredSentence(const Protocol::RoomState &room);
// "2 users in #dev: alice, bob"; the lobby's reads as userList().
QString roomUserList(const QString &room, const QStringList &users, const QStringList &ops = {},
                     const Protocol::AwayMessages &away = {});
// The rows of a `rooms` answer, one line each: "#dev (2): release on Friday".
QStringList roomListLines(const Protocol::RoomList &list);

// Presence (docs/protocol.md, "Presence"): "alice is away: lunch",
// "alice is away", "alice is back".
QString awaySentence(const Protocol::Away &away);
QString backSentence(const Protocol::Back &back);
// What a whisper's sender reads when the recipient is away.
QString recipientAwaySentence(const QString &nick, const QString &message);

// A line from the server itself: "* " and the sentence.
QString systemLine(const QString &sentence);

// `body` after the time stamp "[22:01] ", continuation lines indented under
// the first: the one layout of every timed line.
QString stamped(const QDateTime &ts, const QString &body);

} // namespace EventText
