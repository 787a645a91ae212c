// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>

// Decides which other instances of a cluster have stopped, from their beat
// counters as this instance reads them at each of its own heartbeats.
//
// Why not a key with a time to live: Redis expires keys by the wall clock,
// so a Redis that pauses (a long fork, DEBUG SLEEP, a stalled disk) lets
// every instance's key expire at once, and the first instance to beat
// afterwards would remove everybody else's users. Here an instance is
// judged silent only across this instance's own successful heartbeats: a
// heartbeat that fails forgets what was seen, so after any pause everyone
// gets `kSilentBeats` fresh heartbeats to be seen again.
class LivenessTracker final
{
public:
    // Three missed beats, as the time to live was: one busy moment is not a death.
    static constexpr int kSilentBeats = 3;

    // A successful heartbeat of this instance, with every instance's beat
    // counter as read now (this instance's own included or not). Returns the
    // instances whose counter has not moved for kSilentBeats heartbeats,
    // with the counter that was seen (the reap re-checks it in Redis, so an
    // instance that beat meanwhile is spared).
    QList<std::pair<QByteArray, QByteArray>> observe(const QHash<QByteArray, QByteArray> &counters);
    // A heartbeat that could not read or write Redis: nothing seen so far counts.
    void forget() { m_seen.clear(); }
    // Reaped or gone: stop watching it.
    void drop(const QByteArray &instance) { m_seen.remove(instance); }

private:
    struct Seen {
        QByteArray counter;
        int unchangedBeats = 0;
    };
    QHash<QByteArray, Seen> m_seen;
};
