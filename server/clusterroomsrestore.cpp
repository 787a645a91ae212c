// SPDX-License-Identifier: MIT
// ClusterRooms: putting back the room memberships of this instance's users
// that Redis lost (a rollback, docs/architecture.md "Rollback detection") or
// that another instance removed when it reaped this one while it lived
// (ClusterHeartbeat::relisted). Only this instance knows them; without this,
// `rooms`, member counts, --max-rooms and the members every other instance
// reads would leave these users out until they joined again.
#include "clusterrooms.h"

#include "timestamp.h"

#include <QLoggingCategory>

#include <limits>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcCluster)

namespace {
// A room put back was there before: --max-rooms does not refuse it (the
// index may hold other rooms made meanwhile).
constexpr int kNoRoomLimit = std::numeric_limits<int>::max();
} // namespace

void ClusterRooms::restore(const QList<std::pair<QString, QString>> &users, Restore how)
{
    if (m_local.isEmpty()) {
        m_unfinished.reset();
        return;
    }
    // One cut short (Redis went away during it) is done again in full: a
    // membership it listed may have missed its script. Said as quietly as
    // the first time: after a rollback nobody was told anything.
    const bool again = m_unfinished.has_value();
    if (m_unfinished == Restore::Silently)
        how = Restore::Silently;
    m_unfinished = how;
    QHash<QString, QString> nicks; // nick key -> nick
    for (const auto &[key, nick] : users)
        nicks.insert(key, nick);
    QSet<QByteArray> listed;
    if (how == Restore::Announced && !again) {
        // A reaper deletes the whole list: what is still listed was not
        // reaped, and an instance that was not reaped pays this one read.
        const RedisConnection::Result result = m_redis.command({"SMEMBERS", m_keys.membershipsOf(m_instance)});
        if (!RedisConnection::errorOf(result).isEmpty())
            return; // Redis away again: the resync after the reconnect calls this again
        for (const RedisReply &entry : std::get<RedisReply>(result).elements)
            listed.insert(entry.string);
    }
    int restored = 0;
    for (auto room = m_local.cbegin(); room != m_local.cend(); ++room) {
        // The room's name comes from its mirror; a room with members here
        // is followed (join() makes both at once), so none is skipped.
        if (!m_followed.contains(room.key()))
            continue;
        for (const QString &nickKey : room.value()) {
            const QString nick = nicks.value(nickKey);
            if (nick.isEmpty() || listed.contains(membership(room.key(), nickKey)))
                continue;
            switch (restoreMember(room.key(), nickKey, nick, how)) {
            case Outcome::Done:
                ++restored;
                break;
            case Outcome::Refused:
            case Outcome::NotStored:
                break;
            case Outcome::Unavailable:
                // The next resync (after the reconnect) does it again.
                qCWarning(lcCluster).noquote() << "could not put back the room memberships of the users here";
                return;
            }
        }
    }
    m_unfinished.reset();
    if (restored > 0)
        qCInfo(lcCluster).noquote() << "put back" << restored << "room memberships of users here"
                                    << (how == Restore::Silently ? "lost with the rollback"
                                                                 : "removed when this instance was reaped");
}

RoomBackend::Outcome ClusterRooms::restoreMember(const QString &roomKey, const QString &nickKey, const QString &nick,
                                                 Restore how)
{
    // The order of join(): listed first (a crash after it leaves nothing the
    // reaper does not know of), counted in, then the room's own keys; undone
    // when the script fails, so that a later restore() finds it unlisted.
    const QByteArray entry = membership(roomKey, nickKey);
    if (!RedisConnection::errorOf(m_redis.command({"SADD", m_keys.membershipsOf(m_instance), entry})).isEmpty())
        return Outcome::Unavailable;
    if (const Outcome counted = count(roomKey, true, kNoRoomLimit); counted != Outcome::Done) {
        m_redis.command({"SREM", m_keys.membershipsOf(m_instance), entry});
        return counted;
    }
    QString name = m_followed.value(roomKey).record.name;
    if (name.isEmpty())
        name = roomKey;
    QList<QByteArray> arguments{nickKey.toUtf8(), nick.toUtf8(), m_instance, name.toUtf8(),
                                QByteArray::number(RoomStream::kMaxLength)};
    if (how == Restore::Announced)
        arguments += RoomStream::fields(RoomStream::Kind::Event, Joined{nick, Timestamp::now(), name}, m_instance,
                                        m_connections.value(nickKey));
    const RedisConnection::Result result = run(m_restoreScript,
                                               {m_keys.roomRecord(roomKey), m_keys.roomMembers(roomKey),
                                                m_keys.roomWhere(roomKey), m_keys.roomStream(roomKey)},
                                               arguments);
    if (!RedisConnection::errorOf(result).isEmpty()) {
        count(roomKey, false);
        m_redis.command({"SREM", m_keys.membershipsOf(m_instance), entry});
        return Outcome::Unavailable;
    }
    const qint64 added = std::get<RedisReply>(result).integer;
    if (added == 1)
        return Outcome::Done;
    // There already: counted once is enough.
    count(roomKey, false);
    // Another instance's user by that nickname: not ours to list (the
    // resync has reported the nickname lost, and the user here goes).
    if (added < 0)
        m_redis.command({"SREM", m_keys.membershipsOf(m_instance), entry});
    return Outcome::Refused;
}
