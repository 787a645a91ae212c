// SPDX-License-Identifier: MIT
#include "localroombackend.h"

#include "timestamp.h"

#include <QLoggingCategory>

using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcRoom)

LocalRoomBackend::LocalRoomBackend(std::unique_ptr<MessageLog> log, QObject *parent)
    : RoomBackend(parent), m_log(std::move(log))
{}

LocalRoomBackend::~LocalRoomBackend() = default;

RoomBackend::Outcome LocalRoomBackend::claim(const QString &key, const QString &nick, Wire::ConnectionId connection,
                                             const QByteArray &resumeHash)
{
    // On one server the member keeps its token (Room::resumptionFor).
    Q_UNUSED(resumeHash)
    if (m_claims.contains(key))
        return Outcome::Refused;
    m_claims.insert(key);
    emit happened(Event{RoomStream::Kind::Event, Joined{nick, Timestamp::now()}, connection, {}});
    return Outcome::Done;
}

RoomBackend::Outcome LocalRoomBackend::rename(const QString &oldKey, const QString &newKey, const Renamed &renamed)
{
    if (oldKey != newKey && m_claims.contains(newKey))
        return Outcome::Refused;
    m_claims.remove(oldKey);
    m_claims.insert(newKey);
    for (LocalRoom &room : m_rooms) {
        if (room.members.remove(oldKey) > 0)
            room.members.insert(newKey, renamed.to);
    }
    emit happened(Event{RoomStream::Kind::Event, renamed, 0, {}});
    return Outcome::Done;
}

void LocalRoomBackend::release(const QString &key, const Left &left)
{
    m_claims.remove(key);
    // The user leaves every room with the server (one `left` without room says it).
    const QStringList roomKeys = m_rooms.keys();
    for (const QString &roomKey : roomKeys)
        removeFromRoom(roomKey, key);
    emit happened(Event{RoomStream::Kind::Event, left, 0, {}});
}

RoomBackend::Posted LocalRoomBackend::post(const ChatMessage &message)
{
    const MessageLog::Appended stored = m_log->append(message);
    if (const auto *error = std::get_if<QString>(&stored)) {
        // The log said why (and logged it); the sender learns it was not sent, and may try again.
        qCWarning(lcRoom).noquote() << "message from" << message.from << "refused: the store failed:" << *error;
        return Outcome::NotStored;
    }
    const ChatMessage &posted = std::get<ChatMessage>(stored);
    emit happened(Event{RoomStream::Kind::Message, posted, 0, {}});
    return posted;
}

RoomBackend::Outcome LocalRoomBackend::share(const ServerFrame &frame)
{
    emit happened(Event{RoomStream::Kind::Event, frame, 0, {}});
    return Outcome::Done;
}

RoomBackend::Outcome LocalRoomBackend::sendTo(const QString &key, RoomStream::Kind kind, const ServerFrame &frame,
                                              Wire::ConnectionId from)
{
    if (!m_claims.contains(key))
        return Outcome::Refused;
    emit happened(Event{kind, frame, from, key});
    return Outcome::Done;
}

MessageLog::RoomRecord LocalRoomBackend::recordFor(const QString &roomKey, const QString &name)
{
    if (std::optional<MessageLog::RoomRecord> stored = m_log->room(roomKey))
        return *stored;
    MessageLog::RoomRecord record{name, {}, {}, {}};
    // Not kept is only a lost spelling and topic; the room works the same.
    if (const QString error = m_log->saveRoom(roomKey, record); !error.isEmpty())
        qCWarning(lcRoom).noquote() << "room" << name << "not stored:" << error;
    return record;
}

RoomBackend::Outcome LocalRoomBackend::joinRoom(const QString &roomKey, const QString &nickKey, const Joined &joined,
                                                Wire::ConnectionId connection, int maxRooms)
{
    auto room = m_rooms.find(roomKey);
    if (room == m_rooms.end()) {
        if (m_rooms.size() >= maxRooms)
            return Outcome::Refused;
        m_emptied.removeOne(roomKey);
        room = m_rooms.insert(roomKey, LocalRoom{recordFor(roomKey, joined.room), {}});
    }
    const QString nick = joined.nick;
    room->members.insert(nickKey, nick);
    emit happened(Event{RoomStream::Kind::Event, Joined{nick, joined.ts, room->record.name}, connection, {}});
    return Outcome::Done;
}

RoomBackend::Outcome LocalRoomBackend::partRoom(const QString &roomKey, const QString &nickKey, const Left &left)
{
    const auto room = m_rooms.constFind(roomKey);
    if (room == m_rooms.cend() || !room->members.contains(nickKey))
        return Outcome::Refused;
    Left parted = left;
    parted.room = room->record.name;
    removeFromRoom(roomKey, nickKey);
    emit happened(Event{RoomStream::Kind::Event, parted, 0, {}});
    return Outcome::Done;
}

void LocalRoomBackend::removeFromRoom(const QString &roomKey, const QString &nickKey)
{
    const auto room = m_rooms.find(roomKey);
    if (room == m_rooms.end() || room->members.remove(nickKey) == 0 || !room->members.isEmpty())
        return;
    m_rooms.erase(room);
    m_emptied.append(roomKey);
    if (m_emptied.size() > kMaxEmptiedRooms)
        m_log->forget(m_emptied.takeFirst());
}

RoomBackend::Outcome LocalRoomBackend::setTopic(const QString &roomKey, const TopicChanged &topic)
{
    const auto room = m_rooms.find(roomKey);
    MessageLog::RoomRecord record = room != m_rooms.end() ? room->record : recordFor(roomKey, topic.room);
    record.topic = topic.topic;
    record.topicBy = topic.by;
    record.topicTs = topic.ts;
    if (const QString error = m_log->saveRoom(roomKey, record); !error.isEmpty())
        return Outcome::NotStored;
    if (room != m_rooms.end())
        room->record = record;
    TopicChanged changed = topic;
    changed.room = record.name;
    emit happened(Event{RoomStream::Kind::Event, changed, 0, {}});
    return Outcome::Done;
}

std::optional<RoomBackend::RoomSnapshot> LocalRoomBackend::room(const QString &roomKey) const
{
    const auto room = m_rooms.constFind(roomKey);
    if (room == m_rooms.cend()) {
        const std::optional<MessageLog::RoomRecord> stored = m_log->room(roomKey);
        if (roomKey == lobby())
            return RoomSnapshot{stored.value_or(MessageLog::RoomRecord{lobby(), {}, {}, {}}), {}};
        return std::nullopt;
    }
    RoomSnapshot snapshot{room->record, {}};
    for (auto it = room->members.cbegin(); it != room->members.cend(); ++it)
        snapshot.members.append({it.key(), it.value()});
    return snapshot;
}

QList<RoomInfo> LocalRoomBackend::rooms() const
{
    QList<RoomInfo> list;
    list.reserve(m_rooms.size());
    for (const LocalRoom &room : m_rooms)
        list.append(RoomInfo{room.record.name, int(room.members.size()), room.record.topic});
    return list;
}
