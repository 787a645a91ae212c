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
#include <memory>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcCluster)

namespace {
// A room put back was there before: --max-rooms does not refuse it (the
// index may hold other rooms made meanwhile).
constexpr int kNoRoomLimit = std::numeric_limits<int>::max();
} // namespace

// One restore() under way: its memberships are all sent at once, each
// answered on the event loop; the last answer says whether it is done.
struct ClusterRooms::Restoring {
    Restore how;
    quint64 number = 0; // m_restoresStarted when it started
    int pending = 0;
    int restored = 0;
    bool failed = false;
};

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
    // Redis away again: the resync after the reconnect calls this again.
    if (!m_redis.connectIfDue() || !ensureLoaded())
        return;
    QHash<QString, QString> nicks; // nick key -> nick
    for (const auto &[key, nick] : users)
        nicks.insert(key, nick);
    auto run = std::make_shared<Restoring>(Restoring{how, ++m_restoresStarted});
    if (how == Restore::Silently || again) {
        restoreMissing(nicks, {}, run);
        return;
    }
    // A reaper deletes the whole list: what is still listed was not
    // reaped, and an instance that was not reaped pays this one read.
    m_redis.sendPipeline({{"SMEMBERS", m_keys.membershipsOf(m_instance)}},
                         [this, nicks, run](const QList<RedisConnection::Result> &results) {
                             const RedisConnection::Result &result = results.constFirst();
                             if (!RedisConnection::errorOf(result).isEmpty())
                                 return; // m_unfinished: the next resync does it again
                             QSet<QByteArray> listed;
                             for (const RedisReply &entry : std::get<RedisReply>(result).elements)
                                 listed.insert(entry.string);
                             restoreMissing(nicks, listed, run);
                         });
}

void ClusterRooms::restoreMissing(const QHash<QString, QString> &nicks, const QSet<QByteArray> &listed,
                                  const std::shared_ptr<Restoring> &run)
{
    for (auto room = m_local.cbegin(); room != m_local.cend(); ++room) {
        // The room's name comes from its mirror; a room with members here
        // is followed (join() makes both at once), so none is skipped.
        if (!m_followed.contains(room.key()))
            continue;
        for (const QString &nickKey : room.value()) {
            const QString nick = nicks.value(nickKey);
            if (nick.isEmpty() || listed.contains(membership(room.key(), nickKey)))
                continue;
            if (!sendRestore(room.key(), nickKey, nick, run))
                run->failed = true;
        }
    }
    if (run->pending == 0)
        restoreFinished(*run);
}

bool ClusterRooms::sendRestore(const QString &roomKey, const QString &nickKey, const QString &nick,
                               const std::shared_ptr<Restoring> &run)
{
    // The order of join(): listed first (a crash after it leaves nothing the
    // reaper does not know of), counted in, then the room's own keys; undone
    // when the script fails, so that a later restore() finds it unlisted.
    // The listing and the count go together; the script follows the count.
    const QByteArray entry = membership(roomKey, nickKey);
    sendAside({"SADD", m_keys.membershipsOf(m_instance), entry});
    const bool sent =
        startRun(m_indexScript, {m_keys.roomIndex()}, {roomKey.toUtf8(), "+", QByteArray::number(kNoRoomLimit)},
                 [this, roomKey, nickKey, nick, entry, run](const RedisConnection::Result &counted) {
                     if (const Outcome outcome = countedIn(counted); outcome != Outcome::Done) {
                         sendAside({"SREM", m_keys.membershipsOf(m_instance), entry});
                         restoreAnswered(*run, outcome);
                         return;
                     }
                     if (!sendRestoreScript(roomKey, nickKey, nick, run)) {
                         countOutAside(roomKey);
                         sendAside({"SREM", m_keys.membershipsOf(m_instance), entry});
                         restoreAnswered(*run, Outcome::Unavailable);
                     }
                 });
    if (sent)
        ++run->pending;
    return sent;
}

bool ClusterRooms::sendRestoreScript(const QString &roomKey, const QString &nickKey, const QString &nick,
                                     const std::shared_ptr<Restoring> &run)
{
    QString name = m_followed.value(roomKey).record.name;
    if (name.isEmpty())
        name = roomKey;
    QList<QByteArray> arguments{nickKey.toUtf8(), nick.toUtf8(), m_instance, name.toUtf8(),
                                QByteArray::number(RoomStream::kMaxLength)};
    if (run->how == Restore::Announced)
        arguments += RoomStream::fields(RoomStream::Kind::Event, Joined{nick, Timestamp::now(), name}, m_instance,
                                        m_connections.value(nickKey));
    return startRun(m_restoreScript,
                    {m_keys.roomRecord(roomKey), m_keys.roomMembers(roomKey), m_keys.roomWhere(roomKey),
                     m_keys.roomStream(roomKey)},
                    arguments, [this, roomKey, nickKey, run](const RedisConnection::Result &result) {
                        restoreAnswered(*run, restoredFrom(roomKey, nickKey, result));
                    });
}

RoomBackend::Outcome ClusterRooms::restoredFrom(const QString &roomKey, const QString &nickKey,
                                                const RedisConnection::Result &result)
{
    const QByteArray entry = membership(roomKey, nickKey);
    if (!RedisConnection::errorOf(result).isEmpty()) {
        countOutAside(roomKey);
        sendAside({"SREM", m_keys.membershipsOf(m_instance), entry});
        return Outcome::Unavailable;
    }
    const qint64 added = std::get<RedisReply>(result).integer;
    if (added == 1)
        return Outcome::Done;
    // There already: counted once is enough.
    countOutAside(roomKey);
    // Another instance's user by that nickname: not ours to list (the
    // resync has reported the nickname lost, and the user here goes).
    if (added < 0)
        sendAside({"SREM", m_keys.membershipsOf(m_instance), entry});
    return Outcome::Refused;
}

void ClusterRooms::restoreAnswered(Restoring &run, Outcome outcome)
{
    --run.pending;
    if (outcome == Outcome::Done)
        ++run.restored;
    else if (outcome == Outcome::Unavailable)
        run.failed = true;
    if (run.pending == 0)
        restoreFinished(run);
}

void ClusterRooms::restoreFinished(const Restoring &run)
{
    // A restore started after this one has the last word.
    if (run.number != m_restoresStarted)
        return;
    if (run.failed) {
        // The next resync (after the reconnect) does it again.
        qCWarning(lcCluster).noquote() << "could not put back the room memberships of the users here";
        return;
    }
    m_unfinished.reset();
    if (run.restored > 0)
        qCInfo(lcCluster).noquote() << "put back" << run.restored << "room memberships of users here"
                                    << (run.how == Restore::Silently ? "lost with the rollback"
                                                                     : "removed when this instance was reaped");
}
