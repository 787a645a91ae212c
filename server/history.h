// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QList>

#include <deque>

// The last N accepted messages, for `welcome`. Whispers never enter it.
class History final
{
public:
    explicit History(int capacity);

    void append(const Protocol::ChatMessage &message);
    // Oldest first, at most `count` (all of them when count < 0).
    QList<Protocol::ChatMessage> last(int count = -1) const;
    int size() const { return int(m_messages.size()); }
    int capacity() const { return m_capacity; }

private:
    int m_capacity;
    std::deque<Protocol::ChatMessage> m_messages;
};
