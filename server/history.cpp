// SPDX-License-Identifier: MIT
#include "history.h"

#include <algorithm>

History::History(int capacity)
    : m_capacity(std::max(0, capacity))
{
}

void History::append(const Protocol::ChatMessage &message)
{
    if (m_capacity == 0)
        return;
    m_messages.push_back(message);
    while (int(m_messages.size()) > m_capacity)
        m_messages.pop_front();
}

QList<Protocol::ChatMessage> History::last(int count) const
{
    const int available = int(m_messages.size());
    const int n = count < 0 ? available : std::min(count, available);
    QList<Protocol::ChatMessage> result;
    result.reserve(n);
    for (auto it = m_messages.end() - n; it != m_messages.end(); ++it)
        result.append(*it);
    return result;
}
