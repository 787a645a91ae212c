// SPDX-License-Identifier: MIT
#include "redismessagelog.h"

#include "timestamp.h"
#include "validation.h"

#include <QLoggingCategory>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;
using Protocol::ChatMessage;

Q_LOGGING_CATEGORY(lcRedisLog, "qtchat.server.redislog")

namespace {
// Redis 7.0 added the "<ms>-*" stream ids the room's events use.
constexpr int kMinRedisMajor = 7;

// A CONFIG GET value; empty when Redis does not say (CONFIG may be renamed
// away on a managed Redis, and then we cannot check).
QByteArray configValue(RedisConnection &redis, const QByteArray &name)
{
    const RedisConnection::Result result = redis.command({"CONFIG", "GET", name});
    if (!RedisConnection::errorOf(result).isEmpty())
        return {};
    const QList<RedisReply> &pair = std::get<RedisReply>(result).elements;
    return pair.size() == 2 ? pair.at(1).string : QByteArray();
}

// An echoed message is one Redis has answered for; only an append-only file
// written and fsynced before that answer keeps it through a Redis crash
// (everysec may hold writes back while a slow fsync runs; docs/architecture.md,
// "Durability"). Said once at start, so whoever runs Redis hears of it.
void warnUnlessDurable(RedisConnection &redis, const RedisAddress &address)
{
    const QByteArray appendOnly = configValue(redis, "appendonly");
    const QByteArray fsync = configValue(redis, "appendfsync");
    if (appendOnly.isEmpty() || fsync.isEmpty() || (appendOnly == "yes" && fsync == "always"))
        return;
    qCWarning(lcRedisLog).noquote()
        << u"%1 runs with appendonly %2, appendfsync %3: a crash of Redis can lose messages the room has "
           u"already delivered; run it with --appendonly yes --appendfsync always (docs/architecture.md, "
           u"\"Durability\")"_s.arg(address.toString(), QString::fromUtf8(appendOnly), QString::fromUtf8(fsync));
}
} // namespace

RedisMessageLog::RedisMessageLog(const RedisAddress &address, const QByteArray &keyPrefix)
    : m_keys{keyPrefix}
    , m_redis(address)
    , m_postScript({u"post"_s})
    , m_nextIdScript({u"nextid"_s})
    , m_roomAppendScript({u"roomappend"_s})
{
    // The posts' connection, on the room's thread: a connect is never waited
    // for; a batch that finds it under way is refused like one without Redis.
    m_redis.followConnectsFromEventLoop([] {});
}

MessageLog::Opened RedisMessageLog::open(const RedisAddress &address, const QByteArray &keyPrefix)
{
    std::unique_ptr<RedisMessageLog> log(new RedisMessageLog(address, keyPrefix));
    if (!log->m_redis.connectNow())
        return log->m_redis.lastError();
    const RedisConnection::Result info = log->m_redis.command({"INFO", "server"});
    if (const QString error = RedisConnection::errorOf(info); !error.isEmpty())
        return u"%1: %2"_s.arg(address.toString(), error);
    const QByteArray text = std::get<RedisReply>(info).string;
    const qsizetype at = text.indexOf("redis_version:");
    const int major = at < 0 ? 0 : text.mid(at + 14, 2).split('.').value(0).toInt();
    if (major < kMinRedisMajor)
        return u"%1 runs Redis %2; qtchat needs 7.0 or newer"_s.arg(
            address.toString(), QString::fromLatin1(text.mid(at + 14, 8).trimmed()));
    warnUnlessDurable(log->m_redis, address);
    return std::unique_ptr<MessageLog>(std::move(log));
}

bool RedisMessageLog::isLobbys(const ChatMessage &message)
{
    return message.room.isEmpty() || Validation::roomKey(message.room) == Protocol::lobby();
}

QList<QByteArray> RedisMessageLog::cidArguments(const ChatMessage &message)
{
    return {QByteArray::number(kCidSeconds), Timestamp::toWire(message.ts).toUtf8()};
}

QByteArray RedisMessageLog::cidKey(const Post &post) const
{
    const QString roomKey = isLobbys(post.message) ? QString() : Validation::roomKey(post.message.room);
    return m_keys.cid(roomKey, Validation::nickKey(post.message.from), post.cid);
}

LuaScript::Invocation RedisMessageLog::postOf(const Post &post) const
{
    const ChatMessage &message = post.message;
    QList<QByteArray> keys{m_keys.sequence(), m_keys.stream(), m_keys.epoch()};
    if (!post.cid.isEmpty())
        keys.append(cidKey(post));
    QList<QByteArray> arguments{QByteArray::number(RoomStream::kMaxLength), m_epoch};
    arguments += cidArguments(message);
    arguments += RoomStream::fields(RoomStream::Kind::Message,
                                    ChatMessage{0, message.from, message.text, message.ts, message.action});
    return {keys, arguments};
}

MessageLog::Appended RedisMessageLog::storedFrom(const ChatMessage &message, const RedisConnection::Result &result)
{
    if (const QString error = RedisConnection::errorOf(result); !error.isEmpty()) {
        qCWarning(lcRedisLog).noquote() << "cannot append a message:" << error;
        return error;
    }
    const RedisReply &reply = std::get<RedisReply>(result);
    ChatMessage stored = message;
    // {id, ts}: its author posted this cid before (post.lua, roomappend.lua).
    if (reply.elements.size() == 2) {
        stored.id = reply.elements.at(0).integer;
        stored.ts = Timestamp::fromWire(QString::fromUtf8(reply.elements.at(1).string));
        // As the stream gives it back: #lobby's messages without a room.
        if (isLobbys(stored))
            stored.room.clear();
        return Repeated{stored};
    }
    stored.id = reply.integer;
    return stored;
}

MessageLog::Appended RedisMessageLog::append(const ChatMessage &message)
{
    return appendAll({Post{message}}).constFirst();
}

QList<MessageLog::Appended> RedisMessageLog::appendToLobby(const QList<Post> &posts)
{
    QList<LuaScript::Invocation> invocations;
    invocations.reserve(posts.size());
    for (const Post &post : posts)
        invocations.append(postOf(post));
    const QList<RedisConnection::Result> results = m_postScript.callAll(m_redis, invocations);
    QList<Appended> stored;
    stored.reserve(posts.size());
    for (qsizetype i = 0; i < posts.size(); ++i)
        stored.append(storedFrom(posts.at(i).message, results.at(i)));
    return stored;
}

QList<MessageLog::Appended> RedisMessageLog::appendAll(const QList<Post> &posts)
{
    // In the given order: a run of #lobby's messages is one pipeline, and
    // another room's message (two steps that depend on each other) goes
    // between runs, so the ids still follow the order of `posts`.
    QList<Appended> stored;
    stored.reserve(posts.size());
    QList<Post> run;
    const auto flushRun = [&] {
        if (!run.isEmpty())
            stored += appendToLobby(std::exchange(run, {}));
    };
    for (const Post &post : posts) {
        if (isLobbys(post.message)) {
            run.append(post);
            continue;
        }
        flushRun();
        stored.append(appendToRoom(post));
    }
    flushRun();
    return stored;
}

std::optional<qint64> RedisMessageLog::newestId() const
{
    const RedisConnection::Result result = m_redis.command({"GET", m_keys.sequence()});
    if (const QString error = RedisConnection::errorOf(result); !error.isEmpty()) {
        qCWarning(lcRedisLog).noquote() << "cannot read the sequence:" << error;
        return std::nullopt;
    }
    return std::get<RedisReply>(result).string.toLongLong(); // nil (no message yet) reads as 0
}

qint64 RedisMessageLog::nextId() const
{
    return newestId().value_or(0) + 1;
}

bool RedisMessageLog::isNewerIdFirst(const QString &error)
{
    return error.contains(u"equal or smaller"_s); // XADD's answer (roomappend.lua)
}

LuaScript::Invocation RedisMessageLog::roomAppendOf(const Post &post, qint64 id) const
{
    const ChatMessage &message = post.message;
    QList<QByteArray> keys{m_keys.roomStream(Validation::roomKey(message.room))};
    if (!post.cid.isEmpty())
        keys.append(cidKey(post));
    QList<QByteArray> arguments{QByteArray::number(RoomStream::kMaxLength), QByteArray::number(id)};
    arguments += cidArguments(message);
    arguments += RoomStream::fields(RoomStream::Kind::Message, ChatMessage{0, message.from, message.text, message.ts,
                                                                           message.action, message.room});
    return {keys, arguments};
}

MessageLog::Appended RedisMessageLog::appendToRoom(const Post &post)
{
    // Two commands, not one script: the sequence and the room's stream may
    // live in different slots of a Redis Cluster. Between them another
    // instance may take a higher number and add its message first; XADD then
    // refuses ours (ids only increase along a stream) and it takes another.
    QString error;
    for (int attempt = 0; attempt < kRoomAppendAttempts; ++attempt) {
        const RedisConnection::Result number =
            m_nextIdScript.call(m_redis, {m_keys.sequence(), m_keys.epoch()}, {m_epoch});
        if (error = RedisConnection::errorOf(number); !error.isEmpty())
            break;
        const LuaScript::Invocation append = roomAppendOf(post, std::get<RedisReply>(number).integer);
        const RedisConnection::Result added = m_roomAppendScript.call(m_redis, append.keys, append.arguments);
        error = RedisConnection::errorOf(added);
        if (error.isEmpty())
            return storedFrom(post.message, added);
        if (!isNewerIdFirst(error))
            break;
    }
    qCWarning(lcRedisLog).noquote() << "cannot append a message to" << post.message.room << ":" << error;
    return error;
}

QList<ChatMessage> RedisMessageLog::newestIn(const QString &roomKey, qint64 id, int count, bool *more) const
{
    // Backwards from the newest entry, in batches, skipping events, until
    // `count` messages and one more (to know whether there were more).
    constexpr int kBatch = 256;
    QList<ChatMessage> newestFirst;
    QByteArray upper = "+";
    const QByteArray lower = "(" + QByteArray::number(std::max<qint64>(id, 0)) + "-0";
    *more = false;
    while (true) {
        const RedisConnection::Result result =
            m_redis.command({"XREVRANGE", streamOf(roomKey), upper, lower, "COUNT", QByteArray::number(kBatch)});
        if (const QString error = RedisConnection::errorOf(result); !error.isEmpty()) {
            qCWarning(lcRedisLog).noquote() << "cannot read messages:" << error;
            return {};
        }
        const QList<RedisReply> &items = std::get<RedisReply>(result).elements;
        // XREVRANGE answers newest first.
        for (const ChatMessage &message : RoomStream::messagesOf(items)) {
            if (newestFirst.size() == count) {
                *more = true;
                break;
            }
            newestFirst.append(message);
        }
        if (*more || items.size() < kBatch)
            break;
        upper = "(" + items.constLast().elements.value(0).string;
    }
    QList<ChatMessage> messages(newestFirst.crbegin(), newestFirst.crend());
    if (roomKey == Protocol::lobby()) {
        for (ChatMessage &message : messages)
            message.room = Protocol::lobby(); // stored without it
    }
    return messages;
}

std::optional<MessageLog::RoomRecord> RedisMessageLog::room(const QString &roomKey) const
{
    const RedisConnection::Result result =
        m_redis.command({"HMGET", roomKey == Protocol::lobby() ? m_keys.lobbyRecord() : m_keys.roomRecord(roomKey),
                         "name", "topic", "by", "ts"});
    if (!RedisConnection::errorOf(result).isEmpty())
        return std::nullopt;
    const QList<RedisReply> &fields = std::get<RedisReply>(result).elements;
    if (fields.size() < 4 || fields.at(0).string.isEmpty())
        return std::nullopt;
    return RoomRecord{QString::fromUtf8(fields.at(0).string), QString::fromUtf8(fields.at(1).string),
                      QString::fromUtf8(fields.at(2).string),
                      Timestamp::fromWire(QString::fromUtf8(fields.at(3).string))};
}

QString RedisMessageLog::saveRoom(const QString &roomKey, const RoomRecord &record)
{
    const RedisConnection::Result result =
        m_redis.command({"HSET", roomKey == Protocol::lobby() ? m_keys.lobbyRecord() : m_keys.roomRecord(roomKey),
                         "name", record.name.toUtf8(), "topic", record.topic.toUtf8(), "by", record.topicBy.toUtf8(),
                         "ts", Timestamp::toWire(record.topicTs).toUtf8()});
    return RedisConnection::errorOf(result);
}

QByteArray RedisMessageLog::streamOf(const QString &roomKey) const
{
    return roomKey == Protocol::lobby() ? m_keys.stream() : m_keys.roomStream(roomKey);
}

MessageLog::Page RedisMessageLog::after(const QString &roomKey, qint64 id, int limit) const
{
    // Counted, not computed from the ids: the sequence is shared by every
    // room, so a room's ids have gaps. (A message trimmed from the stream,
    // beyond MAXLEN, is not noticed as missed.)
    Page page;
    bool more = false;
    page.messages = newestIn(roomKey, id, std::max(limit, 0), &more);
    page.truncated = more;
    return page;
}

QList<ChatMessage> RedisMessageLog::last(const QString &roomKey, int count) const
{
    if (count <= 0)
        return {};
    bool more = false;
    return newestIn(roomKey, 0, count, &more);
}
