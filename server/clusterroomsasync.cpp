// SPDX-License-Identifier: MIT
// ClusterRooms's joins, parts and topics sent without waiting (issue #16:
// no thread that serves clients waits on Redis). A join is two round
// trips, the second sent from the first's reply on the event loop: the
// membership listed for the reaper and the room counted in (it decides
// --max-rooms), then the join script. They cannot be one pipeline: the
// count may refuse, and the join script's `joined` entry cannot be taken
// back.
#include "clusterrooms.h"

#include "timestamp.h"

#include <QLoggingCategory>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcCluster)

bool ClusterRooms::startRun(const LuaScript &script, const QList<QByteArray> &keys, const QList<QByteArray> &arguments,
                            ResultDone done)
{
    if (!ensureLoaded())
        return false;
    return script.startCallAll(m_redis, {{keys, arguments}},
                               [done = std::move(done)](const QList<RedisConnection::Result> &results) {
                                   const RedisConnection::Result &result = results.constFirst();
                                   if (const QString error = RedisConnection::errorOf(result); !error.isEmpty())
                                       qCWarning(lcCluster).noquote() << "Redis room script failed:" << error;
                                   done(result);
                               });
}

bool ClusterRooms::ensureLoaded() const
{
    // A connect is started when due and not waited for (it is followed
    // from the event loop); on loopback it is usually made at once.
    if (!m_redis.connectIfDue())
        return false;
    if (m_loadedOn != m_redis.connectionCount()) {
        // Once per connection (a restarted Redis may have lost them), not
        // waited for: the call below is answered after the loads. One that
        // failed is loaded again by the call that finds it missing.
        const bool sent = LuaScript::startLoad(m_redis,
                                               {&m_indexScript, &m_joinScript, &m_partScript, &m_topicScript,
                                                &m_readScript, &m_renameScript, &m_restoreScript},
                                               [](const QString &error) {
                                                   if (!error.isEmpty())
                                                       qCWarning(lcCluster).noquote()
                                                           << "cannot load a room function into Redis:" << error;
                                               });
        if (!sent)
            return false;
        m_loadedOn = m_redis.connectionCount();
    }
    return true;
}

bool ClusterRooms::startListRooms(const RoomBackend::RoomsDone &done) const
{
    if (!ensureLoaded())
        return false;
    // Two round trips, the second sent from the first's reply: the index
    // says which rooms, then every room is read in one pipeline (their own
    // keys say how many members: the truth, where the index only counts).
    return m_redis.sendPipeline(
        {{"HKEYS", m_keys.roomIndex()}}, [this, done](const QList<RedisConnection::Result> &indexed) {
            if (!RedisConnection::errorOf(indexed.constFirst()).isEmpty()) {
                done({});
                return;
            }
            QStringList keys;
            QList<LuaScript::Invocation> reads;
            for (const RedisReply &key : std::get<RedisReply>(indexed.constFirst()).elements) {
                keys.append(QString::fromUtf8(key.string));
                reads.append(readInvocation(keys.constLast()));
            }
            const auto listed = [this, keys, done](const QList<RedisConnection::Result> &read) {
                QList<RoomInfo> list;
                for (qsizetype i = 0; i < keys.size(); ++i) {
                    // A room followed here as the Room sees it: its mirror.
                    std::optional<RoomBackend::RoomSnapshot> room = mirrorOf(keys.at(i));
                    if (!room && i < read.size())
                        room = snapshotFrom(keys.at(i), read.at(i));
                    if (room)
                        list.append(RoomInfo{room->record.name.isEmpty() ? keys.at(i) : room->record.name,
                                             int(room->members.size()), room->record.topic});
                }
                done(list);
            };
            if (reads.isEmpty() || !m_readScript.startCallAll(m_redis, reads, listed))
                listed({});
        });
}

bool ClusterRooms::startCountRooms(const QStringList &roomKeys, const RoomBackend::CountDone &done) const
{
    QList<QList<QByteArray>> commands{{"HLEN", m_keys.roomIndex()}};
    for (const QString &key : roomKeys)
        commands.append({"HEXISTS", m_keys.roomIndex(), key.toUtf8()});
    return m_redis.sendPipeline(commands, [this, roomKeys, done](const QList<RedisConnection::Result> &results) {
        // Unreadable: counted as allowed; each join's count in the index
        // script still holds the limit.
        RoomBackend::RoomCount count;
        for (qsizetype i = 0; i < results.size(); ++i) {
            if (!RedisConnection::errorOf(results.at(i)).isEmpty()) {
                done({});
                return;
            }
            const qint64 value = std::get<RedisReply>(results.at(i)).integer;
            if (i == 0)
                count.held = int(value);
            else if (value == 0 && !m_followed.contains(roomKeys.at(i - 1)))
                ++count.empty;
        }
        done(count);
    });
}

void ClusterRooms::sendAside(const QList<QByteArray> &command)
{
    // Not connected: repair() takes stale memberships out after the reconnect.
    m_redis.sendPipeline({command}, [](const QList<RedisConnection::Result> &results) {
        if (const QString error = RedisConnection::errorOf(results.constFirst()); !error.isEmpty())
            qCWarning(lcCluster).noquote() << "Redis room clean-up failed:" << error;
    });
}

void ClusterRooms::countOutAside(const QString &roomKey)
{
    startRun(m_indexScript, {m_keys.roomIndex()}, {roomKey.toUtf8(), "-", "0"}, [](const RedisConnection::Result &) {});
}

RoomBackend::Outcome ClusterRooms::waitFor(const std::function<bool(const RoomBackend::OutcomeDone &)> &start)
{
    std::optional<Outcome> answer;
    const RoomBackend::OutcomeDone done = [&answer](Outcome outcome) { answer = outcome; };
    if (!startAndWait([&] { return start(done); }))
        return Outcome::Unavailable;
    return answer.value_or(Outcome::Unavailable);
}

bool ClusterRooms::startAndWait(const std::function<bool()> &start) const
{
    // Not connected: start() began a connect, which is not waited for.
    if (!start())
        return false;
    // A step's reply sends the next step, which this waits for as well.
    m_redis.finishPending();
    return true;
}

void ClusterRooms::finishPending()
{
    // A step's reply sends the next step, which this waits for as well
    // (RedisConnection reads until nothing sent is unanswered).
    m_redis.finishPending();
}

bool ClusterRooms::startJoin(const QString &roomKey, const QString &nickKey, const Joined &joined,
                             Wire::ConnectionId connection, int maxRooms, const RoomBackend::OutcomeDone &done)
{
    if (!ensureLoaded())
        return false;
    // Listed before it exists, so a crash right after leaves nothing the
    // reaper does not know of; in the count's round trip, as Redis runs
    // them in order. A count that refuses takes the listing out again.
    auto listed = std::make_shared<bool>(false);
    const bool sent = m_redis.sendPipeline({{"SADD", m_keys.membershipsOf(m_instance), membership(roomKey, nickKey)}},
                                           [listed](const QList<RedisConnection::Result> &results) {
                                               *listed = RedisConnection::errorOf(results.constFirst()).isEmpty();
                                           });
    if (!sent)
        return false;
    // Counted in before the join: two instances making the last rooms
    // allowed at once cannot both pass (the index script is atomic); a
    // member counted in whose join then fails is counted out again.
    const bool counting =
        startRun(m_indexScript, {m_keys.roomIndex()}, {roomKey.toUtf8(), "+", QByteArray::number(maxRooms)},
                 [=, this](const RedisConnection::Result &result) {
                     if (const Outcome counted = countedIn(result); counted != Outcome::Done) {
                         sendAside({"SREM", m_keys.membershipsOf(m_instance), membership(roomKey, nickKey)});
                         done(counted);
                         return;
                     }
                     if (!*listed) {
                         countOutAside(roomKey);
                         done(Outcome::Unavailable);
                         return;
                     }
                     sendJoin(roomKey, nickKey, joined, connection, done);
                 });
    // The connection broke since the listing went (it cannot within one
    // turn): its reply fails, and the caller's synchronous join lists again.
    return counting;
}

void ClusterRooms::sendJoin(const QString &roomKey, const QString &nickKey, const Joined &joined,
                            Wire::ConnectionId connection, const RoomBackend::OutcomeDone &done)
{
    const bool snapshot = !m_followed.contains(roomKey);
    const QList<QByteArray> keys{m_keys.roomRecord(roomKey), m_keys.roomMembers(roomKey), m_keys.roomWhere(roomKey),
                                 m_keys.roomStream(roomKey)};
    const QList<QByteArray> arguments{nickKey.toUtf8(),
                                      joined.nick.toUtf8(),
                                      m_instance,
                                      joined.room.toUtf8(),
                                      QByteArray::number(RoomStream::kMaxLength),
                                      snapshot ? QByteArray::number(m_recentMessages) : QByteArray(),
                                      Timestamp::toWire(joined.ts).toUtf8(),
                                      QByteArray::number(connection)};
    const bool sent = startRun(m_joinScript, keys, arguments, [=, this](const RedisConnection::Result &result) {
        done(joinAnswered(roomKey, nickKey, connection, snapshot, result));
    });
    if (!sent) // the connection broke since the reply
        done(Outcome::Unavailable);
}

RoomBackend::Outcome ClusterRooms::joinAnswered(const QString &roomKey, const QString &nickKey,
                                                Wire::ConnectionId connection, bool snapshot,
                                                const RedisConnection::Result &result)
{
    if (!RedisConnection::errorOf(result).isEmpty() || std::get<RedisReply>(result).elements.size() < 8) {
        countOutAside(roomKey);
        sendAside({"SREM", m_keys.membershipsOf(m_instance), membership(roomKey, nickKey)});
        return Outcome::Unavailable;
    }
    const QList<RedisReply> &parts = std::get<RedisReply>(result).elements;
    if (parts.at(0).integer == 0)
        countOutAside(roomKey); // a member already (a leftover): counted once is enough
    m_local[roomKey].insert(nickKey);
    m_connections.insert(nickKey, connection);
    if (snapshot)
        follow(roomKey, parts);
    return Outcome::Done;
}

bool ClusterRooms::startPart(const QString &roomKey, const QString &nickKey, const Left &left,
                             const RoomBackend::OutcomeDone &done)
{
    Left parted = left;
    if (const auto room = m_followed.constFind(roomKey); room != m_followed.cend())
        parted.room = room->record.name;
    QList<QByteArray> arguments{nickKey.toUtf8(), m_instance, QByteArray::number(RoomStream::kMaxLength)};
    arguments += RoomStream::fields(RoomStream::Kind::Event, parted, m_instance);
    const bool sent = startRun(
        m_partScript, {m_keys.roomMembers(roomKey), m_keys.roomWhere(roomKey), m_keys.roomStream(roomKey)}, arguments,
        [=, this](const RedisConnection::Result &result) { done(partAnswered(roomKey, nickKey, result)); });
    if (sent)
        m_parting.insert({roomKey, nickKey});
    return sent;
}

RoomBackend::Outcome ClusterRooms::partAnswered(const QString &roomKey, const QString &nickKey,
                                                const RedisConnection::Result &result)
{
    m_parting.remove({roomKey, nickKey});
    if (!RedisConnection::errorOf(result).isEmpty())
        return Outcome::Unavailable;
    // Already out when its `left` was read back first (read()).
    if (const auto local = m_local.find(roomKey); local != m_local.end())
        local->remove(nickKey);
    sendAside({"SREM", m_keys.membershipsOf(m_instance), membership(roomKey, nickKey)});
    if (std::get<RedisReply>(result).integer == 1) {
        countOutAside(roomKey);
        // Followed until its `left` is read back (read() then lets it go).
        return Outcome::Done;
    }
    unfollowIfUnused(roomKey); // no entry comes
    return Outcome::Refused;
}

bool ClusterRooms::startSetTopic(const QString &roomKey, const TopicChanged &topic,
                                 const RoomBackend::OutcomeDone &done)
{
    const bool isLobby = roomKey == lobby();
    TopicChanged changed = topic;
    if (isLobby)
        changed.room = lobby();
    else if (const auto room = m_followed.constFind(roomKey); room != m_followed.cend())
        changed.room = room->record.name;
    QList<QByteArray> arguments{changed.room.toUtf8(), changed.topic.toUtf8(), changed.by.toUtf8(),
                                Timestamp::toWire(changed.ts).toUtf8(), QByteArray::number(RoomStream::kMaxLength)};
    arguments += RoomStream::fields(RoomStream::Kind::Event, changed, m_instance);
    return startRun(m_topicScript,
                    {isLobby ? m_keys.lobbyRecord() : m_keys.roomRecord(roomKey),
                     isLobby ? m_keys.stream() : m_keys.roomStream(roomKey)},
                    arguments, [done](const RedisConnection::Result &result) {
                        done(RedisConnection::errorOf(result).isEmpty() ? Outcome::Done : Outcome::Unavailable);
                    });
}

bool ClusterRooms::startLeaveAll(const QString &nickKey, std::function<void()> done)
{
    if (!isInAnyRoom(nickKey) || !m_redis.isConnected())
        return false;
    m_connections.remove(nickKey);
    // Answered when the last removal is: a counter the completions share.
    auto unanswered = std::make_shared<int>(0);
    auto finished = std::make_shared<std::function<void()>>(std::move(done));
    const QStringList roomKeys = m_local.keys();
    for (const QString &roomKey : roomKeys) {
        if (!m_local[roomKey].remove(nickKey))
            continue;
        // As removeSilently(): the member goes without an entry (its `left`
        // for the whole server follows); not sent: repair() removes it after
        // the reconnect.
        const LuaScript::Invocation removal = silentRemoval(roomKey, nickKey, m_instance);
        const bool sent =
            startRun(m_partScript, removal.keys, removal.arguments,
                     [this, roomKey, nickKey, unanswered, finished](const RedisConnection::Result &result) {
                         if (RedisConnection::errorOf(result).isEmpty() && std::get<RedisReply>(result).integer == 1)
                             countOutAside(roomKey);
                         sendAside({"SREM", m_keys.membershipsOf(m_instance), membership(roomKey, nickKey)});
                         if (--*unanswered == 0)
                             (*finished)();
                     });
        if (sent)
            ++*unanswered;
        unfollowIfUnused(roomKey);
    }
    // Nothing went out (the connection broke meanwhile): said as a removal
    // that is not waited for; repair() does it after the reconnect.
    return *unanswered > 0;
}

bool ClusterRooms::startRename(const QString &oldKey, const QString &newKey, const QString &nick,
                               std::function<void()> done)
{
    if (!ensureLoaded())
        return false;
    return sendRename(renameHere(oldKey, newKey), oldKey, newKey, nick, std::move(done));
}

QStringList ClusterRooms::renameHere(const QString &oldKey, const QString &newKey)
{
    if (const auto connection = m_connections.constFind(oldKey); connection != m_connections.cend()) {
        const Wire::ConnectionId id = *connection;
        m_connections.erase(connection);
        m_connections.insert(newKey, id);
    }
    QStringList roomKeys;
    for (auto room = m_local.begin(); room != m_local.end(); ++room) {
        if (!room->remove(oldKey))
            continue;
        room->insert(newKey);
        roomKeys.append(room.key());
    }
    return roomKeys;
}

bool ClusterRooms::sendRename(const QStringList &roomKeys, const QString &oldKey, const QString &newKey,
                              const QString &nick, std::function<void()> done)
{
    // Every room in one pipeline; its memberships for the reaper behind it.
    QList<LuaScript::Invocation> renames;
    QList<QList<QByteArray>> memberships;
    for (const QString &roomKey : std::as_const(roomKeys)) {
        renames.append({{m_keys.roomMembers(roomKey), m_keys.roomWhere(roomKey)},
                        {oldKey.toUtf8(), newKey.toUtf8(), nick.toUtf8(), m_instance}});
        memberships.append({"SREM", m_keys.membershipsOf(m_instance), membership(roomKey, oldKey)});
        memberships.append({"SADD", m_keys.membershipsOf(m_instance), membership(roomKey, newKey)});
    }
    if (renames.isEmpty()) {
        done();
        return true;
    }
    const auto logFailures = [](const QList<RedisConnection::Result> &results) {
        for (const RedisConnection::Result &result : results) {
            if (const QString error = RedisConnection::errorOf(result); !error.isEmpty())
                qCWarning(lcCluster).noquote() << "Redis room rename failed:" << error;
        }
    };
    const bool sent = m_renameScript.startCallAll(
        m_redis, renames, [logFailures, done = std::move(done)](const QList<RedisConnection::Result> &results) {
            logFailures(results);
            done();
        });
    if (sent)
        m_redis.sendPipeline(memberships, logFailures);
    return sent;
}

bool ClusterRooms::hasPending() const
{
    return m_redis.hasPending();
}

bool ClusterRooms::startReap(const QList<QByteArray> &instances, const std::function<void(bool done)> &then)
{
    // Not connected (no room was used here yet, or Redis was away): the
    // connect starts, and the heartbeat's next beat finds them again.
    if (!m_redis.connectWithoutWaiting() || !ensureLoaded())
        return false;
    QList<QList<QByteArray>> listings;
    for (const QByteArray &instance : instances)
        listings.append({"SMEMBERS", m_keys.membershipsOf(instance)});
    // Two round trips, the second sent from the first's reply: their
    // memberships, then every removal in one pipeline. Their sets go with
    // the reaping (reap.lua).
    return m_redis.sendPipeline(listings, [this, instances, then](const QList<RedisConnection::Result> &listed) {
        QList<QString> roomKeys;
        QList<LuaScript::Invocation> removals;
        for (qsizetype i = 0; i < listed.size(); ++i) {
            if (!RedisConnection::errorOf(listed.at(i)).isEmpty()) {
                then(false);
                return;
            }
            for (const RedisReply &entry : std::get<RedisReply>(listed.at(i)).elements) {
                const QList<QByteArray> parts = entry.string.split('\n');
                if (parts.size() != 2)
                    continue;
                roomKeys.append(QString::fromUtf8(parts.at(0)));
                removals.append(silentRemoval(roomKeys.constLast(), QString::fromUtf8(parts.at(1)), instances.at(i)));
            }
        }
        if (removals.isEmpty()) {
            then(true);
            return;
        }
        const auto removed = [this, roomKeys, then](const QList<RedisConnection::Result> &results) {
            bool done = true;
            for (qsizetype i = 0; i < results.size(); ++i) {
                if (!RedisConnection::errorOf(results.at(i)).isEmpty())
                    done = false;
                else if (std::get<RedisReply>(results.at(i)).integer == 1)
                    countOutAside(roomKeys.at(i));
            }
            then(done);
        };
        if (!m_partScript.startCallAll(m_redis, removals, removed))
            then(false);
    });
}
