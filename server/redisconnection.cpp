// SPDX-License-Identifier: MIT
#include "redisconnection.h"

#include <QLoggingCategory>

#include <hiredis/hiredis.h>

#include <poll.h>

#include <csignal>

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
// One server alone retries: nothing to spread out.
constexpr double kRetryJitter = 0.0;
// True when Redis closed the connection (it restarted, or dropped us):
// nothing else ever arrives unasked on this connection, so anything to read
// before a command is the end of the stream or an error. One poll(), no
// round trip; it lets the first post after a Redis restart go through
// instead of failing on a dead socket (a failed post is never resent, as it
// might have been carried out).
bool closedByPeer(int fd)
{
    pollfd probe{fd, POLLIN | POLLRDHUP, 0};
    return ::poll(&probe, 1, 0) > 0;
}

timeval toTimeval(int msecs)
{
    return timeval{msecs / 1000, (msecs % 1000) * 1000};
}
} // namespace

void RedisConnection::ContextDeleter::operator()(redisContext *context) const
{
    redisFree(context);
}

RedisConnection::RedisConnection(RedisAddress address)
    : m_address(std::move(address)), m_retryDelays(kFirstRetryMsecs, kMaxRetryMsecs, kRetryJitter)
{
    ignoreBrokenPipes();
}

QString RedisConnection::errorOf(const Result &result)
{
    if (const auto *error = std::get_if<QString>(&result))
        return *error;
    const RedisReply &reply = std::get<RedisReply>(result);
    return reply.isError() ? QString::fromUtf8(reply.string) : QString();
}

void RedisConnection::ignoreBrokenPipes()
{
    // hiredis writes with write(), not send(MSG_NOSIGNAL): a Redis that
    // closes the connection between our poll() and the next write (a
    // restart) must give an error value, not kill the server with SIGPIPE
    // (seen in the container test before this). The server's own sockets
    // never raise it (sendmsg with MSG_NOSIGNAL), and TLS ignores it too.
    std::signal(SIGPIPE, SIG_IGN);
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
    m_retryDelays.reset();
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
    const bool wasConnected = m_context != nullptr;
    if (wasConnected || m_lastError != why)
        qCWarning(lcRedis).noquote() << why;
    m_context.reset();
    m_lastError = why;
    m_sinceFailure.start();
    // A connection that broke is made again at the next command; only
    // failed attempts to connect wait, longer each time.
    if (wasConnected) {
        m_retryDelays.reset();
        m_retryMsecs = 0;
    } else {
        m_retryMsecs = m_retryDelays.nextDelay();
    }
}

RedisConnection::Result RedisConnection::send(const QList<QByteArray> &arguments)
{
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    argv.reserve(size_t(arguments.size()));
    lengths.reserve(size_t(arguments.size()));
    for (const QByteArray &argument : arguments) {
        argv.push_back(argument.constData());
        lengths.push_back(size_t(argument.size()));
    }
    auto *reply =
        static_cast<redisReply *>(redisCommandArgv(m_context.get(), int(argv.size()), argv.data(), lengths.data()));
    if (!reply) {
        // An I/O error (or a timeout): the context cannot be used again.
        fail(u"lost the connection to %1: %2"_s.arg(m_address.toString(), QString::fromUtf8(m_context->errstr)));
        return m_lastError;
    }
    RedisReply copy = RedisReply::from(*reply);
    freeReplyObject(reply);
    return copy;
}

bool RedisConnection::isConnected()
{
    if (m_context && closedByPeer(m_context->fd)) {
        qCInfo(lcRedis).noquote() << m_address.toString() << "closed the connection; connecting again";
        m_context.reset();
        m_retryMsecs = 0;
    }
    return m_context != nullptr;
}

RedisConnection::Result RedisConnection::command(const QList<QByteArray> &arguments)
{
    isConnected(); // drops a connection Redis closed, so the command goes on a new one
    if (!ensureConnected())
        return m_lastError;
    return send(arguments);
}
