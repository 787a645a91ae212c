// SPDX-License-Identifier: MIT
#include "livenesstracker.h"

QList<std::pair<QByteArray, QByteArray>> LivenessTracker::observe(const QHash<QByteArray, QByteArray> &counters)
{
    QList<std::pair<QByteArray, QByteArray>> silent;
    // Instances no longer listed have been reaped or left.
    for (auto it = m_seen.begin(); it != m_seen.end();) {
        if (counters.contains(it.key()))
            ++it;
        else
            it = m_seen.erase(it);
    }
    for (auto it = counters.cbegin(); it != counters.cend(); ++it) {
        auto seen = m_seen.find(it.key());
        if (seen == m_seen.end() || seen->counter != it.value()) {
            m_seen.insert(it.key(), Seen{it.value(), 0});
            continue;
        }
        if (++seen->unchangedBeats >= kSilentBeats)
            silent.append({it.key(), it.value()});
    }
    return silent;
}
