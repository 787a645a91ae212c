// SPDX-License-Identifier: MIT
#include "sequenceguard.h"

SequenceGuard::Verdict SequenceGuard::judge(const QByteArray &epochInRedis, qint64 sequenceInRedis) const
{
    // Before the first adoption nothing was delivered under any epoch, so
    // whatever Redis holds is the start.
    if (m_epoch.isEmpty())
        return Verdict::Started;
    if (epochInRedis.isEmpty())
        return Verdict::EpochMissing;
    if (epochInRedis != m_epoch)
        return Verdict::EpochChanged;
    if (sequenceInRedis < m_highWater)
        return Verdict::SequenceBehind;
    return Verdict::Steady;
}

bool SequenceGuard::isRollback(Verdict verdict)
{
    return verdict != Verdict::Started && verdict != Verdict::Steady;
}

bool SequenceGuard::repairedByScript(const QByteArray &known, const QByteArray &before, const QByteArray &now)
{
    // Knowing none, there was nothing to roll back (as Started).
    if (known.isEmpty())
        return false;
    return before != known || now != known;
}

void SequenceGuard::delivered(qint64 id)
{
    if (id > m_highWater)
        m_highWater = id;
}
