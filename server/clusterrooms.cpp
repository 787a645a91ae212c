// SPDX-License-Identifier: MIT
#include "clusterrooms.h"

#include "streamreader.h"
#include "timestamp.h"
#include "validation.h"

#include <QLoggingCategory>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcCluster)

namespace {
// How often a repair that waits for the rooms' connection starts a connect
// again; one under way is followed by the connection itself.
constexpr int kRepairRetryMsecs = 1000;

QByteArray maxLength()
{
    return QByteArray::number(RoomStream::kMaxLength);
}

QString text(const RedisReply &reply)
{
    return QString::fromUtf8(reply.string);
}

// (nick key, nick, ...) as HGETALL answers.
QHash<QString, QString> membersOf(const RedisReply &reply)
{
    QHash<QString, QString> members;
    for (qsizetype i = 0; i + 1 < reply.elements.size(); i += 2)
        members.insert(text(reply.elements.at(i)), text(reply.elements.at(i + 1)));
    return members;
}
} // namespace

ClusterRooms::ClusterRooms(const RedisAddress &address, QByteArray instance, int recentMessages, QObject *parent,
                           const QByteArray &keyPrefix)
    : QObject(parent)
    , m_keys{keyPrefix}
    , m_instance(std::move(instance))
    , m_recentMessages(recentMessages)
    , m_redis(address)
    , m_indexScript({u"roomindex"_s})
    , m_joinScript({u"appendafternewest"_s, u"recentmessages"_s, u"roomjoin"_s})
    , m_partScript({u"appendafternewest"_s, u"roompart"_s})
    , m_topicScript({u"appendafternewest"_s, u"roomtopic"_s})
    , m_renameScript({u"roomrename"_s})
    , m_readScript({u"roomread"_s})
    , m_restoreScript({u"appendafternewest"_s, u"roomrestore"_s})
    , m_repairRetry(this)
{
    // On the room's thread: a connect is never waited for; once made, a
    // repair that waited for it goes at once.
    m_redis.followConnectsFromEventLoop([this] {
        if (m_repairRetry.isActive()) {
            m_repairRetry.stop();
            repair();
        }
    });
    m_repairRetry.setSingleShot(true);
    connect(&m_repairRetry, &QTimer::timeout, this, &ClusterRooms::repairOnceReachable);
}

ClusterRooms::~ClusterRooms() = default;

RedisConnection::Result ClusterRooms::run(const LuaScript &script, const QList<QByteArray> &keys,
                                          const QList<QByteArray> &arguments) const
{
    RedisConnection::Result result = script.call(m_redis, keys, arguments);
    if (const QString error = RedisConnection::errorOf(result); !error.isEmpty())
        qCWarning(lcCluster).noquote() << "Redis room script failed:" << error;
    return result;
}

QByteArray ClusterRooms::membership(const QString &roomKey, const QString &nickKey) const
{
    // Neither a room key nor a nick key has control characters.
    return roomKey.toUtf8() + '\n' + nickKey.toUtf8();
}

RoomBackend::Outcome ClusterRooms::count(const QString &roomKey, bool in, int maxRooms)
{
    return countedIn(
        run(m_indexScript, {m_keys.roomIndex()}, {roomKey.toUtf8(), in ? "+" : "-", QByteArray::number(maxRooms)}));
}

RoomBackend::Outcome ClusterRooms::countedIn(const RedisConnection::Result &result)
{
    if (!RedisConnection::errorOf(result).isEmpty())
        return Outcome::Unavailable;
    return std::get<RedisReply>(result).integer == 1 ? Outcome::Done : Outcome::Refused;
}

RoomBackend::Outcome ClusterRooms::join(const QString &roomKey, const QString &nickKey, const Joined &joined,
                                        Wire::ConnectionId connection, int maxRooms)
{
    return waitFor([&](const RoomBackend::OutcomeDone &done) {
        return startJoin(roomKey, nickKey, joined, connection, maxRooms, done);
    });
}

void ClusterRooms::follow(const QString &roomKey, const QList<RedisReply> &snapshot)
{
    Followed room;
    room.record = {text(snapshot.at(1)), text(snapshot.at(2)), text(snapshot.at(3)),
                   Timestamp::fromWire(text(snapshot.at(4)))};
    room.members = membersOf(snapshot.at(6));
    QList<ChatMessage> recent = RoomStream::messagesOf(snapshot.at(7).elements);
    for (ChatMessage &message : recent)
        message.room = room.record.name;
    // The snapshot is the room just before our `joined` entry: reading on
    // from there, nothing is missed and nothing read twice.
    room.reader = new StreamReader(m_redis.address(), m_keys.roomStream(roomKey), this);
    connect(room.reader, &StreamReader::entriesRead, this,
            [this, roomKey](const QList<StreamEntry> &entries) { read(roomKey, entries); });
    StreamReader *reader = room.reader;
    m_followed.insert(roomKey, room);
    emit followed(roomKey, recent);
    reader->start(snapshot.at(5).string);
}

void ClusterRooms::followAgain()
{
    if (m_followed.isEmpty() || !m_redis.connectIfDue())
        return;
    // "<ms>-<seq>", compared as numbers.
    const auto parts = [](const QByteArray &id) {
        const QList<QByteArray> split = id.split('-');
        return std::pair(split.value(0).toLongLong(), split.value(1).toLongLong());
    };
    // Every room's newest entry in one pipeline, looked at when it answers.
    const QStringList roomKeys = m_followed.keys();
    QList<QList<QByteArray>> commands;
    commands.reserve(roomKeys.size());
    for (const QString &roomKey : roomKeys)
        commands.append({"XREVRANGE", m_keys.roomStream(roomKey), "+", "-", "COUNT", "1"});
    m_redis.sendPipeline(commands, [this, roomKeys, parts](const QList<RedisConnection::Result> &results) {
        for (qsizetype i = 0; i < roomKeys.size(); ++i) {
            const auto room = m_followed.constFind(roomKeys.at(i));
            // Not followed any more, or not answered (Redis away).
            if (room == m_followed.cend() || !RedisConnection::errorOf(results.at(i)).isEmpty())
                continue;
            const QList<RedisReply> &items = std::get<RedisReply>(results.at(i)).elements;
            const QByteArray newestId =
                items.isEmpty() ? QByteArray("0-0") : items.constFirst().elements.value(0).string;
            if (parts(newestId) < parts(room->reader->lastId()))
                room->reader->restartFrom(newestId);
        }
    });
}

void ClusterRooms::unfollowIfUnused(const QString &roomKey)
{
    if (!m_local.value(roomKey).isEmpty())
        return;
    m_local.remove(roomKey);
    const auto room = m_followed.find(roomKey);
    if (room == m_followed.end())
        return;
    // Possibly inside the reader's own signal: deleted once it returns.
    room->reader->disconnect(this);
    room->reader->deleteLater();
    m_followed.erase(room);
    emit unfollowed(roomKey);
}

void ClusterRooms::read(const QString &roomKey, const QList<StreamEntry> &raw)
{
    for (const StreamEntry &item : raw) {
        const auto room = m_followed.find(roomKey);
        if (room == m_followed.end())
            return;
        auto decoded = RoomStream::decode(item);
        if (const auto *error = std::get_if<QString>(&decoded)) {
            qCWarning(lcCluster).noquote() << "skipping" << *error << "of" << roomKey;
            continue;
        }
        RoomStream::Entry &entry = std::get<RoomStream::Entry>(decoded);
        if (auto *message = std::get_if<ChatMessage>(&entry.frame)) {
            if (message->room != room->record.name)
                entry.json.clear(); // it names the room as its poster wrote it
            message->room = room->record.name;
        } else if (const auto *joined = std::get_if<Joined>(&entry.frame)) {
            room->members.insert(Validation::nickKey(joined->nick), joined->nick);
        } else if (const auto *left = std::get_if<Left>(&entry.frame)) {
            const QString nickKey = Validation::nickKey(left->nick);
            room->members.remove(nickKey);
            // Its part read back before the part's answer came (startPart()).
            if (m_parting.remove({roomKey, nickKey}))
                m_local[roomKey].remove(nickKey);
        } else if (const auto *topic = std::get_if<TopicChanged>(&entry.frame)) {
            room->record.topic = topic->topic;
            room->record.topicBy = topic->by;
            room->record.topicTs = topic->ts;
        }
        emit entryRead(entry);
    }
    // The last member here has gone and heard it: nothing more to follow.
    unfollowIfUnused(roomKey);
}

RoomBackend::Outcome ClusterRooms::part(const QString &roomKey, const QString &nickKey, const Left &left)
{
    return waitFor([&](const RoomBackend::OutcomeDone &done) { return startPart(roomKey, nickKey, left, done); });
}

bool ClusterRooms::removeSilently(const QString &roomKey, const QString &nickKey, const QByteArray &instance)
{
    const LuaScript::Invocation removal = silentRemoval(roomKey, nickKey, instance);
    const RedisConnection::Result result = run(m_partScript, removal.keys, removal.arguments);
    if (!RedisConnection::errorOf(result).isEmpty())
        return false;
    if (std::get<RedisReply>(result).integer == 1)
        count(roomKey, false);
    m_redis.command({"SREM", m_keys.membershipsOf(instance), membership(roomKey, nickKey)});
    return true;
}

void ClusterRooms::leaveAll(const QString &nickKey)
{
    m_connections.remove(nickKey);
    // Reached when startLeaveAll() could send nothing, Redis being away: not
    // connected again here, which would wait (repair() removes the
    // memberships after the reconnect); and at stop(), connected, waiting.
    const bool reachable = m_redis.isConnected();
    const QStringList roomKeys = m_local.keys();
    for (const QString &roomKey : roomKeys) {
        if (!m_local[roomKey].remove(nickKey))
            continue;
        if (reachable)
            removeSilently(roomKey, nickKey, m_instance);
        else if (!m_repairRetry.isActive())
            m_repairRetry.start(kRepairRetryMsecs);
        unfollowIfUnused(roomKey);
    }
}

bool ClusterRooms::isInAnyRoom(const QString &nickKey) const
{
    return std::any_of(m_local.cbegin(), m_local.cend(),
                       [&nickKey](const QSet<QString> &members) { return members.contains(nickKey); });
}

void ClusterRooms::rename(const QString &oldKey, const QString &newKey, const QString &nick)
{
    // Not connected: a connect starts, not waited for; the rooms here are
    // renamed in any case (Redis's memberships are put right after a resync).
    m_redis.connectIfDue();
    if (sendRename(renameHere(oldKey, newKey), oldKey, newKey, nick, [] {}))
        m_redis.finishPending();
}

void ClusterRooms::userLeft(const QString &nickKey)
{
    for (Followed &room : m_followed)
        room.members.remove(nickKey);
}

void ClusterRooms::userRenamed(const QString &oldKey, const QString &newKey, const QString &nick)
{
    for (Followed &room : m_followed) {
        if (room.members.remove(oldKey) > 0)
            room.members.insert(newKey, nick);
    }
}

LuaScript::Invocation ClusterRooms::silentRemoval(const QString &roomKey, const QString &nickKey,
                                                  const QByteArray &instance) const
{
    return {{m_keys.roomMembers(roomKey), m_keys.roomWhere(roomKey), m_keys.roomStream(roomKey)},
            {nickKey.toUtf8(), instance, maxLength()}};
}

void ClusterRooms::repair()
{
    // Redis away again: the resync after the reconnect calls this again.
    if (!m_redis.connectIfDue() || !ensureLoaded())
        return;
    m_redis.sendPipeline({{"SMEMBERS", m_keys.membershipsOf(m_instance)}},
                         [this](const QList<RedisConnection::Result> &results) {
                             const RedisConnection::Result &listed = results.constFirst();
                             if (!RedisConnection::errorOf(listed).isEmpty())
                                 return;
                             for (const RedisReply &entry : std::get<RedisReply>(listed).elements) {
                                 const QList<QByteArray> parts = entry.string.split('\n');
                                 if (parts.size() != 2)
                                     continue;
                                 const QString roomKey = QString::fromUtf8(parts.at(0));
                                 const QString nickKey = QString::fromUtf8(parts.at(1));
                                 // Looked at now, not when asked: a member who joined since stays.
                                 if (!m_local.value(roomKey).contains(nickKey))
                                     sendSilentRemoval(roomKey, nickKey);
                             }
                         });
}

void ClusterRooms::repairOnceReachable()
{
    // A connect is started when due, not waited for: one still under way
    // calls repair() once made (the connection's follower), else this looks
    // again.
    if (!m_redis.connectIfDue()) {
        m_repairRetry.start(kRepairRetryMsecs);
        return;
    }
    repair();
}

void ClusterRooms::sendSilentRemoval(const QString &roomKey, const QString &nickKey)
{
    const LuaScript::Invocation removal = silentRemoval(roomKey, nickKey, m_instance);
    startRun(m_partScript, removal.keys, removal.arguments,
             [this, roomKey, entry = membership(roomKey, nickKey)](const RedisConnection::Result &result) {
                 // Failed: still listed, so the next repair() does it.
                 if (!RedisConnection::errorOf(result).isEmpty())
                     return;
                 if (std::get<RedisReply>(result).integer == 1)
                     countOutAside(roomKey);
                 sendAside({"SREM", m_keys.membershipsOf(m_instance), entry});
             });
}

RoomBackend::Outcome ClusterRooms::setTopic(const QString &roomKey, const TopicChanged &topic)
{
    return waitFor([&](const RoomBackend::OutcomeDone &done) { return startSetTopic(roomKey, topic, done); });
}

std::optional<RoomBackend::RoomSnapshot> ClusterRooms::room(const QString &roomKey) const
{
    if (std::optional<RoomBackend::RoomSnapshot> mirrored = mirrorOf(roomKey))
        return mirrored;
    const LuaScript::Invocation read = readInvocation(roomKey);
    return snapshotFrom(roomKey, run(m_readScript, read.keys, read.arguments));
}

std::optional<RoomBackend::RoomSnapshot> ClusterRooms::mirrorOf(const QString &roomKey) const
{
    const auto room = m_followed.constFind(roomKey);
    if (room == m_followed.cend())
        return std::nullopt;
    RoomBackend::RoomSnapshot snapshot{room->record, {}};
    for (auto it = room->members.cbegin(); it != room->members.cend(); ++it)
        snapshot.members.append({it.key(), it.value()});
    return snapshot;
}

LuaScript::Invocation ClusterRooms::readInvocation(const QString &roomKey) const
{
    const bool isLobby = roomKey == lobby();
    return {{isLobby ? m_keys.lobbyRecord() : m_keys.roomRecord(roomKey),
             isLobby ? m_keys.lobbyRecord() : m_keys.roomMembers(roomKey)},
            {}};
}

std::optional<RoomBackend::RoomSnapshot> ClusterRooms::snapshotFrom(const QString &roomKey,
                                                                    const RedisConnection::Result &result)
{
    const bool isLobby = roomKey == lobby();
    if (!RedisConnection::errorOf(result).isEmpty() || std::get<RedisReply>(result).elements.size() < 5)
        return isLobby ? std::optional(RoomBackend::RoomSnapshot{{lobby(), {}, {}, {}}, {}}) : std::nullopt;
    const QList<RedisReply> &parts = std::get<RedisReply>(result).elements;
    RoomBackend::RoomSnapshot snapshot{
        {text(parts.at(0)), text(parts.at(1)), text(parts.at(2)), Timestamp::fromWire(text(parts.at(3)))}, {}};
    if (isLobby) {
        snapshot.record.name = lobby();
        return snapshot;
    }
    const QHash<QString, QString> members = membersOf(parts.at(4));
    if (members.isEmpty())
        return std::nullopt;
    for (auto it = members.cbegin(); it != members.cend(); ++it)
        snapshot.members.append({it.key(), it.value()});
    return snapshot;
}

QList<RoomInfo> ClusterRooms::rooms() const
{
    QList<RoomInfo> list;
    startAndWait([&] { return startListRooms([&list](const QList<RoomInfo> &listed) { list = listed; }); });
    return list;
}

RoomBackend::RoomCount ClusterRooms::countRooms(const QStringList &roomKeys) const
{
    RoomBackend::RoomCount count;
    startAndWait(
        [&] { return startCountRooms(roomKeys, [&count](RoomBackend::RoomCount counted) { count = counted; }); });
    return count;
}
