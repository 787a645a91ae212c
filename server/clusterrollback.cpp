// SPDX-License-Identifier: MIT
// Cluster: rollback detection (issue #16; docs/architecture.md "Rollback
// detection"). Redis can lose its newest writes (a failover to a replica
// that had not caught up, a restart without them, a FLUSHALL); without
// this the sequence would hand out ids this instance's clients already
// have for other messages.
#include "cluster.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <optional>
#include <utility>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcCluster)

namespace {
QByteArray newEpoch()
{
    // Unique enough: only compared for equality, and made rarely.
    return QByteArray::number(QDateTime::currentMSecsSinceEpoch(), 16) + '-' +
           QByteArray::number(QRandomGenerator::system()->generate64(), 16);
}

// After a rollback the sequence goes on this far above the ids the
// repairing instance delivered, per second of heartbeat (at least one):
// another instance may have delivered higher ids (in a room only it
// follows) and not have looked yet, which it does within a heartbeat. Two
// million a second is over a hundred times what a cluster posts here
// (docs/performance.md), and leaves 2^53 (the ids JavaScript clients read
// exactly) out of reach of any number of rollbacks.
constexpr qint64 kRollbackMarginPerSecond = 2'000'000;

qint64 rollbackMargin(int heartbeatMsecs)
{
    const qint64 seconds = std::max<qint64>(1, (qint64(heartbeatMsecs) + 999) / 1000);
    return kRollbackMarginPerSecond * seconds;
}

QString describe(SequenceGuard::Verdict verdict)
{
    switch (verdict) {
    case SequenceGuard::Verdict::EpochMissing:
        return u"its epoch is gone (FLUSHALL, or a restart that lost everything)"_s;
    case SequenceGuard::Verdict::EpochChanged:
        return u"another instance found it rolled back and made a new epoch"_s;
    case SequenceGuard::Verdict::SequenceBehind:
        return u"its message sequence fell below ids delivered here"_s;
    case SequenceGuard::Verdict::Started:
    case SequenceGuard::Verdict::Steady:
        break;
    }
    return {};
}
} // namespace

LuaScript::Invocation Cluster::epochInvocation() const
{
    // One atomic step (epoch.lua) checks and repairs: instances finding the
    // rollback at once agree on one epoch, and each raises the sequence
    // above the ids it delivered, so none of them is handed out again.
    return {{m_keys.sequence(), m_keys.epoch()},
            {m_guard.epoch(), QByteArray::number(m_guard.highWater()), newEpoch(),
             QByteArray::number(rollbackMargin(m_heartbeatMsecs))}};
}

Cluster::EpochCheck Cluster::checkEpoch()
{
    std::optional<EpochCheck> outcome;
    if (!startCheckEpoch([&outcome](EpochCheck check) { outcome = check; }))
        return EpochCheck::Failed;
    finishEpochCheck();
    return outcome.value_or(EpochCheck::Failed);
}

bool Cluster::startCheckEpoch(EpochCheckDone done)
{
    if (m_epochCheck) {
        // Sent before this was asked: what it finds may predate the reason
        // for asking (a refused append), so the next check answers it.
        if (done)
            m_nextCheckWaiters.append(std::move(done));
        return true;
    }
    QList<EpochCheckDone> waiters;
    if (done)
        waiters.append(std::move(done));
    return sendEpochCheck(waiters);
}

bool Cluster::sendEpochCheck(QList<EpochCheckDone> &waiters)
{
    auto check = std::make_unique<PendingEpochCheck>();
    check->known = m_guard.epoch();
    const bool sent =
        m_epochScript.startCallAll(m_redis, {epochInvocation()}, [this](const QList<RedisConnection::Result> &results) {
            epochAnswered(results.constFirst());
        });
    if (!sent)
        return false;
    check->waiters = std::exchange(waiters, {});
    m_epochCheck = std::move(check);
    return true;
}

void Cluster::epochAnswered(const RedisConnection::Result &result)
{
    noteResult(result);
    PendingEpochCheck &check = *m_epochCheck;
    // Failed: the next check (or write) asks again.
    if (!RedisConnection::errorOf(result).isEmpty()) {
        epochCheckFinished(EpochCheck::Failed);
        return;
    }
    const QList<RedisReply> &parts = std::get<RedisReply>(result).elements;
    if (parts.size() < 3 || parts.at(2).string.isEmpty()) {
        epochCheckFinished(EpochCheck::Failed);
        return;
    }
    // Not m_guard.judge(): ids delivered since the script was sent may be
    // above the sequence it read, and are no rollback.
    const QByteArray &now = parts.at(2).string;
    check.found = SequenceGuard::foundByScript(check.known, parts.at(0).string, now);
    if (!SequenceGuard::isRollback(check.found)) {
        if (m_guard.epoch() == check.known) {
            m_guard.adopt(now);
            emit epochAdopted(now);
        }
        epochCheckFinished(EpochCheck::Steady);
        return;
    }
    qCWarning(lcCluster).noquote() << u"Redis on %1 was rolled back: %2 (sequence at %3, ids up to %4 delivered "
                                      u"here); ids go on above them, the room is read again and its users here "
                                      u"are told they may have missed messages"_s
                                          .arg(m_redis.serverName(), describe(check.found),
                                               QString::fromUtf8(parts.at(1).string))
                                          .arg(m_guard.highWater());
    check.repairing = true;
    // The claims first, so that the room read again has this instance's
    // users; the rooms' memberships follow them (ClusterRooms::restore).
    check.users = m_localUsers();
    check.connection = m_redis.connectionCount();
    check.resyncSent = ++m_resyncsSent;
    const bool sent = m_resyncScript.startCallAll(
        m_redis, {resyncInvocation(check.users)},
        [this](const QList<RedisConnection::Result> &results) { repairResynced(results.constFirst()); });
    // The script made the new epoch and raised the sequence: the appends
    // refused for the old one are sent again naming it. (Not repaired, the
    // old one comes back: completeEpochCheck().)
    m_guard.adopt(now);
    emit epochAdopted(now);
    if (!sent)
        epochCheckFinished(EpochCheck::Failed);
}

void Cluster::repairResynced(const RedisConnection::Result &result)
{
    noteResult(result);
    if (!RedisConnection::errorOf(result).isEmpty()) {
        epochCheckFinished(EpochCheck::Failed);
        return;
    }
    m_epochCheck->resynced = std::get<RedisReply>(result);
    const LuaScript::Invocation snapshot = snapshotInvocation();
    const bool sent =
        m_snapshotScript.startCallAll(m_redis, {snapshot}, [this](const QList<RedisConnection::Result> &results) {
            repairSnapshotRead(results.constFirst());
        });
    if (!sent)
        epochCheckFinished(EpochCheck::Failed);
}

void Cluster::repairSnapshotRead(const RedisConnection::Result &result)
{
    noteResult(result);
    auto read = snapshotFrom(result);
    if (const auto *error = std::get_if<QString>(&read)) {
        qCWarning(lcCluster).noquote() << *error;
        epochCheckFinished(EpochCheck::Failed);
        return;
    }
    m_epochCheck->snapshot = std::get<Snapshot>(std::move(read));
    epochCheckFinished(EpochCheck::RolledBack);
}

void Cluster::epochCheckFinished(EpochCheck outcome)
{
    m_epochCheck->outcome = outcome;
    // Users may leave the room and the room is read again: not inside
    // whatever work read this answer.
    QTimer::singleShot(0, this, &Cluster::completeEpochCheck);
}

void Cluster::completeEpochCheck()
{
    if (!m_epochCheck || !m_epochCheck->outcome)
        return; // done already (finishEpochCheck())
    const std::unique_ptr<PendingEpochCheck> check = std::move(m_epochCheck);
    EpochCheck outcome = *check->outcome;
    if (check->repairing && (outcome != EpochCheck::RolledBack || m_redis.connectionCount() != check->connection)) {
        // Not repaired: the next check must find the rollback again (the
        // epoch Redis has now differs from this one).
        outcome = EpochCheck::Failed;
        m_guard.adopt(check->known);
        emit epochAdopted(check->known);
    }
    if (outcome == EpochCheck::RolledBack) {
        adoptResync(Resync::RolledBack, check->users.size(), *check->resynced);
        // Someone left while writes were refused (their release too), or
        // this instance was relisted meanwhile (reaped perhaps after the
        // resync above): resynced again, without refusing writes for it.
        // The claims it repairs are of users served here throughout.
        if (check->relistedMeanwhile || keysOf(m_localUsers()) != keysOf(check->users))
            startResync();
        // The entries the reader waits for may now get ids below the last it
        // read: it follows on from the room as read again.
        m_reader.restartFrom(check->snapshot->lastEntryId);
        emit rolledBack(*check->snapshot);
    }
    // Repaired: an append refused meanwhile is answered by this repair.
    QList<EpochCheckDone> answered = check->waiters;
    QList<EpochCheckDone> next = std::exchange(m_nextCheckWaiters, {});
    if (outcome == EpochCheck::RolledBack)
        answered += std::exchange(next, {});
    // Not sent (Redis away): those fail now (sendEpochCheck() left them in `next`).
    if (!next.isEmpty() && sendEpochCheck(next))
        next.clear();
    for (const EpochCheckDone &done : std::as_const(answered))
        done(outcome);
    for (const EpochCheckDone &done : std::as_const(next))
        done(EpochCheck::Failed);
}

void Cluster::finishEpochCheck()
{
    while (m_epochCheck) {
        // Every step's answer sends the next step, which this reads as well.
        if (!m_epochCheck->outcome)
            m_redis.finishPending();
        if (!m_epochCheck->outcome) {
            // Nothing left to read means the connection went, and with it
            // every step in flight: none can still be answered.
            qCWarning(lcCluster) << "the epoch check was left unanswered";
            epochCheckFinished(EpochCheck::Failed);
        }
        completeEpochCheck(); // may send the next check
    }
}
