// SPDX-License-Identifier: MIT
#include "redisconnection.h"

#include <QLoggingCategory>

#include <hiredis/hiredis.h>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcRedis, "qtchat.server.redis")

namespace {
// A refused connection fails at once; these bound a Redis that does not answer.
constexpr int kConnectTimeoutMsecs = 500;
constexpr int kCommandTimeoutMsecs = 2000;
// After a failure, posts are refused at once for this long (doubling, up to
// the maximum) before the next attempt to connect.
constexpr int kFirstRetryMsecs = 100;
constexpr int kMaxRetryMsecs = 2000;

timeval toTimeval(int msecs)
{
    return timeval{msecs / 1000, (msecs % 1000) * 1000};
}
} // namespace

void RedisConnection::ContextDeleter::operator()(redisContext *context) const
{
    redisFree(context);
}

RedisConnection::RedisConnection(RedisAddress address) : m_address(std::move(address))
{
}

RedisConnection::~RedisConnection() = default;

bool RedisConnection::connectNow()
{
    m_context.reset();
    const QByteArray host = m_address.host.toUtf8();
    std::unique_ptr<redisContext, ContextDeleter> context(
        redisConnectWithTimeout(host.constData(), m_address.port, toTimeval(kConnectTimeoutMsecs)));
    if (!context || context->err) {
        fail(u"cannot connect to %1: %2"_s.arg(m_address.toString(),
                                               context ? QString::fromUtf8(context->errstr) : u"out of memory"_s));
        return false;
    }
    redisSetTimeout(context.get(), toTimeval(kCommandTimeoutMsecs));
    redisEnableKeepAlive(context.get());
    m_context = std::move(context);
    if (m_address.database != 0) {
        const Result selected = command({"SELECT", QByteArray::number(m_address.database)});
        if (const auto *error = std::get_if<QString>(&selected)) {
            fail(*error);
            return false;
        }
        if (std::get<RedisReply>(selected).isError()) {
            fail(u"%1: %2"_s.arg(m_address.toString(), QString::fromUtf8(std::get<RedisReply>(selected).string)));
            return false;
        }
    }
    ++m_connections;
    m_retryMsecs = 0;
    m_lastError.clear();
    qCInfo(lcRedis).noquote() << "connected to" << m_address.toString();
    return true;
}

bool RedisConnection::ensureConnected()
{
    if (m_context)
        return true;
    if (m_sinceFailure.isValid() && m_sinceFailure.elapsed() < m_retryMsecs)
        return false;
    return connectNow();
}

void RedisConnection::fail(const QString &why)
{
    if (m_context || m_lastError != why)
        qCWarning(lcRedis).noquote() << why;
    m_context.reset();
    m_lastError = why;
    m_sinceFailure.start();
    m_retryMsecs = m_retryMsecs == 0 ? kFirstRetryMsecs : std::min(m_retryMsecs * 2, kMaxRetryMsecs);
}

RedisConnection::Result RedisConnection::command(const QList<QByteArray> &arguments)
{
    if (!ensureConnected())
        return m_lastError;
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    argv.reserve(size_t(arguments.size()));
    lengths.reserve(size_t(arguments.size()));
    for (const QByteArray &argument : arguments) {
        argv.push_back(argument.constData());
        lengths.push_back(size_t(argument.size()));
    }
    auto *reply = static_cast<redisReply *>(
        redisCommandArgv(m_context.get(), int(argv.size()), argv.data(), lengths.data()));
    if (!reply) {
        // An I/O error (or a timeout): the context cannot be used again.
        fail(u"lost the connection to %1: %2"_s.arg(m_address.toString(), QString::fromUtf8(m_context->errstr)));
        return m_lastError;
    }
    RedisReply copy = RedisReply::from(*reply);
    freeReplyObject(reply);
    return copy;
}
