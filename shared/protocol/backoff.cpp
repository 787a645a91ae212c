// SPDX-License-Identifier: MIT
#include "backoff.h"

#include <QRandomGenerator>

#include <algorithm>

Backoff::Backoff(int initialMsecs, int maximumMsecs, double jitter, RandomSource random)
    : m_initialMsecs(std::max(1, initialMsecs))
    , m_maximumMsecs(std::max(m_initialMsecs, maximumMsecs))
    , m_jitter(std::clamp(jitter, 0.0, 1.0))
    , m_random(std::move(random))
{
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
}

int Backoff::nextDelay()
{
    // Double by repeated steps rather than a shift so that a client which has
    // been retrying for days cannot overflow: the base stops at the maximum.
    qint64 base = m_initialMsecs;
    for (int i = 0; i < m_attempts && base < m_maximumMsecs; ++i)
        base *= 2;
    base = std::min<qint64>(base, m_maximumMsecs);
    ++m_attempts;

    // The jitter is added on top of the base (also at the maximum), so a crowd
    // of clients dropped by one server restart spreads out instead of arriving
    // in the same millisecond every 30 seconds.
    const double r = std::clamp(m_random(), 0.0, 1.0);
    return int(base + qint64(double(base) * m_jitter * r));
}

void Backoff::reset()
{
    m_attempts = 0;
}
