// SPDX-License-Identifier: MIT
// Room's part for the rooms of ROOMS.md (protocol version 2): joining,
// leaving, topics, the list of rooms, and what the backend says happened in
// one room, delivered to that room's members only. #lobby is every user's
// room; the rest of Room serves it as version 1 did.
#include "room.h"

#include "frametypename.h"
#include "timestamp.h"
#include "validation.h"

#include <QLoggingCategory>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcRoom)

bool Room::RoomName::isLobby() const
{
    return key == lobby();
}

std::optional<Room::RoomName> Room::roomFor(const Requester &from, const QString &requested, const QString &ref)
{
    if (requested.isEmpty()) {
        // A text-mode user talks in their current room; a JSON client that
        // names no room means #lobby (ROOMS.md).
        const QString current = from.mode == Wire::Mode::Text ? m_members.value(from.id).current : QString();
        if (current.isEmpty())
            return RoomName{lobby(), lobby()};
        return RoomName{current, m_members.value(from.id).rooms.value(current)};
    }
    const Validation::RoomResult checked = Validation::checkRoom(requested);
    if (!checked.isValid()) {
        reply(from, Error{ErrorCode::RoomInvalid, Validation::describe(checked), ref});
        return std::nullopt;
    }
    return RoomName{Validation::roomKey(checked.room), checked.room};
}

std::optional<Room::RoomName> Room::memberRoomFor(const Requester &from, const QString &requested, const QString &ref)
{
    std::optional<RoomName> room = roomFor(from, requested, ref);
    return room ? requireMember(from, *room, ref) : room;
}

std::optional<Room::RoomName> Room::requireMember(const Requester &from, RoomName room, const QString &ref)
{
    if (room.isLobby())
        return room;
    const auto member = m_members.constFind(from.id);
    if (member == m_members.cend() || !member->rooms.contains(room.key)) {
        reply(from, Error{ErrorCode::NotInRoom, u"you are not in %1; join it first"_s.arg(room.name), ref});
        return std::nullopt;
    }
    room.name = member->rooms.value(room.key);
    return room;
}

bool Room::checkHelloRooms(const Requester &from, const Hello &hello, QList<RoomName> &rooms)
{
    qsizetype others = 0;
    for (const RoomRequest &request : hello.rooms) {
        const Validation::RoomResult checked = Validation::checkRoom(request.room);
        if (!checked.isValid()) {
            reply(from, Error{ErrorCode::RoomInvalid, Validation::describe(checked), typeName<Hello>()});
            return false;
        }
        const RoomName room{Validation::roomKey(checked.room), checked.room};
        const bool listed =
            std::any_of(rooms.cbegin(), rooms.cend(), [&room](const RoomName &other) { return other.key == room.key; });
        if (listed)
            continue;
        rooms.append(room);
        if (!room.isLobby())
            ++others;
    }
    if (others > m_config.maxRoomsPerUser) {
        reply(from, Error{ErrorCode::TooManyRooms,
                          u"a user may be in at most %1 rooms besides #lobby"_s.arg(m_config.maxRoomsPerUser),
                          typeName<Hello>()});
        return false;
    }
    return true;
}

void Room::countHelloRooms(const HelloClaim &claim)
{
    QStringList others;
    bool allHeldHere = true;
    for (const RoomName &room : claim.rooms) {
        if (room.isLobby())
            continue;
        others.append(room.key);
        const auto mirrored = m_rooms.constFind(room.key);
        allHeldHere = allHeldHere && mirrored != m_rooms.cend() && !mirrored->local.isEmpty();
    }
    // Rooms someone here is in have members: no new room to count (a
    // reconnect storm's hellos after the first). Each join's own count
    // still holds the limit if one emptied meanwhile.
    if (others.isEmpty() || allHeldHere) {
        admitHello(claim);
        return;
    }
    // Counted without waiting when the backend can (one pipeline with
    // --redis); nothing else is in flight meanwhile (mayOverlapClaims()),
    // and the claim is asked from the answer.
    auto count = std::make_shared<RoomBackend::RoomCount>();
    askBackend(
        [&](const RoomBackend::OutcomeDone &done) {
            return m_backend->startCountRooms(others, [count, done](RoomBackend::RoomCount counted) {
                *count = counted;
                done(RoomBackend::Outcome::Done);
            });
        },
        [&] {
            *count = m_backend->countRooms(others);
            return RoomBackend::Outcome::Done;
        },
        [this, claim, count](RoomBackend::Outcome) {
            if (count->empty > 0 && count->held + count->empty > m_config.maxRooms) {
                reply(claim.from, Error{ErrorCode::TooManyRooms,
                                        u"the server holds at most %1 rooms besides #lobby"_s.arg(m_config.maxRooms),
                                        typeName<Hello>()});
                return;
            }
            admitHello(claim);
        });
}

void Room::joinHelloRooms(const Requester &from, const QList<RoomName> &rooms, const Hello &hello, qsizetype first)
{
    for (qsizetype i = first; i < rooms.size(); ++i) {
        const RoomName &room = rooms.at(i);
        std::optional<qint64> since;
        for (const RoomRequest &request : hello.rooms) {
            if (Validation::roomKey(request.room) == room.key)
                since = request.since;
        }
        if (room.isLobby()) {
            // Its history was in the welcome: the `room` frame says the rest.
            RoomState state = roomStateFor(room.key, std::nullopt);
            state.history.clear();
            reply(from, state);
            continue;
        }
        m_members[from.id].roomSince.insert(room.key, since);
        // No other hello's claim is in flight beside this one's
        // (mayOverlapClaims()): this join's answer cannot overtake theirs.
        Q_ASSERT(m_answersInFlight == 0);
        // Without waiting: the rooms after this one are joined from its answer.
        joinLater(from, room, [this, from, rooms, hello, i](bool joined) {
            if (!joined)
                m_members[from.id].roomSince.remove(rooms.at(i).key);
            joinHelloRooms(from, rooms, hello, i + 1);
        });
        return;
    }
}

void Room::join(const Requester &from, const Join &request)
{
    const std::optional<RoomName> room = roomFor(from, request.room, typeName<Join>());
    if (!room)
        return;
    Member &member = m_members[from.id];
    if (room->isLobby() || member.rooms.contains(room->key)) {
        // Already there: the room again, for this user alone.
        member.current = room->isLobby() ? QString() : room->key;
        reply(from, roomStateFor(room->key, std::nullopt));
        return;
    }
    if (member.rooms.size() >= m_config.maxRoomsPerUser) {
        reply(from,
              Error{ErrorCode::TooManyRooms,
                    u"you are in %1 rooms besides #lobby, the most allowed; leave one first"_s.arg(member.rooms.size()),
                    typeName<Join>()});
        return;
    }
    joinLater(from, *room, [this, from, key = room->key](bool joined) {
        if (joined)
            m_members[from.id].current = key;
    });
}

Joined Room::startJoin(const Requester &from, const RoomName &room)
{
    // The `room` frame and delivery follow the `joined` event (with --redis,
    // read back from the room's stream, maybe before the answer).
    m_members[from.id].rooms.insert(room.key, room.name);
    return Joined{from.nick, Timestamp::now(), room.name};
}

void Room::joinLater(const Requester &from, const RoomName &room, std::function<void(bool joined)> then)
{
    const Joined joined = startJoin(from, room);
    const QString nickKey = Validation::nickKey(from.nick);
    askBackend(
        [&](const RoomBackend::OutcomeDone &done) {
            return m_backend->startJoinRoom(room.key, nickKey, joined, from.id, m_config.maxRooms, done);
        },
        [&] { return m_backend->joinRoom(room.key, nickKey, joined, from.id, m_config.maxRooms); },
        [this, from, room, then = std::move(then)](RoomBackend::Outcome outcome) {
            // Its requests wait behind this answer, its leave too: still a member.
            then(joinAnswered(from, room, typeName<Join>(), outcome));
        });
}

bool Room::joinAnswered(const Requester &from, const RoomName &room, const QString &ref, RoomBackend::Outcome outcome)
{
    switch (outcome) {
    case RoomBackend::Outcome::Done:
        qCInfo(lcRoom).noquote() << from.nick << "joined" << room.name;
        return true;
    case RoomBackend::Outcome::Refused:
    case RoomBackend::Outcome::NotStored:
        m_members[from.id].rooms.remove(room.key);
        reply(from, Error{ErrorCode::TooManyRooms,
                          u"the server holds %1 rooms besides #lobby, the most allowed; join one of them"_s.arg(
                              m_config.maxRooms),
                          ref});
        return false;
    case RoomBackend::Outcome::Unavailable:
        m_members[from.id].rooms.remove(room.key);
        replyUnavailable(from, ref);
        return false;
    }
    return false;
}

void Room::part(const Requester &from, const Part &request)
{
    const std::optional<RoomName> asked = roomFor(from, request.room, typeName<Part>());
    if (!asked)
        return;
    if (asked->isLobby()) {
        reply(from, Error{ErrorCode::CannotPart, u"everyone stays in #lobby"_s, typeName<Part>()});
        return;
    }
    const std::optional<RoomName> room = requireMember(from, *asked, typeName<Part>());
    if (!room)
        return;
    const Validation::TextResult message = Validation::checkText(request.message);
    if (!request.message.isEmpty() && !message.isValid()) {
        reply(from, Error{ErrorCode::TextInvalid, Validation::describe(message), typeName<Part>()});
        return;
    }
    const Left left{
        from.nick, LeaveReason::Part, Timestamp::now(), request.message.isEmpty() ? QString() : message.text,
        {},        room->name};
    const QString nickKey = Validation::nickKey(from.nick);
    askBackend(
        [&](const RoomBackend::OutcomeDone &done) { return m_backend->startPartRoom(room->key, nickKey, left, done); },
        [&] { return m_backend->partRoom(room->key, nickKey, left); },
        [this, from, room = *room](RoomBackend::Outcome outcome) {
            switch (outcome) {
            case RoomBackend::Outcome::Done:
            case RoomBackend::Outcome::Refused: // not a member by the backend's account: gone all the same
            case RoomBackend::Outcome::NotStored:
                break;
            case RoomBackend::Outcome::Unavailable:
                replyUnavailable(from, typeName<Part>());
                return;
            }
            Member &member = m_members[from.id];
            member.rooms.remove(room.key);
            if (member.current == room.key)
                member.current.clear();
            qCInfo(lcRoom).noquote() << from.nick << "left" << room.name;
        });
}

void Room::setTopic(const Requester &from, const SetTopic &request)
{
    const std::optional<RoomName> room = memberRoomFor(from, request.room, typeName<SetTopic>());
    // A muted user is silenced in topics too; slow mode is about messages.
    if (!room || !mayPost(from, typeName<SetTopic>(), false))
        return;
    const Validation::TopicResult topic = Validation::checkTopic(request.topic);
    if (!topic.isValid()) {
        reply(from, Error{ErrorCode::TopicInvalid, Validation::describe(topic), typeName<SetTopic>()});
        return;
    }
    const TopicChanged changed{room->name, topic.topic, from.nick, Timestamp::now()};
    askBackend([&](const RoomBackend::OutcomeDone &done) { return m_backend->startSetTopic(room->key, changed, done); },
               [&] { return m_backend->setTopic(room->key, changed); },
               [this, from](RoomBackend::Outcome outcome) {
                   switch (outcome) {
                   case RoomBackend::Outcome::Done:
                       return;
                   case RoomBackend::Outcome::Refused:
                   case RoomBackend::Outcome::NotStored:
                       reply(from,
                             Error{ErrorCode::StoreFailed, u"the server could not store the topic; try again later"_s,
                                   typeName<SetTopic>()});
                       return;
                   case RoomBackend::Outcome::Unavailable:
                       replyUnavailable(from, typeName<SetTopic>());
                       return;
                   }
               });
}

void Room::showTopic(const Requester &from)
{
    const std::optional<RoomName> room = memberRoomFor(from, {}, typeName<SetTopic>());
    if (!room)
        return;
    const RoomState state = roomStateFor(room->key, std::nullopt);
    const QString sentence = state.topic.isEmpty() ? u"%1 has no topic; /topic TEXT sets one"_s.arg(state.room)
                                                   : u"the topic of %1: %2"_s.arg(state.room, state.topic);
    deliver(from.id, from.channel, Wire::textLines({u"* "_s + sentence}));
}

void Room::listRooms(const Requester &from)
{
    // The backend's rooms: with --redis read from Redis (two round trips)
    // without waiting; the answer is the Outcome's side channel.
    auto listed = std::make_shared<QList<RoomInfo>>();
    askBackend(
        [&](const RoomBackend::OutcomeDone &done) {
            return m_backend->startListRooms([listed, done](const QList<RoomInfo> &rooms) {
                *listed = rooms;
                done(RoomBackend::Outcome::Done);
            });
        },
        [&] {
            *listed = m_backend->rooms();
            return RoomBackend::Outcome::Done;
        },
        [this, from, listed](RoomBackend::Outcome) { answerRooms(from, *listed); });
}

void Room::answerRooms(const Requester &from, QList<RoomInfo> rooms)
{
    rooms.append(RoomInfo{lobby(), m_roster.size(), lobbyTopic()});
    std::sort(rooms.begin(), rooms.end(),
              [](const RoomInfo &a, const RoomInfo &b) { return Validation::nickLessThan(a.room, b.room); });
    reply(from, RoomList{rooms});
}

void Room::who(const Requester &from, const Who &request)
{
    const std::optional<RoomName> room = memberRoomFor(from, request.room, typeName<Who>());
    if (!room)
        return;
    if (room->isLobby()) {
        reply(from, Users{users(), operators(), lobby(), m_roster.away()});
        return;
    }
    const QStringList members = roomUsers(room->key);
    QStringList ops;
    for (const QString &op : operators()) {
        if (members.contains(op))
            ops.append(op);
    }
    const RoomMirror &mirrored = m_rooms[room->key];
    reply(from, Users{members, ops, mirrored.name, m_roster.awayAmong(mirrored.members)});
}

QStringList Room::roomUsers(const QString &roomKey) const
{
    return m_rooms.value(roomKey).members.values();
}

QString Room::lobbyTopic() const
{
    return m_lobbyTopic;
}

RoomState Room::roomStateFor(const QString &roomKey, std::optional<qint64> since) const
{
    MessageLog::Page page = historyFor(roomKey, since);
    if (roomKey == lobby())
        return RoomState{lobby(), lobbyTopic(), users(), std::move(page.messages), page.truncated, m_roster.away()};
    const RoomMirror room = m_rooms.value(roomKey);
    return RoomState{room.name,
                     room.topic,
                     room.members.values(),
                     std::move(page.messages),
                     page.truncated,
                     m_roster.awayAmong(room.members)};
}

Room::RoomMirror &Room::mirror(const QString &roomKey, const QString &name)
{
    auto room = m_rooms.find(roomKey);
    if (room != m_rooms.end())
        return *room;
    // A room this server starts to follow: as the backend has it now.
    RoomMirror fresh{name, {}, {}, {}};
    if (const std::optional<RoomBackend::RoomSnapshot> snapshot = m_backend->room(roomKey)) {
        fresh.name = snapshot->record.name;
        fresh.topic = snapshot->record.topic;
        for (const auto &[key, nick] : snapshot->members)
            fresh.members.insert(key, nick);
    }
    return *m_rooms.insert(roomKey, fresh);
}

void Room::applyRoomJoined(const RoomBackend::Event &event, const Joined &joined)
{
    const QString roomKey = Validation::roomKey(joined.room);
    RoomMirror &room = mirror(roomKey, joined.room);
    room.members.insert(Validation::nickKey(joined.nick), joined.nick);
    const auto member = m_members.find(event.from);
    Wire::ConnectionId except = 0;
    if (member != m_members.end() && member->rooms.contains(roomKey)) {
        member->rooms.insert(roomKey, room.name); // the name as created
        room.local.insert(event.from);
        except = event.from;
        const std::optional<qint64> since = member->roomSince.take(roomKey);
        const Member &joiner = *member;
        deliver(event.from, joiner.channel, Wire::encode(joiner.mode, roomStateFor(roomKey, since), joiner.nick));
    }
    publish(joined, except, room.local);
    if (room.local.isEmpty())
        m_rooms.remove(roomKey); // nobody here: another instance's room
}

void Room::applyRoomLeft(const Left &left)
{
    const QString roomKey = Validation::roomKey(left.room);
    const auto room = m_rooms.find(roomKey);
    if (room == m_rooms.end())
        return;
    const QString nickKey = Validation::nickKey(left.nick);
    room->members.remove(nickKey);
    // The one who left hears it too, last for this room.
    publish(left, 0, room->local);
    room->local.remove(m_idByKey.value(nickKey));
    // This server follows a room while it has members here.
    if (room->local.isEmpty())
        m_rooms.erase(room);
}

void Room::applyTopic(const TopicChanged &topic)
{
    const QString roomKey = Validation::roomKey(topic.room);
    if (roomKey == lobby()) {
        m_lobbyTopic = topic.topic;
        publish(topic);
        return;
    }
    const auto room = m_rooms.find(roomKey);
    if (room == m_rooms.end())
        return;
    room->topic = topic.topic;
    publish(topic, 0, room->local);
}

void Room::leaveAllRooms(const QString &nickKey)
{
    // Its connection left each room's `local` when it was removed (removeMember).
    for (auto room = m_rooms.begin(); room != m_rooms.end();) {
        room->members.remove(nickKey);
        if (room->local.isEmpty())
            room = m_rooms.erase(room);
        else
            ++room;
    }
}

void Room::renameInRooms(const QString &oldKey, const QString &newKey, const QString &nick)
{
    for (RoomMirror &room : m_rooms) {
        if (room.members.remove(oldKey) > 0)
            room.members.insert(newKey, nick);
    }
}

void Room::publishToRoom(const QString &room, const ServerFrame &frame, Wire::ConnectionId except,
                         const QByteArray &json)
{
    // No room is #lobby (nearly every message of the cluster's stream):
    // said before the keys are made.
    const QString roomKey = room.isEmpty() ? QString() : Validation::roomKey(room);
    if (room.isEmpty() || roomKey == lobby()) {
        publish(frame, except, std::nullopt, json);
        return;
    }
    const auto mirrored = m_rooms.constFind(roomKey);
    if (mirrored != m_rooms.cend())
        publish(frame, except, mirrored->local, json);
}
