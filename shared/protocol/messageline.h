// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

// The JSON line of a `message` frame, written directly rather than through
// QJsonObject and QJsonDocument: every chat message is one, and building the
// object took over half of the room thread's time per message (issue #16,
// docs/performance.md "Per-message path"). The bytes are exactly what
// FrameCodec's generic path writes (keys in QJsonObject's sorted order, the
// same escaping); a message with anything that path would escape gets
// nullopt, and the generic path writes it.
namespace MessageLine {

std::optional<QByteArray> encode(const Protocol::ChatMessage &message);

// The way back, for exactly the bytes encode() writes (with or without the
// LF): the message FrameCodec's generic decoder would read from them, and
// nullopt for anything else (other frames, other key orders, escapes,
// spacing, ids past 2^53, an unreadable time stamp, invalid UTF-8), which the generic decoder then reads. Every message
// of the cluster's stream is read back by every instance, and QJsonDocument took most of that (issue #16).
//
// `exact`, when given, says whether encode() writes these very bytes (with
// the LF) for the message read: then withId() gives its line with another
// id without encoding it again.
std::optional<Protocol::ChatMessage> decode(QByteArrayView line, bool *exact = nullptr);

// The line (with the LF) of an exact line's message (decode() said so) with
// `id` in place of its own: what encode() writes for it, made by splicing
// the id in. Every instance hands each message read back from the cluster's
// stream (stored with id 0) to its workers this way (issue #16).
QByteArray withId(QByteArrayView exactLine, qint64 id);

} // namespace MessageLine
