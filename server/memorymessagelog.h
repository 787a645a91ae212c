// SPDX-License-Identifier: MIT
#pragma once

#include "messagelog.h"

#include <QHash>

#include <algorithm>
#include <deque>

// The default log: each room's newest `capacity` messages in memory, and
// the rooms' records. Ids start at 1 again when the server restarts.
class MemoryMessageLog final : public MessageLog
{
public:
    explicit MemoryMessageLog(int capacity);
    // What chat-server keeps per room for `--history N`: enough for
    // `welcome`/`room` and for a client that comes back with `since`;
    // nothing when history is off.
    static int capacityFor(int history);

    Appended append(const Protocol::ChatMessage &message) override;
    Page after(const QString &roomKey, qint64 id, int limit) const override;
    QList<Protocol::ChatMessage> last(const QString &roomKey, int count) const override;
    qint64 nextId() const override { return m_nextId; }
    std::optional<RoomRecord> room(const QString &roomKey) const override;
    QString saveRoom(const QString &roomKey, const RoomRecord &record) override;
    void forget(const QString &roomKey) override;

    // A message numbered elsewhere (a shared room's stream), newest last in
    // its room; one at or below an id already seen there is ignored (false).
    bool insert(const Protocol::ChatMessage &message);
    // The next message is at least `id` (the newest elsewhere, plus one).
    void continueFrom(qint64 id) { m_nextId = std::max(m_nextId, id); }

    int capacity() const { return m_capacity; }
    // Messages kept in all rooms.
    int size() const;
    int roomCount() const { return int(m_rooms.size()); }

private:
    struct RoomLog {
        std::deque<Protocol::ChatMessage> messages;
        qint64 lastDroppedId = 0; // the newest message dropped to keep the capacity
        std::optional<RoomRecord> record;
    };
    void keep(RoomLog &room, const Protocol::ChatMessage &message);

    int m_capacity;
    qint64 m_nextId = 1;
    QHash<QString, RoomLog> m_rooms; // by room key
};
