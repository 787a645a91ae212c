// SPDX-License-Identifier: MIT
#include "streamreader.h"

#include "redisreply.h"

#include <QLoggingCategory>
#include <QScopeGuard>
#include <QSocketNotifier>

#include <hiredis/hiredis.h>

#include <vector>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcStreamReader, "qtchat.server.streamreader")

namespace {
constexpr int kBlockMsecs = 5000;
constexpr int kWatchdogMsecs = kBlockMsecs + 5000;
constexpr int kBatchEntries = 1000;
constexpr int kFirstRetryMsecs = 100;
constexpr int kMaxRetryMsecs = 2000;
constexpr double kRetryJitter = 0.2;
// How often a connect under way is looked at (RedisConnection::connectWithoutWaiting).
constexpr int kConnectPollMsecs = 10;

QByteArrayView bytesOf(const redisReply &reply)
{
    const bool hasString =
        reply.type == REDIS_REPLY_STRING || reply.type == REDIS_REPLY_STATUS || reply.type == REDIS_REPLY_ERROR;
    return hasString ? QByteArrayView(reply.str, qsizetype(reply.len)) : QByteArrayView();
}

// `bytes`, sharing `previous` when the same (and becoming it when not).
QByteArray reuse(QByteArrayView bytes, QByteArray &previous)
{
    if (bytes != QByteArrayView(previous))
        previous = bytes.toByteArray();
    return previous;
}
} // namespace

StreamEntry StreamReader::entryOf(const RedisReply &item)
{
    StreamEntry entry{item.elements.value(0).string, {}};
    const QList<RedisReply> fields = item.elements.value(1).elements;
    entry.fields.reserve(fields.size() / 2);
    for (qsizetype i = 0; i + 1 < fields.size(); i += 2)
        entry.fields.append({fields.at(i).string, fields.at(i + 1).string});
    return entry;
}

// Read straight from hiredis' reply: every instance reads every entry, and
// copying the whole reply into RedisReply first cost an allocation per
// element (issue #16).
QList<StreamEntry> StreamReader::entriesOf(const redisReply &reply)
{
    // [[stream, [[id, [field, value, ...]], ...]]]
    QList<StreamEntry> entries;
    if (reply.type != REDIS_REPLY_ARRAY)
        return entries; // nil: nothing new before BLOCK ran out
    for (size_t s = 0; s < reply.elements; ++s) {
        const redisReply &stream = *reply.element[s];
        if (stream.type != REDIS_REPLY_ARRAY || stream.elements < 2 || stream.element[1]->type != REDIS_REPLY_ARRAY)
            continue;
        const redisReply &items = *stream.element[1];
        entries.reserve(entries.size() + qsizetype(items.elements));
        for (size_t i = 0; i < items.elements; ++i) {
            const redisReply &item = *items.element[i];
            if (item.type == REDIS_REPLY_ARRAY && item.elements >= 2)
                entries.append(entryOf(item));
        }
    }
    return entries;
}

StreamEntry StreamReader::entryOf(const redisReply &item)
{
    StreamEntry entry{bytesOf(*item.element[0]).toByteArray(), {}};
    if (item.element[1]->type != REDIS_REPLY_ARRAY)
        return entry;
    const redisReply &fields = *item.element[1];
    const qsizetype count = qsizetype(fields.elements) & ~qsizetype(1); // whole pairs
    if (m_previousFields.size() < count)
        m_previousFields.resize(count);
    entry.fields.reserve(count / 2);
    for (qsizetype i = 0; i < count; i += 2) {
        entry.fields.append({reuse(bytesOf(*fields.element[i]), m_previousFields[i]),
                             reuse(bytesOf(*fields.element[i + 1]), m_previousFields[i + 1])});
    }
    return entry;
}

StreamReader::StreamReader(RedisAddress address, QByteArray streamKey, QObject *parent)
    : QObject(parent)
    , m_redis(std::move(address))
    , m_streamKey(std::move(streamKey))
    , m_backoff(kFirstRetryMsecs, kMaxRetryMsecs, kRetryJitter)
{
    m_watchdog.setSingleShot(true);
    m_watchdog.setInterval(kWatchdogMsecs);
    connect(&m_watchdog, &QTimer::timeout, this, [this] { drop(u"Redis did not answer XREAD in time"_s); });
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, &StreamReader::connectToRedis);
}

StreamReader::~StreamReader() = default;

void StreamReader::start(const QByteArray &lastId)
{
    m_lastId = lastId;
    connectToRedis();
}

void StreamReader::restartFrom(const QByteArray &lastId)
{
    const bool wasConnected = isConnected();
    closeConnection();
    m_reconnect.stop();
    m_lastId = lastId;
    if (wasConnected)
        emit connectionChanged(false);
    connectToRedis();
}

void StreamReader::connectToRedis()
{
    // On the room's thread: a connect that takes its time is looked at
    // again shortly, not waited for.
    if (!m_redis.connectWithoutWaiting()) {
        if (m_redis.isConnecting())
            m_reconnect.start(kConnectPollMsecs);
        else
            drop(m_redis.lastError());
        return;
    }
    m_arena.attach(m_redis.context());
    m_notifier = new QSocketNotifier(m_redis.context()->fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &StreamReader::readAvailable);
    m_backoff.reset();
    qCInfo(lcStreamReader).noquote() << "following" << m_streamKey << "on" << m_redis.serverName() << "after"
                                     << m_lastId;
    emit connectionChanged(true);
    requestMore();
}

void StreamReader::requestMore()
{
    redisContext *context = m_redis.context();
    if (!context)
        return;
    const QByteArray count = QByteArray::number(kBatchEntries);
    const QByteArray block = QByteArray::number(kBlockMsecs);
    std::vector<const char *> argv{"XREAD",           "COUNT",   count.constData(),       "BLOCK",
                                   block.constData(), "STREAMS", m_streamKey.constData(), m_lastId.constData()};
    const std::vector<size_t> lengths{
        5, 5, size_t(count.size()), 5, size_t(block.size()), 7, size_t(m_streamKey.size()), size_t(m_lastId.size())};
    redisAppendCommandArgv(context, int(argv.size()), argv.data(), lengths.data());
    int done = 0;
    while (!done) {
        if (redisBufferWrite(context, &done) == REDIS_ERR) {
            drop(lostConnection());
            return;
        }
    }
    m_watchdog.start();
}

void StreamReader::readAvailable()
{
    redisContext *context = m_redis.context();
    if (!context)
        return;
    // The notifier said there are bytes, so this one read() does not block.
    if (redisBufferRead(context) == REDIS_ERR) {
        drop(lostConnection());
        return;
    }
    void *raw = nullptr;
    if (redisReaderGetReply(context->reader, &raw) == REDIS_ERR) {
        drop(u"unreadable reply from %1"_s.arg(m_redis.serverName()));
        return;
    }
    if (!raw)
        return; // only part of the reply so far
    // Built in m_arena: given back at the end of this function, not freed.
    const redisReply *reply = static_cast<redisReply *>(raw);
    const auto resetArena = qScopeGuard([this] { m_arena.reset(); });
    m_watchdog.stop();
    if (reply->type == REDIS_REPLY_ERROR) {
        drop(u"XREAD failed: %1"_s.arg(QString::fromUtf8(bytesOf(*reply))));
        return;
    }
    const QList<StreamEntry> entries = entriesOf(*reply);
    if (!entries.isEmpty()) {
        m_lastId = entries.constLast().id;
        emit entriesRead(entries);
    }
    requestMore();
}

QString StreamReader::lostConnection() const
{
    return u"lost the connection to %1: %2"_s.arg(m_redis.serverName(), QString::fromUtf8(m_redis.context()->errstr));
}

void StreamReader::closeConnection()
{
    if (m_notifier) {
        // Possibly inside its own activated(): not deleted before it returns.
        m_notifier->setEnabled(false);
        m_notifier->deleteLater();
        m_notifier = nullptr;
    }
    m_redis.disconnect();
    m_watchdog.stop();
}

void StreamReader::drop(const QString &why)
{
    const bool wasConnected = isConnected();
    closeConnection();
    const int delay = m_backoff.nextDelay();
    if (wasConnected || m_backoff.attempts() <= 1)
        qCWarning(lcStreamReader).noquote() << why << "- retrying every" << delay << "ms or so";
    m_reconnect.start(delay);
    if (wasConnected)
        emit connectionChanged(false);
}
