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

SequenceGuard::Verdict SequenceGuard::foundByScript(const QByteArray &known, const QByteArray &before,
                                                    const QByteArray &now)
{
    // Knowing none, there was nothing to roll back.
    if (known.isEmpty())
        return Verdict::Started;
    if (before.isEmpty())
        return Verdict::EpochMissing;
    if (before != known)
        return Verdict::EpochChanged;
    return now == known ? Verdict::Steady : Verdict::SequenceBehind;
}

void SequenceGuard::delivered(qint64 id)
{
    if (id > m_highWater)
        m_highWater = id;
}
