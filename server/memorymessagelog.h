// SPDX-License-Identifier: MIT
#pragma once

#include "messagelog.h"

#include <algorithm>
#include <deque>

// The default log: the newest `capacity` messages in memory. Ids start at 1
// again when the server restarts.
class MemoryMessageLog final : public MessageLog
{
public:
    explicit MemoryMessageLog(int capacity);
    // What chat-server keeps for `--history N`: enough for `welcome` and for
    // a client that comes back with `since`; nothing when history is off.
    static int capacityFor(int history);

    Appended append(const Protocol::ChatMessage &message) override;
    Page after(qint64 id, int limit) const override;
    QList<Protocol::ChatMessage> last(int count) const override;
    qint64 nextId() const override { return m_nextId; }

    // A message numbered elsewhere (the shared room's stream), newest last;
    // one at or below an id already seen is ignored.
    void insert(const Protocol::ChatMessage &message);
    // The next message is at least `id` (the newest elsewhere, plus one).
    void continueFrom(qint64 id) { m_nextId = std::max(m_nextId, id); }

    int capacity() const { return m_capacity; }
    int size() const { return int(m_messages.size()); }

private:
    int m_capacity;
    qint64 m_nextId = 1;
    std::deque<Protocol::ChatMessage> m_messages;
};
