// SPDX-License-Identifier: MIT
#pragma once

#include "wire.h"

#include <QByteArray>

// The way back from the Room to the connections it serves: what it says to
// one of them. Each call is queued behind everything said to that connection
// before, so a connection hears things in the order the room decided them.
// A Worker is one (it hops to its own thread); tests plug in their own.
class ReplyChannel
{
public:
    virtual ~ReplyChannel() = default;

    virtual void queueReply(Wire::ConnectionId id, const QByteArray &bytes) = 0;
    // The `welcome` that makes the connection a member (Connection::queueWelcome).
    virtual void queueWelcome(Wire::ConnectionId id, const QByteArray &welcome) = 0;
    // Says `last` (if not empty), then closes the connection.
    virtual void queueClose(Wire::ConnectionId id, const QByteArray &last) = 0;
    // Whether the connection receives the room's broadcasts.
    virtual void queueMembership(Wire::ConnectionId id, bool member) = 0;

protected:
    ReplyChannel() = default;
    ReplyChannel(const ReplyChannel &) = default;
    ReplyChannel &operator=(const ReplyChannel &) = default;
};
