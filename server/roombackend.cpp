// SPDX-License-Identifier: MIT
#include "roombackend.h"

#include "clusterroombackend.h"
#include "localroombackend.h"

std::unique_ptr<RoomBackend> RoomBackend::create(const ServerConfig &config, std::unique_ptr<MessageLog> log)
{
    if (!config.redis)
        return std::make_unique<LocalRoomBackend>(std::move(log));
    return std::make_unique<ClusterRoomBackend>(*config.redis, config.clusterHeartbeatMsecs, config.history,
                                                std::move(log));
}

RoomBackend::RoomBackend(QObject *parent) : QObject(parent)
{}

RoomBackend::~RoomBackend() = default;

QList<std::pair<QString, QString>> RoomBackend::localUsers() const
{
    if (!m_localUsers)
        return {};
    return m_localUsers();
}

RoomBackend::Outcome RoomBackend::takeOver(const QString &, const QString &, const QByteArray &, const QByteArray &,
                                           const Protocol::Left &, Wire::ConnectionId)
{
    // One server has no other server to take a nickname from.
    return Outcome::Refused;
}

bool RoomBackend::startTakeOver(const QString &, const QString &, const QByteArray &, const QByteArray &,
                                const Protocol::Left &, Wire::ConnectionId, const OutcomeDone &)
{
    return false;
}

QList<RoomBackend::Posted> RoomBackend::postAll(const QList<MessageLog::Post> &posts)
{
    QList<Posted> posted;
    posted.reserve(posts.size());
    for (const MessageLog::Post &one : posts)
        posted.append(post(one.message));
    return posted;
}

bool RoomBackend::startPostAll(const QList<MessageLog::Post> &, const PostsDone &)
{
    return false;
}

bool RoomBackend::startClaim(const QString &, const QString &, Wire::ConnectionId, const QByteArray &,
                             const OutcomeDone &)
{
    return false;
}

bool RoomBackend::startRename(const QString &, const QString &, const Protocol::Renamed &, const OutcomeDone &)
{
    return false;
}

bool RoomBackend::startSendTo(const QString &, RoomStream::Kind, const Protocol::ServerFrame &, Wire::ConnectionId,
                              const OutcomeDone &)
{
    return false;
}

bool RoomBackend::startShare(const Protocol::ServerFrame &, const OutcomeDone &)
{
    return false;
}

bool RoomBackend::startJoinRoom(const QString &, const QString &, const Protocol::Joined &, Wire::ConnectionId, int,
                                const OutcomeDone &)
{
    return false;
}

bool RoomBackend::startPartRoom(const QString &, const QString &, const Protocol::Left &, const OutcomeDone &)
{
    return false;
}

bool RoomBackend::startSetTopic(const QString &, const Protocol::TopicChanged &, const OutcomeDone &)
{
    return false;
}

RoomBackend::RoomCount RoomBackend::countRooms(const QStringList &roomKeys) const
{
    RoomCount count{int(rooms().size()), 0};
    for (const QString &key : roomKeys) {
        if (!room(key))
            ++count.empty;
    }
    return count;
}

bool RoomBackend::startCountRooms(const QStringList &, const CountDone &)
{
    return false;
}

bool RoomBackend::startListRooms(const RoomsDone &)
{
    return false;
}

bool RoomBackend::startRelease(const QString &, const Protocol::Left &, const OutcomeDone &)
{
    return false;
}
