// SPDX-License-Identifier: MIT
// Cluster's scripts sent without waiting for Redis (issue #16): a hello's
// claim or take-over, a rename, a whisper or kick, a shared event (the room
// waits for each one's answer, one at a time, without stopping its thread),
// a release and the reaping of silent instances' users (nobody waits for
// those). Each is the synchronous call's script, as a pipeline of one on
// the cluster's own connection, so Redis runs them in the order they were
// sent with every other command of this instance.
#include "cluster.h"

#include "handoff.h"
#include "timestamp.h"

#include <QLoggingCategory>

using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcCluster)

bool Cluster::startRun(const LuaScript &script, const LuaScript::Invocation &invocation,
                       std::function<void(const RedisConnection::Result &)> done)
{
    // As run() after ensureReady(): the claims are repaired first after Redis was away.
    if (!ensureReady())
        return false;
    // Several may be in flight (a storm's hellos): Redis answers them in the
    // order they were sent, and so are their `done`s called.
    const bool sent = script.startCallAll(
        m_redis, {invocation}, [this, done = std::move(done)](const QList<RedisConnection::Result> &results) {
            --m_answersInFlight;
            noteResult(results.constFirst());
            done(results.constFirst());
        });
    if (sent)
        ++m_answersInFlight;
    return sent;
}

bool Cluster::startClaimNick(const QString &key, const QString &nick, Wire::ConnectionId connection,
                             const QByteArray &resumeHash, ClaimDone done)
{
    return startRun(m_claimScript, claimInvocation(key, nick, connection, resumeHash),
                    [done = std::move(done)](const RedisConnection::Result &result) { done(claimFrom(result)); });
}

bool Cluster::startTakeOver(const QString &key, const QString &nick, const QByteArray &presentedHash,
                            const QByteArray &newHash, const Left &left, Wire::ConnectionId connection, ClaimDone done)
{
    return startRun(m_resumeScript, takeOverInvocation(key, nick, presentedHash, newHash, left, connection),
                    [done = std::move(done)](const RedisConnection::Result &result) { done(claimFrom(result)); });
}

bool Cluster::startRename(const QString &oldKey, const QString &newKey, const Renamed &renamed, ClaimDone done)
{
    return startRun(m_renameScript, renameInvocation(oldKey, newKey, renamed),
                    [done = std::move(done)](const RedisConnection::Result &result) { done(claimFrom(result)); });
}

bool Cluster::startSendTo(const QString &key, RoomStream::Kind kind, const ServerFrame &frame, Wire::ConnectionId from,
                          ClaimDone done)
{
    return startRun(m_eventScript, sendToInvocation(key, kind, frame, from),
                    [done = std::move(done)](const RedisConnection::Result &result) { done(claimFrom(result)); });
}

bool Cluster::startShare(const ServerFrame &frame, std::function<void(bool)> done)
{
    const auto [script, invocation] = shareInvocation(frame);
    const bool presence = script == &m_presenceScript;
    return startRun(*script, invocation, [presence, done = std::move(done)](const RedisConnection::Result &result) {
        done(sharedFrom(presence, result));
    });
}

void Cluster::finishAnswer()
{
    if (m_answersInFlight > 0)
        m_redis.finishPending();
}

bool Cluster::startRelease(const QString &key, const Left &left)
{
    if (!ensureReady())
        return false;
    // Not the answer in flight: the completion only logs, so this instance's
    // timers may read it inside their own work, and the room never waits.
    return m_releaseScript.startCallAll(m_redis, {releaseInvocation(key, left)},
                                        [this, nick = left.nick](const QList<RedisConnection::Result> &results) {
                                            noteResult(results.constFirst());
                                            if (!RedisConnection::errorOf(results.constFirst()).isEmpty())
                                                qCInfo(lcCluster).noquote() << "the shared room will hear that" << nick
                                                                            << "left once Redis is back";
                                        });
}

void Cluster::reap(const ClusterHeartbeat::Silent &silent)
{
    // Found before this instance stopped beating (it is leaving): leave it to the others.
    if (!m_beat)
        return;
    Handoff::receive(m_beat);
    // ensureReady() first: it repairs the claims after Redis was away.
    if (m_reaping || !ensureReady())
        return;
    if (!m_roomsReaper) {
        reapUsers(silent);
        return;
    }
    QList<QByteArray> dead;
    for (const auto &[instance, counter] : silent)
        dead.append(instance);
    // Their rooms first, so that each user's `left` comes after they left
    // every room (reap.lua). Not done: the heartbeat finds them silent
    // again at its next beat.
    m_reaping = m_roomsReaper(dead, [this, silent](bool cleaned) {
        m_reaping = false;
        if (cleaned)
            reapUsers(silent);
    });
}

void Cluster::reapUsers(const ClusterHeartbeat::Silent &silent)
{
    if (!m_beat || !ensureReady())
        return;
    QList<QByteArray> dead;
    QList<QByteArray> arguments{m_instance, m_keys.prefix, Timestamp::toWire(Timestamp::now()).toUtf8(),
                                QByteArray::number(RoomStream::kMaxLength)};
    for (const auto &[instance, counter] : silent) {
        dead.append(instance);
        arguments += {instance, counter};
    }
    // Not the answer in flight, as a release: nobody waits for it.
    m_reaping = m_reapScript.startCallAll(
        m_redis,
        {{{m_keys.instances(), m_keys.claims(), m_keys.roster(), m_keys.ops(), m_keys.sequence(), m_keys.stream(),
           m_keys.away(), m_keys.beats(), m_keys.resume()},
          arguments}},
        [this, dead](const QList<RedisConnection::Result> &results) {
            m_reaping = false;
            const RedisConnection::Result &reaped = results.constFirst();
            noteResult(reaped);
            // Not reaped: the heartbeat finds them silent again at its next beat.
            if (!RedisConnection::errorOf(reaped).isEmpty() || !m_beat)
                return;
            Handoff::send(m_beat);
            QMetaObject::invokeMethod(
                m_beat, [beat = m_beat, dead] { beat->forgetInstances(dead); }, Qt::QueuedConnection);
            if (std::get<RedisReply>(reaped).integer > 0)
                qCInfo(lcCluster) << "removed" << std::get<RedisReply>(reaped).integer
                                  << "users of instances that stopped answering";
        });
}
