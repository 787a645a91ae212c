// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// The rooms a client is in (ROOMS.md), as ChatClient keeps them: #lobby
// always first, the others in the order they were joined, each with its
// topic, its members and the last message id seen in it, so a reconnect
// resumes every room after its own last id. Rooms are found the way the
// server compares them (Validation::roomKey): "#Dev" is "#dev".
//
// A room may be wanted but not entered yet (joined while offline, or
// before the first `hello`): the next `hello` asks for it.
//
// QObject-free; ChatClient tells what changed.
class RoomRoster final
{
public:
    struct Room {
        QString name; // as the server spells it (or as asked for, until entered)
        QString topic;
        QStringList users; // sorted like NickList::sorted
        qint64 lastMessageId = 0;
        // A `room` frame arrived for it since connectToServer(): a reconnect
        // resumes it after lastMessageId.
        bool entered = false;
    };

    RoomRoster();

    const QList<Room> &rooms() const { return m_rooms; }
    // The names, #lobby first.
    QStringList names() const;
    // The room named `room` (empty: #lobby), or nullptr when one is not in it.
    const Room *find(const QString &room) const;
    Room *find(const QString &room);
    bool contains(const QString &room) const { return find(room) != nullptr; }
    const Room &lobbyRoom() const { return m_rooms.first(); }
    Room &lobbyRoom() { return m_rooms.first(); }
    // Whether `room` names #lobby (empty does).
    static bool isLobby(const QString &room);

    // Adds the room at the end unless it is there already; returns it.
    Room &want(const QString &room);
    // A `room` frame arrived: the room's name as spelled by the server, its
    // topic and members; `lastMessageId` grows by its history.
    Room &enter(const Protocol::RoomState &state);
    // Forgets a room (never #lobby); false when one was not in it.
    bool remove(const QString &room);
    // Back to #lobby alone, nothing seen.
    void clear();

    // A message of `room` (empty: #lobby) was seen.
    void noteMessage(const QString &room, qint64 id);
    // Someone joined or left one room; false when the room is not known.
    bool addUser(const QString &room, const QString &nick);
    bool removeUser(const QString &room, const QString &nick);
    // Someone left the server: gone from every room. The rooms whose members changed.
    QStringList removeUserEverywhere(const QString &nick);
    // Someone changed nickname: renamed in every room. The rooms whose members changed.
    QStringList renameUser(const QString &from, const QString &to);

    // A new session (not a reconnect): every room is joined afresh, without `since`.
    void startOver();
    // What `hello` asks for besides #lobby: each room, with `since` its last
    // id when it was entered before (a resume), none for a first join.
    QList<Protocol::RoomRequest> helloRooms() const;

private:
    QList<Room> m_rooms;
};
