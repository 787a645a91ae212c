// SPDX-License-Identifier: MIT
// Cluster: what a new connection to Redis does first, without waiting
// (issue #16; docs/architecture.md "Redis without waiting"). Redis may have
// been away (this instance's users reaped by others meanwhile), restarted
// (the functions gone) or rolled back: before anything is written on the
// new connection the functions are loaded, the epoch is checked and the
// claims are repaired. They are sent together and answered on the event
// loop; until then every write is refused as while Redis was away (one
// round trip, right after a reconnect), instead of the room's thread
// waiting for two.
#include "cluster.h"

#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcCluster)

QStringList Cluster::keysOf(const QList<std::pair<QString, QString>> &users)
{
    QStringList keys;
    keys.reserve(users.size());
    for (const auto &[key, nick] : users)
        keys.append(key);
    std::sort(keys.begin(), keys.end());
    return keys;
}

bool Cluster::ensureReady()
{
    // A rollback's repair under way: a write now would come before the room
    // read again (clusterrollback.cpp), so it is refused as when Redis is away.
    if (m_epochCheck && m_epochCheck->repairing)
        return false;
    // At most every retry delay, and waiting at most the connect's bound.
    if (!m_redis.isConnected() && !m_redis.connectIfDue())
        return false;
    if (m_redis.connectionCount() == m_syncedConnection)
        return true;
    startSetUp();
    return false;
}

void Cluster::startSetUp()
{
    if (m_setUpResync && *m_setUpResync == m_resyncsSent)
        return; // under way
    if (!loadScriptsSentWithoutWaiting())
        return;
    // A rollback found here is repaired on a turn of its own
    // (startCheckEpoch()), which resyncs as part of the repair.
    startCheckEpoch();
    startResync();
}

void Cluster::startResync()
{
    const quint64 sent = ++m_resyncsSent;
    const quint64 connection = m_redis.connectionCount();
    const QList<std::pair<QString, QString>> users = m_localUsers();
    const bool sending = m_resyncScript.startCallAll(
        m_redis, {resyncInvocation(users)},
        [this, sent, connection, users](const QList<RedisConnection::Result> &results) {
            noteResult(results.constFirst());
            // Users who lost their nickname leave the room: not inside
            // whatever work read this answer.
            QTimer::singleShot(0, this, [this, sent, connection, users, result = results.constFirst()] {
                resyncAnswered(sent, connection, users, result);
            });
        });
    if (sending)
        m_setUpResync = sent;
    else
        m_setUpResync.reset(); // the next write starts it again
}

void Cluster::resyncAnswered(quint64 sent, quint64 connection, const QList<std::pair<QString, QString>> &users,
                             const RedisConnection::Result &result)
{
    if (m_setUpResync == sent)
        m_setUpResync.reset();
    // A resync sent after this one (a rollback's repair on an earlier turn,
    // the set-up after a relisting) or a newer connection's set-up has the
    // last word; an error: the next write starts the set-up again.
    if (sent != m_resyncsSent || m_redis.connectionCount() != connection || !RedisConnection::errorOf(result).isEmpty())
        return;
    // Someone left meanwhile (their release was refused, as every write
    // is until now) and is still claimed: again, with the users here now;
    // resync.lua releases the claims of users no longer here.
    if (keysOf(m_localUsers()) != keysOf(users)) {
        startResync();
        return;
    }
    adoptResync(Resync::Reconnected, users.size(), std::get<RedisReply>(result));
}
