// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <atomic>
#include <optional>
#include <variant>

// What the server's threads say about a connection, and how a frame becomes
// bytes for it: a JSON line, or lines for a person in text mode.
namespace Wire {

using ConnectionId = quint64;

// How many of one connection's requests the room has handled. Shared by the
// connection (its worker reads it) and every request it hands to the room
// (the room's thread counts up), so either may go first. See Worker::submit.
using HandledCount = std::atomic<quint64>;

enum class Mode { Undecided, Json, Text };

// What a connection hands to the room, in the order the client sent it:
// a frame to act on, or an error / text lines to send straight back. Local
// refusals travel through the room too, so that every reply on a
// connection keeps the order of the requests.
// (Structs rather than bare variants: QMetaType, which carries them across
// threads, cannot handle std::variant's comparison operators.)
// A text-mode user's "/topic" alone: the room answers with the current room's topic.
struct ShowTopic {
};
struct Request {
    std::variant<Protocol::ClientFrame, Protocol::Error, QStringList, ShowTopic> body;
};

// What a connection leaving on its own is told last, if anything.
struct LastWords {
    std::optional<Protocol::ServerFrame> frame;
};

// `self` is the receiving user's nickname (text mode shows sent whispers differently).
// A connection whose mode is still undecided is sent JSON.
QByteArray encode(Mode mode, const Protocol::ServerFrame &frame, const QString &self = {});
QByteArray textLines(const QStringList &lines);

} // namespace Wire

Q_DECLARE_METATYPE(Wire::Mode)
Q_DECLARE_METATYPE(Wire::Request)
Q_DECLARE_METATYPE(Wire::LastWords)
Q_DECLARE_METATYPE(Protocol::LeaveReason)
