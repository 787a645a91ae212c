// SPDX-License-Identifier: MIT
#pragma once

#include "replychannel.h"
#include "wire.h"

#include <QList>

#include <memory>

// Counts the connection's requests handled as RoomInbox raises the count,
// and records that count at each reply: the condition under which a worker
// answers a `ping` itself (Worker::answerHere).
class CountingReplyChannel final : public ReplyChannel
{
public:
    std::shared_ptr<Wire::HandledCount> handled = std::make_shared<Wire::HandledCount>(0);
    QList<quint64> handledAtReply;

    void queueReply(Wire::ConnectionId, const QByteArray &) override { handledAtReply.append(handled->load()); }
    void queueWelcome(Wire::ConnectionId, const QByteArray &) override {}
    void queueClose(Wire::ConnectionId, const QByteArray &) override {}
    void queueMembership(Wire::ConnectionId, bool) override {}
};
