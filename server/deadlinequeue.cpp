// SPDX-License-Identifier: MIT
#include "deadlinequeue.h"

#include <algorithm>
#include <limits>
#include <vector>

DeadlineQueue::DeadlineQueue(Clock clock, Handler onDue, QObject *parent)
    : QObject(parent), m_clock(std::move(clock)), m_onDue(std::move(onDue))
{
    // Parented so that moveToThread() takes the timer along to the worker's thread.
    m_timer.setParent(this);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &DeadlineQueue::fireDue);
}

void DeadlineQueue::schedule(Wire::ConnectionId id, qint64 atMsecs)
{
    const auto it = m_byId.find(id);
    const qint64 before = it == m_byId.end() ? -1 : it->second;
    if (atMsecs == before)
        return;
    if (before >= 0)
        m_ordered.erase({before, id});
    if (atMsecs >= 0) {
        m_ordered.insert({atMsecs, id});
        m_byId.insert_or_assign(id, atMsecs);
    } else {
        m_byId.erase(id);
    }
    arm();
}

qint64 DeadlineQueue::scheduled(Wire::ConnectionId id) const
{
    const auto it = m_byId.find(id);
    return it == m_byId.end() ? -1 : it->second;
}

qint64 DeadlineQueue::earliest() const
{
    return m_ordered.empty() ? -1 : m_ordered.begin()->first;
}

void DeadlineQueue::arm()
{
    if (m_ordered.empty()) {
        m_timer.stop();
        return;
    }
    const qint64 wait = std::max<qint64>(0, m_ordered.begin()->first - m_clock());
    m_timer.start(int(std::min<qint64>(wait, std::numeric_limits<int>::max())));
}

void DeadlineQueue::fireDue()
{
    const qint64 now = m_clock();
    // Collected first: the handlers change the set.
    std::vector<Wire::ConnectionId> due;
    for (auto it = m_ordered.begin(); it != m_ordered.end() && it->first <= now; ++it)
        due.push_back(it->second);
    for (const Wire::ConnectionId id : due)
        m_onDue(id, now);
    arm();
}
