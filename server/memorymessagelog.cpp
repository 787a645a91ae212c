// SPDX-License-Identifier: MIT
#include "memorymessagelog.h"

#include <algorithm>

using Protocol::ChatMessage;

MemoryMessageLog::MemoryMessageLog(int capacity) : m_capacity(std::max(0, capacity))
{}

int MemoryMessageLog::capacityFor(int history)
{
    return history <= 0 ? 0 : std::max(history, Protocol::kMaxResumeMessages);
}

MessageLog::Appended MemoryMessageLog::append(const ChatMessage &message)
{
    ChatMessage stored = message;
    stored.id = m_nextId++;
    if (m_capacity > 0) {
        m_messages.push_back(stored);
        while (int(m_messages.size()) > m_capacity)
            m_messages.pop_front();
    }
    return stored;
}

void MemoryMessageLog::insert(const ChatMessage &message)
{
    if (message.id < m_nextId)
        return;
    m_nextId = message.id + 1;
    if (m_capacity == 0)
        return;
    m_messages.push_back(message);
    while (int(m_messages.size()) > m_capacity)
        m_messages.pop_front();
}

MessageLog::Page MemoryMessageLog::after(qint64 id, int limit) const
{
    // Ids increase along the deque: the first one after `id` is found by bisection.
    const auto first = std::upper_bound(m_messages.begin(), m_messages.end(), id,
                                        [](qint64 value, const ChatMessage &m) { return value < m.id; });
    const qint64 available = m_messages.end() - first;
    const qint64 n = std::clamp<qint64>(limit, 0, available);
    Page page;
    // Missing from memory too: messages after `id` that have been dropped to keep the capacity.
    const qint64 oldestKept = m_messages.empty() ? m_nextId : m_messages.front().id;
    page.truncated = n < available || (id + 1 < oldestKept && id + 1 < m_nextId);
    page.messages.reserve(n);
    for (auto it = m_messages.end() - n; it != m_messages.end(); ++it)
        page.messages.append(*it);
    return page;
}

QList<ChatMessage> MemoryMessageLog::last(int count) const
{
    const qint64 n = std::clamp<qint64>(count, 0, qint64(m_messages.size()));
    QList<ChatMessage> result;
    result.reserve(n);
    for (auto it = m_messages.end() - n; it != m_messages.end(); ++it)
        result.append(*it);
    return result;
}
