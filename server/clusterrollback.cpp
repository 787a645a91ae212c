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
    const LuaScript::Invocation invocation = epochInvocation();
    const RedisConnection::Result result = run(m_epochScript, invocation.keys, invocation.arguments);
    if (!RedisConnection::errorOf(result).isEmpty())
        return EpochCheck::Failed;
    const QList<RedisReply> &parts = std::get<RedisReply>(result).elements;
    if (parts.size() < 3 || parts.at(2).string.isEmpty())
        return EpochCheck::Failed;
    const qint64 sequenceWas = parts.at(1).string.toLongLong();
    const SequenceGuard::Verdict verdict = m_guard.judge(parts.at(0).string, sequenceWas);
    const QByteArray known = m_guard.epoch();
    m_guard.adopt(parts.at(2).string);
    emit epochAdopted(m_guard.epoch());
    const std::optional<SequenceGuard::Verdict> foundHere = std::exchange(m_rollbackFoundHere, std::nullopt);
    if (!SequenceGuard::isRollback(verdict))
        return EpochCheck::Steady;
    if (recover(foundHere.value_or(verdict), sequenceWas))
        return EpochCheck::RolledBack;
    // Not repaired: the next check must find the rollback again (the epoch
    // Redis has now differs from this one).
    m_guard.adopt(known);
    emit epochAdopted(known);
    return EpochCheck::Failed;
}

bool Cluster::recover(SequenceGuard::Verdict verdict, qint64 sequenceWas)
{
    qCWarning(lcCluster).noquote() << u"Redis on %1 was rolled back: %2 (sequence at %3, ids up to %4 delivered "
                                      u"here); ids go on above them, the room is read again and its users here "
                                      u"are told they may have missed messages"_s
                                          .arg(m_redis.serverName(), describe(verdict))
                                          .arg(sequenceWas)
                                          .arg(m_guard.highWater());
    // The claims first, so that the room read again has this instance's
    // users; the rooms' memberships follow them (ClusterRooms::restore).
    if (!resync(Resync::RolledBack))
        return false;
    auto read = readSnapshot();
    if (const auto *error = std::get_if<QString>(&read)) {
        qCWarning(lcCluster).noquote() << *error;
        return false;
    }
    const Snapshot &snapshot = std::get<Snapshot>(read);
    // The entries the reader waits for may now get ids below the last it
    // read: it follows on from the room as read again.
    m_reader.restartFrom(snapshot.lastEntryId);
    emit rolledBack(snapshot);
    return true;
}

void Cluster::startCheckEpoch()
{
    if (m_epochCheckInFlight)
        return;
    // Not the answer in flight (as startRelease()): a steady answer only
    // adopts the epoch, so it may be read inside anyone's work.
    const QByteArray known = m_guard.epoch();
    m_epochCheckInFlight = m_epochScript.startCallAll(
        m_redis, {epochInvocation()}, [this, known](const QList<RedisConnection::Result> &results) {
            m_epochCheckInFlight = false;
            const RedisConnection::Result &result = results.constFirst();
            noteResult(result);
            // Failed: the next check (or write) asks again.
            if (!RedisConnection::errorOf(result).isEmpty())
                return;
            const QList<RedisReply> &parts = std::get<RedisReply>(result).elements;
            if (parts.size() < 3 || parts.at(2).string.isEmpty())
                return;
            // Not m_guard.judge(): ids delivered since the script was sent
            // may be above the sequence it read, and are no rollback.
            const QByteArray &now = parts.at(2).string;
            const SequenceGuard::Verdict found = SequenceGuard::foundByScript(known, parts.at(0).string, now);
            if (!SequenceGuard::isRollback(found)) {
                if (m_guard.epoch() == known) {
                    m_guard.adopt(now);
                    emit epochAdopted(now);
                }
                return;
            }
            // The repair reads the room again and tells its users: on a turn
            // of its own, not inside whatever work read this answer. The
            // script already made the new epoch, so checkEpoch() finds the
            // change and repairs, as when another instance found it first;
            // the log says what this check found.
            m_rollbackFoundHere = found;
            QTimer::singleShot(0, this, [this] { checkEpoch(); });
        });
}
