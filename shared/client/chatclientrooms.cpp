// SPDX-License-Identifier: MIT
// ChatClient's rooms (ROOMS.md): joining, parting, topics, and the frames
// that tell who is in which room and what was said there.
#include "chatclientprivate.h"

#include "errortext.h"
#include "frametypename.h"
#include "nicklist.h"
#include "validation.h"

using namespace Qt::StringLiterals;
using namespace Protocol;

// ---- requests ----

QString ChatClient::joinRoom(const QString &room)
{
    const Validation::RoomResult checked = Validation::checkRoom(room.trimmed());
    if (!checked.isValid())
        return Validation::describe(checked);
    switch (d->state) {
    case State::Online:
    case State::Registering:
        // In order behind what was typed before; after `welcome` at the latest.
        d->outbox.enqueue(Join{checked.room});
        d->pump();
        return {};
    case State::Connecting:
    case State::Reconnecting:
    case State::Disconnected:
        if (!d->roster.contains(checked.room)) {
            d->roster.want(checked.room);
            d->emitRoomsChanged();
        }
        return {};
    }
    return {};
}

QString ChatClient::partRoom(const QString &room, const QString &message)
{
    const Validation::RoomResult checked = Validation::checkRoom(roomOrLobby(room).trimmed());
    if (!checked.isValid())
        return Validation::describe(checked);
    if (RoomRoster::isLobby(checked.room))
        return ErrorText::describe(Error{ErrorCode::CannotPart, {}, typeName<Part>()});
    QString text = message.trimmed();
    if (!text.isEmpty()) {
        const Validation::TextResult checkedText = Validation::checkText(text);
        if (!checkedText.isValid())
            return Validation::describe(checkedText);
        text = checkedText.text;
    }
    if (d->state != State::Online) {
        // Not on the server now: parting is not rejoining it.
        if (d->roster.contains(checked.room))
            d->leftRoom(checked.room);
        return {};
    }
    d->outbox.enqueue(Part{checked.room, text});
    d->pump();
    return {};
}

QString ChatClient::setTopic(const QString &room, const QString &topic)
{
    const Validation::RoomResult checkedRoom = Validation::checkRoom(roomOrLobby(room).trimmed());
    if (!checkedRoom.isValid())
        return Validation::describe(checkedRoom);
    const Validation::TopicResult checkedTopic = Validation::checkTopic(topic);
    if (!checkedTopic.isValid())
        return Validation::describe(checkedTopic);
    if (!d->sendRequest(SetTopic{checkedRoom.room, checkedTopic.topic}))
        return tr("Not connected: the topic can be set after reconnecting.");
    return {};
}

QString ChatClient::requestRooms()
{
    if (!d->sendRequest(ListRooms{}))
        return tr("Not connected: the list of rooms can be asked for after reconnecting.");
    return {};
}

// ---- state ----

QStringList ChatClient::rooms() const
{
    return d->roster.names();
}

bool ChatClient::isInRoom(const QString &room) const
{
    return d->roster.contains(room);
}

QString ChatClient::roomName(const QString &room) const
{
    const RoomRoster::Room *known = d->roster.find(room);
    return known ? known->name : QString();
}

QString ChatClient::topic(const QString &room) const
{
    const RoomRoster::Room *known = d->roster.find(room);
    return known ? known->topic : QString();
}

QStringList ChatClient::roomUsers(const QString &room) const
{
    const RoomRoster::Room *known = d->roster.find(room);
    return known ? known->users : QStringList();
}

qint64 ChatClient::lastMessageId(const QString &room) const
{
    const RoomRoster::Room *known = d->roster.find(room);
    return known ? known->lastMessageId : 0;
}

// ---- incoming frames ----

void ChatClient::Private::handle(const ChatMessage &f)
{
    roster.noteMessage(f.room, f.id);
    emit q->messageReceived(f);
    if (NickList::same(f.from, nick))
        confirm(Outbox::Kind::Say);
}

void ChatClient::Private::handle(const Joined &f)
{
    emit q->userJoined(f);
    if (RoomRoster::isLobby(f.room)) {
        setUsers(NickList::without(roster.lobbyRoom().users, f.nick) + QStringList{f.nick});
        return;
    }
    if (roster.addUser(f.room, f.nick))
        emit q->roomUsersChanged(roster.find(f.room)->name, roster.find(f.room)->users);
}

void ChatClient::Private::handle(const Left &f)
{
    emit q->userLeft(f);
    if (f.reason == LeaveReason::Part && !RoomRoster::isLobby(f.room)) {
        if (NickList::same(f.nick, nick)) {
            leftRoom(f.room);
            return;
        }
        if (roster.removeUser(f.room, f.nick))
            emit q->roomUsersChanged(roster.find(f.room)->name, roster.find(f.room)->users);
        return;
    }
    // Gone from the server, and so from every room (ROOMS.md).
    const QStringList changed = roster.removeUserEverywhere(f.nick);
    emit q->usersChanged(roster.lobbyRoom().users);
    for (const QString &room : changed) {
        if (!RoomRoster::isLobby(room))
            emit q->roomUsersChanged(room, roster.find(room)->users);
    }
    if (NickList::contains(operators, f.nick))
        setOperators(NickList::without(operators, f.nick));
    if (awayUsers.contains(f.nick)) {
        AwayMessages away = awayUsers;
        away.remove(f.nick);
        setAwayUsers(away);
    }
}

void ChatClient::Private::handle(const Renamed &f)
{
    const bool mine = NickList::same(f.from, nick);
    if (mine)
        nick = f.to;
    const QStringList changed = roster.renameUser(f.from, f.to);
    emit q->userRenamed(f);
    if (mine)
        emit q->nickChanged(nick);
    emit q->usersChanged(roster.lobbyRoom().users);
    for (const QString &room : changed) {
        if (!RoomRoster::isLobby(room))
            emit q->roomUsersChanged(room, roster.find(room)->users);
    }
    if (NickList::contains(operators, f.from))
        setOperators(NickList::renamed(operators, f.from, f.to));
    if (awayUsers.contains(f.from)) {
        AwayMessages away = awayUsers;
        away.insert(f.to, away.take(f.from));
        setAwayUsers(away);
    }
}

void ChatClient::Private::handle(const Users &f)
{
    if (RoomRoster::isLobby(f.room)) {
        setUsers(f.users);
        setOperators(f.ops);
        setAwayUsers(f.away);
        emit q->userListReceived(roster.lobbyRoom().users, lobby());
        return;
    }
    setRoomUsers(f.room, f.users);
    emit q->userListReceived(NickList::sorted(f.users), f.room);
}

void ChatClient::Private::setRoomUsers(const QString &room, const QStringList &users)
{
    RoomRoster::Room *known = roster.find(room);
    if (!known)
        return;
    known->users = NickList::sorted(users);
    emit q->roomUsersChanged(known->name, known->users);
}

void ChatClient::Private::handle(const RoomState &f)
{
    const RoomRoster::Room *before = roster.find(f.room);
    const bool wasListed = before != nullptr;
    const QString spelledBefore = before ? before->name : QString();
    const qint64 previousLastId = before ? before->lastMessageId : 0;
    const RoomRoster::Room &room = roster.enter(f);
    outbox.confirmFromHistory(f.history, nick, previousLastId, room.name);
    if (RoomRoster::isLobby(f.room)) {
        emit q->usersChanged(room.users);
        // Everyone is in #lobby, so its frame names every away user.
        setAwayUsers(f.away);
    }
    emit q->roomEntered(f);
    if (!wasListed || spelledBefore != room.name)
        emitRoomsChanged();
    emit q->roomUsersChanged(room.name, room.users);
    if (awaitedRoomStates > 0 && --awaitedRoomStates == 0)
        resumeSending();
}

void ChatClient::Private::handle(const TopicChanged &f)
{
    if (RoomRoster::Room *room = roster.find(f.room))
        room->topic = f.topic;
    emit q->topicChanged(f);
}

void ChatClient::Private::leftRoom(const QString &room)
{
    const RoomRoster::Room *known = roster.find(room);
    if (!known)
        return;
    const QString name = known->name;
    roster.remove(name);
    emit q->roomLeft(name);
    emitRoomsChanged();
}

void ChatClient::Private::registerWithoutRooms(const Error &f)
{
    emit q->errorReceived(f);
    // Which room broke it the error does not say: leave them all, say so,
    // and register in #lobby alone rather than not at all.
    const QStringList names = roster.names();
    for (qsizetype i = 1; i < names.size(); ++i)
        leftRoom(names.at(i));
    sendHello();
}
