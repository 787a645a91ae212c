// SPDX-License-Identifier: MIT
#include "cluster.h"

#include "handoff.h"
#include "timestamp.h"
#include "validation.h"

#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSysInfo>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_LOGGING_CATEGORY(lcCluster, "qtchat.server.cluster")

namespace {
QByteArray newInstanceId()
{
    // Readable in logs, unique enough across restarts and hosts.
    return QSysInfo::machineHostName().toUtf8().left(32) + '-' +
           QByteArray::number(QRandomGenerator::system()->generate64() & 0xffffffffffffULL, 16);
}

QByteArray maxLength()
{
    return QByteArray::number(RoomStream::kMaxLength);
}
} // namespace

Cluster::Cluster(const RedisAddress &address, int heartbeatMsecs, LocalUsers localUsers, QObject *parent,
                 const QByteArray &keyPrefix)
    : QObject(parent)
    , m_keys{keyPrefix}
    , m_instance(newInstanceId())
    , m_localUsers(std::move(localUsers))
    , m_redis(address)
    , m_reader(address, m_keys.stream())
    , m_beat(new ClusterHeartbeat(address, m_keys, m_instance, heartbeatMsecs))
    , m_heartbeatMsecs(heartbeatMsecs)
    , m_claimScript({u"appendafternewest"_s, u"claim"_s})
    , m_renameScript({u"appendafternewest"_s, u"rename"_s})
    , m_releaseScript({u"appendafternewest"_s, u"release"_s})
    , m_eventScript({u"appendafternewest"_s, u"event"_s})
    , m_presenceScript({u"appendafternewest"_s, u"presence"_s})
    , m_reapScript({u"appendafternewest"_s, u"reap"_s})
    , m_resyncScript({u"appendafternewest"_s, u"resync"_s})
    , m_resumeScript({u"appendafternewest"_s, u"resume"_s})
    , m_snapshotScript({u"recentmessages"_s, u"snapshot"_s})
    , m_epochScript({u"epoch"_s})
{
    // On the room's thread: a connect is never waited for, and once made the
    // set-up starts at once instead of at the next write.
    m_redis.followConnectsFromEventLoop([this] { ensureReady(); });
    connect(&m_reader, &StreamReader::entriesRead, this, &Cluster::readEntries);
    m_heartbeatThread.setObjectName(QStringLiteral("cluster-heartbeat"));
    m_beat->moveToThread(&m_heartbeatThread);
    connect(&m_heartbeatThread, &QThread::finished, m_beat, &QObject::deleteLater);
    connect(m_beat, &ClusterHeartbeat::silentFound, this, &Cluster::reap);
    connect(m_beat, &ClusterHeartbeat::relisted, this, [this] {
        // As after a new connection: resync() claims the users again, and
        // reports those another instance took meanwhile. With a claim in
        // flight, the next write (or the ready check) does it once it is answered.
        m_syncedConnection = 0;
        m_setUpResync.reset(); // one in flight now was sent before the reaping
        if (m_epochCheck)
            m_epochCheck->relistedMeanwhile = true; // its repair's resync may be, too
        if (m_answersInFlight == 0)
            ensureReady();
    });
    m_heartbeatThread.start();
    m_readyCheck.setInterval(m_heartbeatMsecs);
    // Also finds a rollback when nobody posts (a post finds it at once).
    connect(&m_readyCheck, &QTimer::timeout, this, [this] {
        // A claim in flight: it says soon enough whether Redis answers.
        if (m_answersInFlight == 0 && ensureReady())
            startCheckEpoch();
    });
}

Cluster::~Cluster()
{
    stopHeartbeat();
}

void Cluster::stopHeartbeat()
{
    m_readyCheck.stop();
    if (!m_beat)
        return;
    // The heartbeat is destroyed in its own thread once quit() reaches it;
    // this thread called into it until here (ClusterHeartbeat's destructor).
    Handoff::send(m_beat);
    m_heartbeatThread.quit();
    m_heartbeatThread.wait();
    // Gone with its thread; a silentFound still queued here is dropped (reap()).
    m_beat = nullptr;
}

RedisConnection::Result Cluster::run(const LuaScript &script, const QList<QByteArray> &keys,
                                     const QList<QByteArray> &arguments)
{
    RedisConnection::Result result = script.call(m_redis, keys, arguments);
    noteResult(result);
    return result;
}

void Cluster::noteResult(const RedisConnection::Result &result)
{
    if (const QString error = RedisConnection::errorOf(result); !error.isEmpty())
        qCWarning(lcCluster).noquote() << "Redis script failed:" << error;
    const bool available = m_redis.isConnected();
    if (available != m_wasAvailable) {
        m_wasAvailable = available;
        if (available)
            qCInfo(lcCluster).noquote() << "the shared room is reachable again";
        else
            qCWarning(lcCluster).noquote() << "the shared room cannot be reached; posts are refused until it can";
    }
}

std::variant<Cluster::Snapshot, QString> Cluster::join(int recentMessages)
{
    if (!m_redis.connectNow())
        return m_redis.lastError();
    m_syncedConnection = m_redis.connectionCount();
    if (!loadScriptsSentWithoutWaiting())
        return u"cannot load the server's functions into %1: %2"_s.arg(m_redis.serverName(), m_redis.lastError());
    // Counted and listed before the snapshot (here, not by the heartbeat's
    // first beat in its thread), so that others can tell when this instance
    // stops even if it stops at once.
    m_redis.command({"HINCRBY", m_keys.beats(), m_instance, "1"});
    m_redis.command({"SADD", m_keys.instances(), m_instance});
    QMetaObject::invokeMethod(m_beat, &ClusterHeartbeat::start, Qt::QueuedConnection);
    m_recentMessages = recentMessages;
    // Before the snapshot: the epoch is made with the sequence if Redis has none.
    if (checkEpoch() == EpochCheck::Failed)
        return u"cannot read the message sequence from %1: %2"_s.arg(m_redis.serverName(), m_redis.lastError());
    auto read = readSnapshot();
    if (std::holds_alternative<QString>(read))
        return read;
    const Snapshot &snapshot = std::get<Snapshot>(read);
    m_readyCheck.start();
    qCInfo(lcCluster).noquote() << "instance" << m_instance << "joined the room on" << m_redis.serverName() << "with"
                                << snapshot.roster.size() << "users elsewhere, newest message"
                                << snapshot.newestMessageId;
    return snapshot;
}

std::variant<Cluster::Snapshot, QString> Cluster::readSnapshot()
{
    const LuaScript::Invocation invocation = snapshotInvocation();
    return snapshotFrom(run(m_snapshotScript, invocation.keys, invocation.arguments));
}

LuaScript::Invocation Cluster::snapshotInvocation() const
{
    return {{m_keys.roster(), m_keys.ops(), m_keys.slow(), m_keys.stream(), m_keys.sequence(), m_keys.mutes(),
             m_keys.away()},
            {QByteArray::number(m_recentMessages)}};
}

std::variant<Cluster::Snapshot, QString> Cluster::snapshotFrom(const RedisConnection::Result &result) const
{
    if (const QString error = RedisConnection::errorOf(result); !error.isEmpty())
        return u"cannot read the shared room from %1: %2"_s.arg(m_redis.serverName(), error);
    const QList<RedisReply> &parts = std::get<RedisReply>(result).elements;
    if (parts.size() < 8)
        return u"unexpected answer from %1 when reading the room"_s.arg(m_redis.serverName());
    Snapshot snapshot;
    const QList<RedisReply> &roster = parts.at(0).elements;
    for (qsizetype i = 0; i + 1 < roster.size(); i += 2)
        snapshot.roster.append({QString::fromUtf8(roster.at(i).string), QString::fromUtf8(roster.at(i + 1).string)});
    for (const RedisReply &op : parts.at(1).elements)
        snapshot.ops.append(QString::fromUtf8(op.string));
    snapshot.slowSeconds = parts.at(2).string.toLongLong();
    snapshot.lastEntryId = parts.at(3).string;
    snapshot.newestMessageId = parts.at(4).string.toLongLong();
    snapshot.recent = RoomStream::messagesOf(parts.at(5).elements);
    const QList<RedisReply> &mutes = parts.at(6).elements;
    for (qsizetype i = 0; i + 1 < mutes.size(); i += 2) {
        const QDateTime until = QDateTime::fromMSecsSinceEpoch(mutes.at(i + 1).string.toLongLong(), Qt::UTC);
        snapshot.mutes.append({QString::fromUtf8(mutes.at(i).string), until});
    }
    const QList<RedisReply> &away = parts.at(7).elements;
    for (qsizetype i = 0; i + 1 < away.size(); i += 2)
        snapshot.away.append({QString::fromUtf8(away.at(i).string), QString::fromUtf8(away.at(i + 1).string)});
    return snapshot;
}

void Cluster::follow(const QByteArray &afterId)
{
    m_reader.start(afterId);
}

void Cluster::leaveCluster()
{
    stopHeartbeat();
    if (!m_redis.isConnected())
        return;
    m_redis.command({"SREM", m_keys.instances(), m_instance});
    m_redis.command({"HDEL", m_keys.beats(), m_instance});
}

bool Cluster::loadScriptsSentWithoutWaiting()
{
    // A script sent without waiting that Redis does not know is loaded and
    // sent again inside its completion, after what was sent behind it: a
    // release would then run after the next claim of the same nickname.
    // Loaded on every new connection (a restarted Redis may have lost them),
    // they are known before anything is sent on it: one pipeline, not
    // waited for, as Redis answers in order (the epoch check after it reads
    // its replies first). One that failed is loaded again by the call that
    // finds it missing, and an epoch check that fails says not ready.
    return LuaScript::startLoad(m_redis,
                                {&m_claimScript, &m_renameScript, &m_eventScript, &m_presenceScript, &m_releaseScript,
                                 &m_resumeScript, &m_epochScript, &m_reapScript, &m_resyncScript},
                                [](const QString &error) {
                                    if (!error.isEmpty())
                                        qCWarning(lcCluster).noquote() << "cannot load a function into Redis:" << error;
                                });
}

LuaScript::Invocation Cluster::resyncInvocation(const QList<std::pair<QString, QString>> &users) const
{
    QList<QByteArray> arguments{m_instance, maxLength(), Timestamp::toWire(Timestamp::now()).toUtf8()};
    for (const auto &[key, nick] : users)
        arguments += {key.toUtf8(), nick.toUtf8(), RoomStream::frameJson(Joined{nick, Timestamp::now()})};
    return {{m_keys.claims(), m_keys.roster(), m_keys.usersOf(m_instance), m_keys.ops(), m_keys.sequence(),
             m_keys.stream(), m_keys.away(), m_keys.resume()},
            arguments};
}

bool Cluster::resync(Resync why)
{
    const QList<std::pair<QString, QString>> users = m_localUsers();
    const LuaScript::Invocation invocation = resyncInvocation(users);
    ++m_resyncsSent;
    const RedisConnection::Result result = run(m_resyncScript, invocation.keys, invocation.arguments);
    if (!RedisConnection::errorOf(result).isEmpty())
        return false;
    adoptResync(why, users.size(), std::get<RedisReply>(result));
    return true;
}

void Cluster::adoptResync(Resync why, qsizetype users, const RedisReply &reply)
{
    m_syncedConnection = m_redis.connectionCount();
    QStringList lost;
    for (const RedisReply &key : reply.elements)
        lost.append(QString::fromUtf8(key.string));
    qCInfo(lcCluster).noquote() << "back in the shared room with" << users << "users here;" << lost.size()
                                << "lost their nickname";
    if (!lost.isEmpty())
        emit nicknamesLost(lost);
    emit resynced(why);
}

Cluster::Claim Cluster::claimFrom(const RedisConnection::Result &result)
{
    if (!RedisConnection::errorOf(result).isEmpty())
        return Claim::Unavailable;
    return std::get<RedisReply>(result).integer == 1 ? Claim::Granted : Claim::Taken;
}

LuaScript::Invocation Cluster::claimInvocation(const QString &key, const QString &nick, Wire::ConnectionId connection,
                                               const QByteArray &resumeHash) const
{
    QList<QByteArray> arguments{key.toUtf8(), nick.toUtf8(), m_instance, maxLength(), resumeHash};
    arguments += RoomStream::fields(RoomStream::Kind::Event, Joined{nick, Timestamp::now()}, m_instance, connection);
    return {{m_keys.claims(), m_keys.roster(), m_keys.usersOf(m_instance), m_keys.sequence(), m_keys.stream(),
             m_keys.resume()},
            arguments};
}

Cluster::Claim Cluster::claimNick(const QString &key, const QString &nick, Wire::ConnectionId connection,
                                  const QByteArray &resumeHash)
{
    if (!ensureReady())
        return Claim::Unavailable;
    const LuaScript::Invocation claim = claimInvocation(key, nick, connection, resumeHash);
    return claimFrom(run(m_claimScript, claim.keys, claim.arguments));
}

LuaScript::Invocation Cluster::takeOverInvocation(const QString &key, const QString &nick,
                                                  const QByteArray &presentedHash, const QByteArray &newHash,
                                                  const Left &left, Wire::ConnectionId connection) const
{
    // The kick names the resuming connection: its own instance must not
    // close it (it holds the nickname there by the time the entry is read).
    const QList<QByteArray> kick = RoomStream::fields(RoomStream::Kind::Kick, ServerBye{kResumedByeReason.toString()},
                                                      m_instance, connection, key);
    const QList<QByteArray> gone = RoomStream::fields(RoomStream::Kind::Event, left, m_instance);
    QList<QByteArray> arguments{key.toUtf8(),
                                nick.toUtf8(),
                                m_instance,
                                maxLength(),
                                presentedHash,
                                newHash,
                                m_keys.prefix,
                                QByteArray::number(kick.size()),
                                QByteArray::number(gone.size())};
    arguments += kick;
    arguments += gone;
    arguments += RoomStream::fields(RoomStream::Kind::Event, Joined{nick, Timestamp::now()}, m_instance, connection);
    return {{m_keys.claims(), m_keys.roster(), m_keys.usersOf(m_instance), m_keys.ops(), m_keys.sequence(),
             m_keys.stream(), m_keys.away(), m_keys.resume()},
            arguments};
}

Cluster::Claim Cluster::takeOver(const QString &key, const QString &nick, const QByteArray &presentedHash,
                                 const QByteArray &newHash, const Left &left, Wire::ConnectionId connection)
{
    if (!ensureReady())
        return Claim::Unavailable;
    const LuaScript::Invocation takeOver = takeOverInvocation(key, nick, presentedHash, newHash, left, connection);
    return claimFrom(run(m_resumeScript, takeOver.keys, takeOver.arguments));
}

Cluster::Claim Cluster::rename(const QString &oldKey, const QString &newKey, const Renamed &renamed)
{
    if (!ensureReady())
        return Claim::Unavailable;
    const LuaScript::Invocation rename = renameInvocation(oldKey, newKey, renamed);
    return claimFrom(run(m_renameScript, rename.keys, rename.arguments));
}

LuaScript::Invocation Cluster::renameInvocation(const QString &oldKey, const QString &newKey,
                                                const Renamed &renamed) const
{
    QList<QByteArray> arguments{oldKey.toUtf8(), newKey.toUtf8(), renamed.to.toUtf8(), m_instance, maxLength()};
    arguments += RoomStream::fields(RoomStream::Kind::Event, renamed, m_instance);
    return {{m_keys.claims(), m_keys.roster(), m_keys.usersOf(m_instance), m_keys.ops(), m_keys.sequence(),
             m_keys.stream(), m_keys.mutes(), m_keys.away(), m_keys.resume()},
            arguments};
}

LuaScript::Invocation Cluster::releaseInvocation(const QString &key, const Left &left) const
{
    QList<QByteArray> arguments{key.toUtf8(), m_instance, maxLength()};
    arguments += RoomStream::fields(RoomStream::Kind::Event, left, m_instance);
    return {{m_keys.claims(), m_keys.roster(), m_keys.usersOf(m_instance), m_keys.ops(), m_keys.sequence(),
             m_keys.stream(), m_keys.away(), m_keys.resume()},
            arguments};
}

bool Cluster::release(const QString &key, const Left &left)
{
    if (!ensureReady())
        return false;
    const LuaScript::Invocation release = releaseInvocation(key, left);
    return RedisConnection::errorOf(run(m_releaseScript, release.keys, release.arguments)).isEmpty();
}

bool Cluster::share(const ServerFrame &frame)
{
    if (!ensureReady())
        return false;
    const auto [script, invocation] = shareInvocation(frame);
    return sharedFrom(script == &m_presenceScript, run(*script, invocation.keys, invocation.arguments));
}

std::pair<const LuaScript *, LuaScript::Invocation> Cluster::shareInvocation(const ServerFrame &frame) const
{
    if (std::holds_alternative<Away>(frame) || std::holds_alternative<Back>(frame))
        return {&m_presenceScript, presenceInvocation(frame)};
    QByteArray newOp;
    QByteArray slow;
    QByteArray muteKey;
    QByteArray muteEnd;
    if (const auto *opped = std::get_if<Opped>(&frame))
        newOp = Validation::nickKey(opped->nick).toUtf8();
    if (const auto *slowMode = std::get_if<SlowMode>(&frame))
        slow = QByteArray::number(slowMode->seconds);
    if (const auto *muted = std::get_if<Muted>(&frame)) {
        muteKey = Validation::nickKey(muted->nick).toUtf8();
        muteEnd = QByteArray::number(muted->until.toMSecsSinceEpoch());
    }
    if (const auto *unmuted = std::get_if<Unmuted>(&frame))
        muteKey = Validation::nickKey(unmuted->nick).toUtf8();
    return {&m_eventScript, eventInvocation({QByteArray(), newOp, slow, maxLength(), muteKey, muteEnd},
                                            RoomStream::fields(RoomStream::Kind::Event, frame, m_instance))};
}

bool Cluster::sharedFrom(bool presence, const RedisConnection::Result &result)
{
    // The presence script answers 0 when the nickname is no longer claimed
    // (its user is leaving): nothing to say, and nothing went wrong.
    if (presence)
        return RedisConnection::errorOf(result).isEmpty();
    return claimFrom(result) != Claim::Unavailable;
}

Cluster::Claim Cluster::sendTo(const QString &key, RoomStream::Kind kind, const ServerFrame &frame,
                               Wire::ConnectionId from)
{
    if (!ensureReady())
        return Claim::Unavailable;
    const LuaScript::Invocation event = sendToInvocation(key, kind, frame, from);
    return claimFrom(run(m_eventScript, event.keys, event.arguments));
}

LuaScript::Invocation Cluster::sendToInvocation(const QString &key, RoomStream::Kind kind, const ServerFrame &frame,
                                                Wire::ConnectionId from) const
{
    return eventInvocation({key.toUtf8(), QByteArray(), QByteArray(), maxLength(), QByteArray(), QByteArray()},
                           RoomStream::fields(kind, frame, m_instance, from, key));
}

LuaScript::Invocation Cluster::eventInvocation(QList<QByteArray> arguments, const QList<QByteArray> &fields) const
{
    arguments.append(QByteArray::number(Timestamp::now().toMSecsSinceEpoch()));
    arguments += fields;
    return {{m_keys.claims(), m_keys.ops(), m_keys.slow(), m_keys.sequence(), m_keys.stream(), m_keys.mutes()},
            arguments};
}

LuaScript::Invocation Cluster::presenceInvocation(const ServerFrame &frame) const
{
    const auto *away = std::get_if<Away>(&frame);
    const QString nick = away ? away->nick : std::get<Back>(frame).nick;
    QList<QByteArray> arguments{Validation::nickKey(nick).toUtf8(), away ? "1" : "0",
                                away ? away->message.toUtf8() : QByteArray(), maxLength()};
    arguments += RoomStream::fields(RoomStream::Kind::Event, frame, m_instance);
    return {{m_keys.claims(), m_keys.away(), m_keys.sequence(), m_keys.stream()}, arguments};
}

void Cluster::readEntries(const QList<StreamEntry> &raw)
{
    QList<RoomStream::Entry> entries;
    entries.reserve(raw.size());
    for (const StreamEntry &entry : raw) {
        auto decoded = RoomStream::decode(entry);
        if (const auto *error = std::get_if<QString>(&decoded)) {
            qCWarning(lcCluster).noquote() << "skipping" << *error;
            continue;
        }
        entries.append(std::move(std::get<RoomStream::Entry>(decoded)));
    }
    if (!entries.isEmpty())
        emit entriesArrived(entries);
}
