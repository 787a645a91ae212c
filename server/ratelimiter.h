// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

// A token bucket: `rate` frames per second on average, `burst` at once.
// Time is passed in so the limiter is deterministic under test.
class RateLimiter final
{
public:
    RateLimiter(double framesPerSecond, int burst);

    // Takes one token if there is one. A rate of 0 means no limit.
    bool tryAcquire(qint64 nowMsecs);

private:
    double m_rate;
    double m_burst;
    double m_tokens;
    qint64 m_lastMsecs = -1;
};
