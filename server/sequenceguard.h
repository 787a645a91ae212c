// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QtGlobal>

// What one instance knows of the cluster's shared id sequence, and whether
// what Redis says of it now means Redis was rolled back (a FLUSHALL, a
// failover to a replica that had not caught up, a restart that lost its
// last writes; issue #16, docs/architecture.md "Rollback detection").
//
// Redis keeps an epoch beside the sequence, made in the same Lua step that
// first makes the sequence. This instance remembers the epoch it adopted
// and the highest message id it has delivered to its clients: an epoch that
// is missing or another one, or a sequence below that id, is a rollback.
// Plain decisions, no Redis and no Qt objects, so they are tested alone
// (tst_sequenceguard).
class SequenceGuard final
{
public:
    enum class Verdict {
        Started,        // this instance knew no epoch yet: it adopts Redis's
        Steady,         // the epoch it knows, and a sequence not below what it delivered
        EpochMissing,   // Redis lost the epoch (FLUSHALL, or a restart that lost everything)
        EpochChanged,   // another instance found a rollback first and made a new epoch
        SequenceBehind, // same epoch, but ids it delivered would be handed out again
    };

    // `epochInRedis` empty: Redis had none. `sequenceInRedis`: the last id
    // Redis handed out (0 when it has none).
    Verdict judge(const QByteArray &epochInRedis, qint64 sequenceInRedis) const;
    static bool isRollback(Verdict verdict);
    // A check answered later (Cluster::startCheckEpoch): what epoch.lua,
    // sent while this instance knew `known`, found (a rollback, or Steady or
    // Started), judged from its epoch `before` and `now` alone: the script
    // compared the sequence with the ids delivered when it was sent (it made
    // a new epoch if it was behind: SequenceBehind), and ids delivered since
    // may well be above it.
    static Verdict foundByScript(const QByteArray &known, const QByteArray &before, const QByteArray &now);

    QByteArray epoch() const { return m_epoch; }
    void adopt(const QByteArray &epoch) { m_epoch = epoch; }

    // The highest message id this instance has handed to its clients (or
    // had handed out for a post): what the sequence must never fall to.
    qint64 highWater() const { return m_highWater; }
    void delivered(qint64 id);

private:
    QByteArray m_epoch;
    qint64 m_highWater = 0;
};
