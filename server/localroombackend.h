// SPDX-License-Identifier: MIT
#pragma once

#include "roombackend.h"

#include <QHash>
#include <QSet>
#include <QStringList>

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

    Outcome claim(const QString &key, const QString &nick, Wire::ConnectionId connection,
                  const QByteArray &resumeHash) override;
    Outcome rename(const QString &oldKey, const QString &newKey, const Protocol::Renamed &renamed) override;
    void release(const QString &key, const Protocol::Left &left) override;
    Posted post(const Protocol::ChatMessage &message) override;
    Outcome share(const Protocol::ServerFrame &frame) override;
    Outcome sendTo(const QString &key, RoomStream::Kind kind, const Protocol::ServerFrame &frame,
                   Wire::ConnectionId from) override;

    Outcome joinRoom(const QString &roomKey, const QString &nickKey, const Protocol::Joined &joined,
                     Wire::ConnectionId connection, int maxRooms) override;
    Outcome partRoom(const QString &roomKey, const QString &nickKey, const Protocol::Left &left) override;
    Outcome setTopic(const QString &roomKey, const Protocol::TopicChanged &topic) override;
    std::optional<RoomSnapshot> room(const QString &roomKey) const override;
    QList<Protocol::RoomInfo> rooms() const override;

    // Emptied rooms whose history and topic stay in memory (docs/protocol.md,
    // "Rooms"): beyond this many, the one emptied longest ago is forgotten
    // (a --store keeps them all on disk).
    static constexpr int kMaxEmptiedRooms = 1000;

private:
    struct LocalRoom {
        MessageLog::RoomRecord record;
        QHash<QString, QString> members; // nick key -> nick
    };
    // The record of a room, from the log when it had one, else made now.
    MessageLog::RoomRecord recordFor(const QString &roomKey, const QString &name);
    void removeFromRoom(const QString &roomKey, const QString &nickKey);

    std::unique_ptr<MessageLog> m_log;
    QSet<QString> m_claims;            // nick keys
    QHash<QString, LocalRoom> m_rooms; // rooms with members, by room key
    QStringList m_emptied;             // room keys, the one emptied longest ago first
};
