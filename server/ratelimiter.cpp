// SPDX-License-Identifier: MIT
#include "ratelimiter.h"

#include <algorithm>

RateLimiter::RateLimiter(double framesPerSecond, int burst)
    : m_rate(framesPerSecond), m_burst(std::max(1, burst)), m_tokens(m_burst)
{}

bool RateLimiter::tryAcquire(qint64 nowMsecs)
{
    if (m_rate <= 0)
        return true;
    if (m_lastMsecs >= 0)
        m_tokens = std::min(m_burst, m_tokens + double(nowMsecs - m_lastMsecs) * m_rate / 1000.0);
    m_lastMsecs = nowMsecs;
    if (m_tokens < 1.0)
        return false;
    m_tokens -= 1.0;
    return true;
}
