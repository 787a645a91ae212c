// SPDX-License-Identifier: MIT
#pragma once

#include "framecodec.h"
#include "replychannel.h"

#include <QHash>
#include <QList>

#include <optional>
#include <variant>

// What the room told each connection, decoded, in order.
class RecordingReplyChannel final : public ReplyChannel
{
public:
    struct Said {
        enum class Kind { Reply, Welcome, Close, Membership } kind;
        std::optional<Protocol::ServerFrame> frame; // none for membership
        bool member = false;
    };

    void queueReply(Wire::ConnectionId id, const QByteArray &bytes) override { record(id, Said::Kind::Reply, bytes); }
    void queueWelcome(Wire::ConnectionId id, const QByteArray &welcome) override
    {
        record(id, Said::Kind::Welcome, welcome);
    }
    void queueClose(Wire::ConnectionId id, const QByteArray &last) override { record(id, Said::Kind::Close, last); }
    void queueMembership(Wire::ConnectionId id, bool member) override
    {
        m_said[id].append(Said{Said::Kind::Membership, std::nullopt, member});
    }

    QList<Said> takeSaid(Wire::ConnectionId id) { return m_said.take(id); }
    qsizetype count(Wire::ConnectionId id) const { return m_said.value(id).size(); }

private:
    void record(Wire::ConnectionId id, Said::Kind kind, const QByteArray &bytes)
    {
        std::optional<Protocol::ServerFrame> frame;
        if (!bytes.isEmpty()) {
            auto decoded = FrameCodec::decodeServerFrame(QByteArrayView(bytes).chopped(1));
            if (const auto *decodedFrame = std::get_if<Protocol::ServerFrame>(&decoded))
                frame = *decodedFrame;
        }
        m_said[id].append(Said{kind, frame});
    }

    QHash<Wire::ConnectionId, QList<Said>> m_said;
};

// The frame of `said` if it is a `Frame` (points into `said`: keep it).
template<typename Frame> const Frame *frameOf(const RecordingReplyChannel::Said &said)
{
    return said.frame ? std::get_if<Frame>(&*said.frame) : nullptr;
}
