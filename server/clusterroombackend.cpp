// SPDX-License-Identifier: MIT
#include "clusterroombackend.h"

#include "timestamp.h"

#include <QLoggingCategory>

using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcRoom)

ClusterRoomBackend::ClusterRoomBackend(const RedisAddress &address, int heartbeatMsecs, int history,
                                       std::unique_ptr<MessageLog> log, QObject *parent)
    : RoomBackend(parent)
    , m_log(std::move(log))
    , m_history(history)
    , m_cluster(address, heartbeatMsecs, [this] { return localUsers(); })
{
    connect(&m_cluster, &Cluster::entriesArrived, this, &ClusterRoomBackend::read);
    connect(&m_cluster, &Cluster::nicknamesLost, this, &RoomBackend::nicknamesLost);
}

ClusterRoomBackend::~ClusterRoomBackend() = default;

std::variant<RoomBackend::State, QString> ClusterRoomBackend::start()
{
    const int capacity = MemoryMessageLog::capacityFor(m_history);
    auto joined = m_cluster.join(capacity);
    if (const auto *error = std::get_if<QString>(&joined))
        return *error;
    const Cluster::Snapshot &snapshot = std::get<Cluster::Snapshot>(joined);
    m_recent = std::make_unique<MemoryMessageLog>(capacity);
    // The messages up to the snapshot; those after it come from the stream.
    for (const ChatMessage &message : snapshot.recent)
        m_recent->insert(message);
    m_recent->continueFrom(snapshot.newestMessageId + 1);
    m_cluster.follow(snapshot.lastEntryId);
    return State{snapshot.roster, snapshot.ops, snapshot.slowSeconds, snapshot.mutes};
}

void ClusterRoomBackend::stop()
{
    for (const auto &[key, nick] : localUsers())
        m_cluster.release(key, Left{nick, LeaveReason::Shutdown, Timestamp::now()});
    m_cluster.leaveCluster();
    m_stopped = true;
}

RoomBackend::Outcome ClusterRoomBackend::outcomeOf(Cluster::Claim claim)
{
    switch (claim) {
    case Cluster::Claim::Granted:
        return Outcome::Done;
    case Cluster::Claim::Taken:
        return Outcome::Refused;
    case Cluster::Claim::Unavailable:
        break;
    }
    return Outcome::Unavailable;
}

RoomBackend::Outcome ClusterRoomBackend::claim(const QString &key, const QString &nick, Wire::ConnectionId connection)
{
    // The claim is the decision; the `joined` entry follows the stream, so
    // the history in the welcome is what came before it and nothing after
    // it is missed.
    return outcomeOf(m_cluster.claimNick(key, nick, connection));
}

RoomBackend::Outcome ClusterRoomBackend::rename(const QString &oldKey, const QString &newKey, const Renamed &renamed)
{
    return outcomeOf(m_cluster.rename(oldKey, newKey, renamed));
}

void ClusterRoomBackend::release(const QString &key, const Left &left)
{
    if (m_stopped)
        return; // stop() already said so for everyone here
    // When Redis is away, the resync after the reconnect releases the
    // nickname (and says the user left).
    if (!m_cluster.release(key, left))
        qCInfo(lcRoom).noquote() << "the shared room will hear that" << left.nick << "left once Redis is back";
}

std::variant<ChatMessage, RoomBackend::Outcome> ClusterRoomBackend::post(const ChatMessage &message)
{
    if (!m_cluster.ensureReady())
        return Outcome::Unavailable;
    const MessageLog::Appended stored = m_log->append(message);
    if (std::holds_alternative<QString>(stored))
        return Outcome::Unavailable;
    return std::get<ChatMessage>(stored); // sent when it is read back
}

RoomBackend::Outcome ClusterRoomBackend::share(const ServerFrame &frame)
{
    return m_cluster.share(frame) ? Outcome::Done : Outcome::Unavailable;
}

RoomBackend::Outcome ClusterRoomBackend::sendTo(const QString &key, RoomStream::Kind kind, const ServerFrame &frame,
                                                Wire::ConnectionId from)
{
    // The target's server carries it out when it reads the entry.
    return outcomeOf(m_cluster.sendTo(key, kind, frame, from));
}

void ClusterRoomBackend::read(const QList<RoomStream::Entry> &entries)
{
    for (const RoomStream::Entry &entry : entries) {
        if (entry.kind == RoomStream::Kind::Message) {
            const auto &message = std::get<ChatMessage>(entry.frame);
            if (message.id < m_recent->nextId())
                continue; // already read (the start-up snapshot)
            m_recent->insert(message);
        }
        const bool fromHere = entry.instance == m_cluster.instanceId();
        emit happened(Event{entry.kind, entry.frame, fromHere ? entry.connection : 0, entry.target});
    }
}

RoomBackend::Outcome ClusterRoomBackend::joinRoom(const QString &, const QString &, const Joined &, Wire::ConnectionId,
                                                  int)
{
    return Outcome::Unavailable;
}

RoomBackend::Outcome ClusterRoomBackend::partRoom(const QString &, const QString &, const Left &)
{
    return Outcome::Unavailable;
}

RoomBackend::Outcome ClusterRoomBackend::setTopic(const QString &, const TopicChanged &)
{
    return Outcome::Unavailable;
}

std::optional<RoomBackend::RoomSnapshot> ClusterRoomBackend::room(const QString &roomKey) const
{
    if (roomKey == lobby())
        return RoomSnapshot{{lobby(), {}, {}, {}}, {}};
    return std::nullopt;
}
