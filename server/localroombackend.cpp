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

RoomBackend::Outcome LocalRoomBackend::claim(const QString &key, const QString &nick, Wire::ConnectionId connection)
{
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
    emit happened(Event{RoomStream::Kind::Event, renamed, 0, {}});
    return Outcome::Done;
}

void LocalRoomBackend::release(const QString &key, const Left &left)
{
    m_claims.remove(key);
    emit happened(Event{RoomStream::Kind::Event, left, 0, {}});
}

std::variant<ChatMessage, RoomBackend::Outcome> LocalRoomBackend::post(const ChatMessage &message)
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
