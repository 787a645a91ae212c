// SPDX-License-Identifier: MIT
#pragma once

#include "roombackend.h"

#include <QSet>

// The room of one server (no --redis): everything the Room asks is done at
// once, and its event comes back through happened() before the call returns.
class LocalRoomBackend final : public RoomBackend
{
    Q_OBJECT

public:
    explicit LocalRoomBackend(std::unique_ptr<MessageLog> log, QObject *parent = nullptr);
    ~LocalRoomBackend() override;

    std::variant<State, QString> start() override { return State{}; }
    void stop() override {}
    const MessageLog &history() const override { return *m_log; }

    Outcome claim(const QString &key, const QString &nick, Wire::ConnectionId connection) override;
    Outcome rename(const QString &oldKey, const QString &newKey, const Protocol::Renamed &renamed) override;
    void release(const QString &key, const Protocol::Left &left) override;
    std::variant<Protocol::ChatMessage, Outcome> post(const Protocol::ChatMessage &message) override;
    Outcome share(const Protocol::ServerFrame &frame) override;
    Outcome sendTo(const QString &key, RoomStream::Kind kind, const Protocol::ServerFrame &frame,
                   Wire::ConnectionId from) override;

private:
    std::unique_ptr<MessageLog> m_log;
    QSet<QString> m_claims; // nick keys
};
