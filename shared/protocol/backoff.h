// SPDX-License-Identifier: MIT
#pragma once

#include <functional>

// Reconnect delays: `initial` doubling up to `maximum`, each with up to
// `jitter` (a fraction) added at random so that many clients dropped at once
// do not all come back in the same millisecond.
//
// QObject-free and clock-free: tests inject the random source and check the
// sequence directly, without waiting.
class Backoff final
{
public:
    // Returns a value in [0, 1).
    using RandomSource = std::function<double()>;

    Backoff(int initialMsecs = 1000, int maximumMsecs = 30000, double jitter = 0.2, RandomSource random = {});

    // The delay before the next attempt; each call doubles the base.
    int nextDelay();
    // After a successful registration the next failure starts from `initial` again.
    void reset();
    int attempts() const { return m_attempts; }

private:
    int m_initialMsecs;
    int m_maximumMsecs;
    double m_jitter;
    RandomSource m_random;
    int m_attempts = 0;
};
