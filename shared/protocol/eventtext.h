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
// Operators (`ops`, a subset of `users`) are marked "@nick".
QString userList(const QStringList &users, const QStringList &ops = {});
// The last line a kicked user reads.
QString kickedText(const QString &by, const QString &reason);

} // namespace EventText
