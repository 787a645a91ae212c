// SPDX-License-Identifier: MIT
#include "roomroster.h"

#include "nicklist.h"
#include "validation.h"

#include <algorithm>

using namespace Protocol;

RoomRoster::RoomRoster()
{
    clear();
}

QStringList RoomRoster::names() const
{
    QStringList result;
    result.reserve(m_rooms.size());
    for (const Room &room : m_rooms)
        result.append(room.name);
    return result;
}

bool RoomRoster::isLobby(const QString &room)
{
    return room.isEmpty() || Validation::roomKey(room) == Validation::roomKey(lobby());
}

const RoomRoster::Room *RoomRoster::find(const QString &room) const
{
    const QString key = Validation::roomKey(roomOrLobby(room));
    const auto it = std::find_if(m_rooms.cbegin(), m_rooms.cend(),
                                 [&key](const Room &candidate) { return Validation::roomKey(candidate.name) == key; });
    return it == m_rooms.cend() ? nullptr : &*it;
}

RoomRoster::Room *RoomRoster::find(const QString &room)
{
    return const_cast<Room *>(std::as_const(*this).find(room));
}

RoomRoster::Room &RoomRoster::want(const QString &room)
{
    if (Room *known = find(room))
        return *known;
    m_rooms.append(Room{roomOrLobby(room), {}, {}, 0, false});
    return m_rooms.last();
}

RoomRoster::Room &RoomRoster::enter(const RoomState &state)
{
    Room &room = want(state.room);
    room.name = state.room;
    room.topic = state.topic;
    room.users = NickList::sorted(state.users);
    room.entered = true;
    for (const ChatMessage &message : state.history)
        room.lastMessageId = std::max(room.lastMessageId, message.id);
    return room;
}

bool RoomRoster::remove(const QString &room)
{
    const Room *known = find(room);
    if (!known || known == &m_rooms.first())
        return false;
    m_rooms.removeAt(known - m_rooms.constData());
    return true;
}

void RoomRoster::clear()
{
    m_rooms = {Room{lobby(), {}, {}, 0, false}};
}

void RoomRoster::noteMessage(const QString &room, qint64 id)
{
    if (Room *known = find(room))
        known->lastMessageId = std::max(known->lastMessageId, id);
}

bool RoomRoster::addUser(const QString &room, const QString &nick)
{
    Room *known = find(room);
    if (!known)
        return false;
    known->users = NickList::sorted(NickList::without(known->users, nick) + QStringList{nick});
    return true;
}

bool RoomRoster::removeUser(const QString &room, const QString &nick)
{
    Room *known = find(room);
    if (!known)
        return false;
    known->users = NickList::without(known->users, nick);
    return true;
}

QStringList RoomRoster::removeUserEverywhere(const QString &nick)
{
    QStringList changed;
    for (Room &room : m_rooms) {
        if (!NickList::contains(room.users, nick))
            continue;
        room.users = NickList::without(room.users, nick);
        changed.append(room.name);
    }
    return changed;
}

QStringList RoomRoster::renameUser(const QString &from, const QString &to)
{
    QStringList changed;
    for (Room &room : m_rooms) {
        if (!NickList::contains(room.users, from))
            continue;
        room.users = NickList::renamed(room.users, from, to);
        changed.append(room.name);
    }
    return changed;
}

void RoomRoster::startOver()
{
    for (Room &room : m_rooms) {
        room.entered = false;
        room.lastMessageId = 0;
    }
}

QList<RoomRequest> RoomRoster::helloRooms() const
{
    QList<RoomRequest> requests;
    for (qsizetype i = 1; i < m_rooms.size(); ++i) {
        const Room &room = m_rooms.at(i);
        // Entered before: resume after what was seen. Only wanted: a plain join.
        requests.append(
            RoomRequest{room.name, room.entered ? std::optional<qint64>(room.lastMessageId) : std::nullopt});
    }
    return requests;
}
