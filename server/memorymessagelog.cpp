// SPDX-License-Identifier: MIT
#include "memorymessagelog.h"

#include "validation.h"

#include <algorithm>

using Protocol::ChatMessage;

MemoryMessageLog::MemoryMessageLog(int capacity) : m_capacity(std::max(0, capacity))
{}

int MemoryMessageLog::capacityFor(int history)
{
    return history <= 0 ? 0 : std::max(history, Protocol::kMaxResumeMessages);
}

void MemoryMessageLog::keep(RoomLog &room, const ChatMessage &message)
{
    if (m_capacity == 0) {
        room.lastDroppedId = message.id;
        return;
    }
    room.messages.push_back(message);
    while (int(room.messages.size()) > m_capacity) {
        room.lastDroppedId = room.messages.front().id;
        room.messages.pop_front();
    }
}

MessageLog::Appended MemoryMessageLog::append(const ChatMessage &message)
{
    ChatMessage stored = message;
    stored.id = m_nextId++;
    keep(m_rooms[Validation::roomKey(Protocol::roomOrLobby(message.room))], stored);
    return stored;
}

bool MemoryMessageLog::insert(const ChatMessage &message)
{
    RoomLog &room = m_rooms[Validation::roomKey(Protocol::roomOrLobby(message.room))];
    const qint64 newest = room.messages.empty() ? room.lastDroppedId : room.messages.back().id;
    if (message.id <= newest)
        return false;
    m_nextId = std::max(m_nextId, message.id + 1);
    keep(room, message);
    return true;
}

MessageLog::Page MemoryMessageLog::after(const QString &roomKey, qint64 id, int limit) const
{
    Page page;
    const auto room = m_rooms.constFind(roomKey);
    if (room == m_rooms.cend())
        return page;
    const std::deque<ChatMessage> &messages = room->messages;
    // Ids increase along the deque: the first one after `id` is found by bisection.
    const auto first = std::upper_bound(messages.begin(), messages.end(), id,
                                        [](qint64 value, const ChatMessage &m) { return value < m.id; });
    const qint64 available = messages.end() - first;
    const qint64 n = std::clamp<qint64>(limit, 0, available);
    // Missing from memory too: messages after `id` dropped to keep the capacity.
    page.truncated = n < available || id < room->lastDroppedId;
    page.messages.reserve(n);
    for (auto it = messages.end() - n; it != messages.end(); ++it)
        page.messages.append(*it);
    return page;
}

QList<ChatMessage> MemoryMessageLog::last(const QString &roomKey, int count) const
{
    const auto room = m_rooms.constFind(roomKey);
    if (room == m_rooms.cend())
        return {};
    const std::deque<ChatMessage> &messages = room->messages;
    const qint64 n = std::clamp<qint64>(count, 0, qint64(messages.size()));
    QList<ChatMessage> result;
    result.reserve(n);
    for (auto it = messages.end() - n; it != messages.end(); ++it)
        result.append(*it);
    return result;
}

std::optional<MessageLog::RoomRecord> MemoryMessageLog::room(const QString &roomKey) const
{
    const auto room = m_rooms.constFind(roomKey);
    return room == m_rooms.cend() ? std::nullopt : room->record;
}

QString MemoryMessageLog::saveRoom(const QString &roomKey, const RoomRecord &record)
{
    m_rooms[roomKey].record = record;
    return {};
}

void MemoryMessageLog::forget(const QString &roomKey)
{
    m_rooms.remove(roomKey);
}

int MemoryMessageLog::size() const
{
    int total = 0;
    for (const RoomLog &room : m_rooms)
        total += int(room.messages.size());
    return total;
}
