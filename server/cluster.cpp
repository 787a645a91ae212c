// SPDX-License-Identifier: MIT
#include "cluster.h"

#include "timestamp.h"
#include "validation.h"

#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSysInfo>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_LOGGING_CATEGORY(lcCluster, "qtchat.server.cluster")

namespace {
// Every script appends its entry after the newest message: "<seq>-*" lets
// Redis number the events that follow message <seq> (7.0 and newer), so
// message ids stay plain integers and every event has one place in the order.
#define QTCHAT_XADD_AFTER_NEWEST(seqKey, streamKey, maxLen)                                                            \
    "local function add(...) return redis.call('XADD', " streamKey ", 'MAXLEN', '~', " maxLen                          \
    ", (redis.call('GET', " seqKey ") or '0') .. '-*', ...) end\n"

// KEYS: claims, roster, users of this instance, seq, stream.
// ARGV: key, nick, instance, max length, entry fields...
constexpr char kClaimScript[] = QTCHAT_XADD_AFTER_NEWEST("KEYS[4]", "KEYS[5]", "ARGV[4]") R"lua(
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[3]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
add(unpack(ARGV, 5))
return 1
)lua";

// KEYS: claims, roster, users of this instance, ops, seq, stream, mutes.
// ARGV: old key, new key, new nick, instance, max length, entry fields...
// A mute follows the new name, never shortening one that name already had
// (as Moderation::renamed does in every instance).
constexpr char kRenameScript[] = QTCHAT_XADD_AFTER_NEWEST("KEYS[5]", "KEYS[6]", "ARGV[5]") R"lua(
if ARGV[1] ~= ARGV[2] then
  if redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[4]) == 0 then return 0 end
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('SREM', KEYS[3], ARGV[1])
  redis.call('SADD', KEYS[3], ARGV[2])
  if redis.call('SREM', KEYS[4], ARGV[1]) == 1 then redis.call('SADD', KEYS[4], ARGV[2]) end
  local muteEnd = redis.call('HGET', KEYS[7], ARGV[1])
  if muteEnd then
    redis.call('HDEL', KEYS[7], ARGV[1])
    local had = redis.call('HGET', KEYS[7], ARGV[2])
    if not had or tonumber(had) < tonumber(muteEnd) then redis.call('HSET', KEYS[7], ARGV[2], muteEnd) end
  end
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
add(unpack(ARGV, 6))
return 1
)lua";

// KEYS: claims, roster, users of this instance, ops, seq, stream.
// ARGV: key, instance, max length, entry fields...
// Only the holder's instance releases a claim (another may hold it by now).
constexpr char kReleaseScript[] = QTCHAT_XADD_AFTER_NEWEST("KEYS[5]", "KEYS[6]", "ARGV[3]") R"lua(
redis.call('SREM', KEYS[3], ARGV[1])
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
add(unpack(ARGV, 4))
return 1
)lua";

// KEYS: claims, ops, slow, seq, stream, mutes.
// ARGV: target key (must be claimed when not empty), new op key or '',
// slow seconds or '', max length, muted or unmuted key or '', mute end
// (ms since the epoch; '' to unmute), now (ms since the epoch), entry fields...
// Mutes that ran out are dropped whenever one is given, so the hash holds
// only the mutes still running (and the ones ended since the last).
constexpr char kEventScript[] = QTCHAT_XADD_AFTER_NEWEST("KEYS[4]", "KEYS[5]", "ARGV[4]") R"lua(
if ARGV[1] ~= '' and redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
if ARGV[2] ~= '' then redis.call('SADD', KEYS[2], ARGV[2]) end
if ARGV[3] ~= '' then redis.call('SET', KEYS[3], ARGV[3]) end
if ARGV[5] ~= '' then
  if ARGV[6] == '' then
    redis.call('HDEL', KEYS[6], ARGV[5])
  else
    local mutes = redis.call('HGETALL', KEYS[6])
    for i = 1, #mutes, 2 do
      if tonumber(mutes[i + 1]) <= tonumber(ARGV[7]) then redis.call('HDEL', KEYS[6], mutes[i]) end
    end
    redis.call('HSET', KEYS[6], ARGV[5], ARGV[6])
  end
end
add(unpack(ARGV, 8))
return 1
)lua";

// KEYS: instances, claims, roster, ops, seq, stream.
// ARGV: this instance, key prefix, timestamp, max length.
// Instances whose heartbeat key expired lose their users, each with a
// `left` entry; the script is atomic, so only one instance does it.
constexpr char kReapScript[] = QTCHAT_XADD_AFTER_NEWEST("KEYS[5]", "KEYS[6]", "ARGV[4]") R"lua(
local reaped = 0
for _, inst in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if inst ~= ARGV[1] and redis.call('EXISTS', ARGV[2] .. 'alive:' .. inst) == 0 then
    local users = ARGV[2] .. 'users:' .. inst
    for _, key in ipairs(redis.call('SMEMBERS', users)) do
      if redis.call('HGET', KEYS[2], key) == inst then
        local nick = redis.call('HGET', KEYS[3], key) or key
        redis.call('HDEL', KEYS[2], key)
        redis.call('HDEL', KEYS[3], key)
        redis.call('SREM', KEYS[4], key)
        add('k', 'e', 'f', cjson.encode({type = 'left', nick = nick, reason = 'disconnected', ts = ARGV[3]}),
            'i', inst, 'c', '0', 't', '')
        reaped = reaped + 1
      end
    end
    redis.call('DEL', users)
    redis.call('SREM', KEYS[1], inst)
  end
end
return reaped
)lua";

// KEYS: claims, roster, users of this instance, ops, seq, stream.
// ARGV: instance, max length, timestamp, then (key, nick, joined entry
// frame) for each user served here. Releases this instance's claims that
// have no user here any more, claims again those that were lost (reaped
// while Redis was out of reach) and returns the keys another instance took.
constexpr char kResyncScript[] = QTCHAT_XADD_AFTER_NEWEST("KEYS[5]", "KEYS[6]", "ARGV[2]") R"lua(
local here = {}
for i = 4, #ARGV, 3 do here[ARGV[i]] = i end
for _, key in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if not here[key] then
    redis.call('SREM', KEYS[3], key)
    if redis.call('HGET', KEYS[1], key) == ARGV[1] then
      local nick = redis.call('HGET', KEYS[2], key) or key
      redis.call('HDEL', KEYS[1], key)
      redis.call('HDEL', KEYS[2], key)
      redis.call('SREM', KEYS[4], key)
      add('k', 'e', 'f', cjson.encode({type = 'left', nick = nick, reason = 'disconnected', ts = ARGV[3]}),
          'i', ARGV[1], 'c', '0', 't', '')
    end
  end
end
local lost = {}
for key, i in pairs(here) do
  local holder = redis.call('HGET', KEYS[1], key)
  if not holder then
    redis.call('HSET', KEYS[1], key, ARGV[1])
    redis.call('HSET', KEYS[2], key, ARGV[i + 1])
    redis.call('SADD', KEYS[3], key)
    add('k', 'e', 'f', ARGV[i + 2], 'i', ARGV[1], 'c', '0', 't', '')
  elseif holder ~= ARGV[1] then
    table.insert(lost, key)
  else
    redis.call('SADD', KEYS[3], key)
  end
end
return lost
)lua";

// KEYS: roster, ops, slow, stream, seq, mutes. ARGV: how many recent messages.
// One atomic read: the room as it is after the last entry, and the entries
// from the oldest of those messages on (their events included).
constexpr char kSnapshotScript[] = R"lua(
local newest = redis.call('XREVRANGE', KEYS[4], '+', '-', 'COUNT', 1)
local last = '0-0'
if #newest > 0 then last = newest[1][1] end
local seq = tonumber(redis.call('GET', KEYS[5]) or '0')
local recent = {}
local first = seq - tonumber(ARGV[1]) + 1
if first < 1 then first = 1 end
if tonumber(ARGV[1]) > 0 and seq > 0 then recent = redis.call('XRANGE', KEYS[4], first .. '-0', last) end
return {redis.call('HGETALL', KEYS[1]), redis.call('SMEMBERS', KEYS[2]), redis.call('GET', KEYS[3]) or '0', last,
        tostring(seq), recent, redis.call('HGETALL', KEYS[6])}
)lua";

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
    , m_heartbeatMsecs(heartbeatMsecs)
{
    connect(&m_reader, &StreamReader::entriesRead, this, &Cluster::readEntries);
    m_heartbeat.setInterval(m_heartbeatMsecs);
    connect(&m_heartbeat, &QTimer::timeout, this, &Cluster::heartbeat);
}

Cluster::~Cluster() = default;

RedisConnection::Result Cluster::run(const char *script, const QList<QByteArray> &keys,
                                     const QList<QByteArray> &arguments)
{
    QList<QByteArray> command{"EVAL", script, QByteArray::number(keys.size())};
    command += keys;
    command += arguments;
    RedisConnection::Result result = m_redis.command(command);
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
    return result;
}

std::variant<Cluster::Snapshot, QString> Cluster::join(int recentMessages)
{
    if (!m_redis.connectNow())
        return m_redis.lastError();
    m_syncedConnection = m_redis.connectionCount();
    heartbeat();
    const RedisConnection::Result result =
        run(kSnapshotScript,
            {m_keys.roster(), m_keys.ops(), m_keys.slow(), m_keys.stream(), m_keys.sequence(), m_keys.mutes()},
            {QByteArray::number(recentMessages)});
    if (const QString error = RedisConnection::errorOf(result); !error.isEmpty())
        return u"cannot read the shared room from %1: %2"_s.arg(m_redis.address().toString(), error);
    const QList<RedisReply> &parts = std::get<RedisReply>(result).elements;
    if (parts.size() < 7)
        return u"unexpected answer from %1 when reading the room"_s.arg(m_redis.address().toString());
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
    m_heartbeat.start();
    qCInfo(lcCluster).noquote() << "instance" << m_instance << "joined the room on" << m_redis.address().toString()
                                << "with" << snapshot.roster.size() << "users elsewhere, newest message"
                                << snapshot.newestMessageId;
    return snapshot;
}

void Cluster::follow(const QByteArray &afterId)
{
    m_reader.start(afterId);
}

void Cluster::leaveCluster()
{
    m_heartbeat.stop();
    if (!m_redis.isConnected())
        return;
    m_redis.command({"DEL", m_keys.aliveKey(m_instance)});
    m_redis.command({"SREM", m_keys.instances(), m_instance});
}

bool Cluster::ensureReady()
{
    if (!m_redis.isConnected()) {
        // One attempt (at most every retry delay): RedisConnection decides.
        m_redis.command({"PING"});
        if (!m_redis.isConnected())
            return false;
    }
    if (m_redis.connectionCount() == m_syncedConnection)
        return true;
    return resync();
}

bool Cluster::resync()
{
    QList<QByteArray> arguments{m_instance, maxLength(), Timestamp::toWire(Timestamp::now()).toUtf8()};
    const QList<std::pair<QString, QString>> users = m_localUsers();
    for (const auto &[key, nick] : users)
        arguments += {key.toUtf8(), nick.toUtf8(), RoomStream::frameJson(Joined{nick, Timestamp::now()})};
    const RedisConnection::Result result = run(kResyncScript,
                                               {m_keys.claims(), m_keys.roster(), m_keys.usersOf(m_instance),
                                                m_keys.ops(), m_keys.sequence(), m_keys.stream()},
                                               arguments);
    if (!RedisConnection::errorOf(result).isEmpty())
        return false;
    m_syncedConnection = m_redis.connectionCount();
    beat(); // the heartbeat may have expired while away: say we are here at once
    QStringList lost;
    for (const RedisReply &key : std::get<RedisReply>(result).elements)
        lost.append(QString::fromUtf8(key.string));
    qCInfo(lcCluster).noquote() << "back in the shared room with" << users.size() << "users here;" << lost.size()
                                << "lost their nickname";
    if (!lost.isEmpty())
        emit nicknamesLost(lost);
    return true;
}

void Cluster::beat()
{
    // The key outlives three missed beats, so a busy moment is not a death.
    m_redis.command({"SET", m_keys.aliveKey(m_instance), "1", "PX", QByteArray::number(3 * m_heartbeatMsecs)});
    m_redis.command({"SADD", m_keys.instances(), m_instance});
}

void Cluster::heartbeat()
{
    if (!ensureReady())
        return;
    beat();
    const RedisConnection::Result reaped =
        run(kReapScript,
            {m_keys.instances(), m_keys.claims(), m_keys.roster(), m_keys.ops(), m_keys.sequence(), m_keys.stream()},
            {m_instance, m_keys.prefix, Timestamp::toWire(Timestamp::now()).toUtf8(), maxLength()});
    if (RedisConnection::errorOf(reaped).isEmpty() && std::get<RedisReply>(reaped).integer > 0)
        qCInfo(lcCluster) << "removed" << std::get<RedisReply>(reaped).integer
                          << "users of instances that stopped answering";
}

Cluster::Claim Cluster::claimNick(const QString &key, const QString &nick, Wire::ConnectionId connection)
{
    if (!ensureReady())
        return Claim::Unavailable;
    QList<QByteArray> arguments{key.toUtf8(), nick.toUtf8(), m_instance, maxLength()};
    arguments += RoomStream::fields(RoomStream::Kind::Event, Joined{nick, Timestamp::now()}, m_instance, connection);
    const RedisConnection::Result result = run(
        kClaimScript,
        {m_keys.claims(), m_keys.roster(), m_keys.usersOf(m_instance), m_keys.sequence(), m_keys.stream()}, arguments);
    if (!RedisConnection::errorOf(result).isEmpty())
        return Claim::Unavailable;
    return std::get<RedisReply>(result).integer == 1 ? Claim::Granted : Claim::Taken;
}

Cluster::Claim Cluster::rename(const QString &oldKey, const QString &newKey, const Renamed &renamed)
{
    if (!ensureReady())
        return Claim::Unavailable;
    QList<QByteArray> arguments{oldKey.toUtf8(), newKey.toUtf8(), renamed.to.toUtf8(), m_instance, maxLength()};
    arguments += RoomStream::fields(RoomStream::Kind::Event, renamed, m_instance);
    const RedisConnection::Result result = run(kRenameScript,
                                               {m_keys.claims(), m_keys.roster(), m_keys.usersOf(m_instance),
                                                m_keys.ops(), m_keys.sequence(), m_keys.stream(), m_keys.mutes()},
                                               arguments);
    if (!RedisConnection::errorOf(result).isEmpty())
        return Claim::Unavailable;
    return std::get<RedisReply>(result).integer == 1 ? Claim::Granted : Claim::Taken;
}

bool Cluster::release(const QString &key, const Left &left)
{
    if (!ensureReady())
        return false;
    QList<QByteArray> arguments{key.toUtf8(), m_instance, maxLength()};
    arguments += RoomStream::fields(RoomStream::Kind::Event, left, m_instance);
    const RedisConnection::Result result = run(kReleaseScript,
                                               {m_keys.claims(), m_keys.roster(), m_keys.usersOf(m_instance),
                                                m_keys.ops(), m_keys.sequence(), m_keys.stream()},
                                               arguments);
    return RedisConnection::errorOf(result).isEmpty();
}

bool Cluster::share(const ServerFrame &frame)
{
    if (!ensureReady())
        return false;
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
    return sendEvent({QByteArray(), newOp, slow, maxLength(), muteKey, muteEnd},
                     RoomStream::fields(RoomStream::Kind::Event, frame, m_instance)) != Claim::Unavailable;
}

Cluster::Claim Cluster::sendTo(const QString &key, RoomStream::Kind kind, const ServerFrame &frame,
                               Wire::ConnectionId from)
{
    if (!ensureReady())
        return Claim::Unavailable;
    return sendEvent({key.toUtf8(), QByteArray(), QByteArray(), maxLength(), QByteArray(), QByteArray()},
                     RoomStream::fields(kind, frame, m_instance, from, key));
}

Cluster::Claim Cluster::sendEvent(QList<QByteArray> arguments, const QList<QByteArray> &fields)
{
    arguments.append(QByteArray::number(Timestamp::now().toMSecsSinceEpoch()));
    arguments += fields;
    const RedisConnection::Result result = run(
        kEventScript,
        {m_keys.claims(), m_keys.ops(), m_keys.slow(), m_keys.sequence(), m_keys.stream(), m_keys.mutes()}, arguments);
    if (!RedisConnection::errorOf(result).isEmpty())
        return Claim::Unavailable;
    return std::get<RedisReply>(result).integer == 1 ? Claim::Granted : Claim::Taken;
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
