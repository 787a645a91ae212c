// SPDX-License-Identifier: MIT
#include "redisconnection.h"

#include "pendingconnect.h"
#include "replywatch.h"

#include <QLoggingCategory>

#include <hiredis/hiredis.h>

#include <poll.h>
#include <unistd.h>

#include <csignal>
#include <optional>

#include <vector>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcRedis, "qtchat.server.redis")

namespace {
// A refused connection fails at once; these bound a Redis that does not answer.
constexpr int kConnectTimeoutMsecs = 500;
// How long a command waits for a connect it started before it is refused
// (the connect goes on; the next command looks again): enough for a Redis on
// the LAN, short next to the ping target of 50 ms (issue #16).
constexpr int kConnectWaitMsecs = 20;
// Each Sentinel is asked with a short bound, so that a dead one costs little
// before the next is asked.
constexpr int kSentinelTimeoutMsecs = 300;
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

RedisConnection::~RedisConnection()
{
    // Nobody to answer any more: the pipelines' owners go with this. Not
    // inside the watch's notification, so it goes now (none may be left
    // for an event loop that has ended).
    m_sent.clear();
    m_watch.reset();
}

void RedisConnection::disconnect()
{
    failPending(u"disconnected from %1"_s.arg(serverName()));
    resetContext();
    m_pending.reset();
}

QString RedisConnection::serverName() const
{
    if (!m_address.usesSentinel())
        return m_address.toString();
    if (m_server.host.isEmpty())
        return u"the primary %1 of %2"_s.arg(m_address.masterName, m_address.toString());
    return u"redis://%1:%2/%3 (primary %4 per Sentinel)"_s.arg(m_server.host)
        .arg(m_server.port)
        .arg(m_address.database)
        .arg(m_address.masterName);
}

std::variant<RedisAddress::Endpoint, QString> RedisConnection::askSentinels()
{
    QStringList failures;
    const qsizetype count = m_address.sentinels.size();
    for (qsizetype i = 0; i < count; ++i) {
        const qsizetype index = (m_sentinel + i) % count;
        const RedisAddress::Endpoint &sentinel = m_address.sentinels.at(index);
        const QString name = u"sentinel %1:%2"_s.arg(sentinel.host).arg(sentinel.port);
        const QByteArray host = sentinel.host.toUtf8();
        std::unique_ptr<redisContext, ContextDeleter> context(
            redisConnectWithTimeout(host.constData(), sentinel.port, toTimeval(kSentinelTimeoutMsecs)));
        if (!context || context->err) {
            failures.append(u"%1: %2"_s.arg(name, context ? QString::fromUtf8(context->errstr) : u"out of memory"_s));
            continue;
        }
        redisSetTimeout(context.get(), toTimeval(kSentinelTimeoutMsecs));
        const QByteArray master = m_address.masterName.toUtf8();
        const char *argv[] = {"SENTINEL", "get-master-addr-by-name", master.constData()};
        const size_t lengths[] = {8, 23, size_t(master.size())};
        auto *raw = static_cast<redisReply *>(redisCommandArgv(context.get(), 3, argv, lengths));
        if (!raw) {
            failures.append(u"%1: %2"_s.arg(name, QString::fromUtf8(context->errstr)));
            continue;
        }
        const RedisReply reply = RedisReply::from(*raw);
        freeReplyObject(raw);
        bool portOk = false;
        const uint port = reply.elements.size() == 2 ? reply.elements.at(1).string.toUInt(&portOk) : 0;
        if (reply.isError() || !portOk || port == 0 || port > 65535) {
            // A nil reply: this Sentinel does not know the name (a typo, or
            // a Sentinel of another deployment).
            failures.append(u"%1: %2"_s.arg(name, reply.isError() ? QString::fromUtf8(reply.string)
                                                                  : u"does not know %1"_s.arg(m_address.masterName)));
            continue;
        }
        m_sentinel = index;
        return RedisAddress::Endpoint{QString::fromUtf8(reply.elements.at(0).string), quint16(port)};
    }
    return u"no Sentinel of %1 named the primary: %2"_s.arg(m_address.toString(), failures.join(u"; "_s));
}

bool RedisConnection::checkIsPrimary()
{
    const Result role = send({"ROLE"});
    if (const auto *error = std::get_if<QString>(&role)) {
        fail(*error);
        return false;
    }
    const RedisReply &reply = std::get<RedisReply>(role);
    if (reply.isError() || reply.elements.isEmpty() || reply.elements.at(0).string != "master") {
        // Sentinel has not yet noticed, or not yet told us, that this server
        // was demoted: writes would fail with READONLY; ask again later.
        fail(u"%1 is not the primary (ROLE: %2); asking the Sentinels again later"_s.arg(
            serverName(),
            reply.isError() ? QString::fromUtf8(reply.string) : QString::fromUtf8(reply.elements.value(0).string)));
        // Not the connection breaking: waits before the next attempt.
        m_retryMsecs = m_retryDelays.nextDelay();
        return false;
    }
    return true;
}

bool RedisConnection::connectNow()
{
    disconnect();
    return startConnect() && finishConnect(kConnectTimeoutMsecs);
}

bool RedisConnection::connectWithoutWaiting()
{
    if (m_context)
        return true;
    if (!m_pending && !startConnect())
        return false;
    return finishConnect(0);
}

bool RedisConnection::startConnect()
{
    if (m_address.usesSentinel()) {
        // Still waits: at most kSentinelTimeoutMsecs for each Sentinel that
        // does not answer (docs/architecture.md).
        const auto primary = askSentinels();
        if (const auto *error = std::get_if<QString>(&primary)) {
            fail(*error);
            return false;
        }
        m_server = std::get<RedisAddress::Endpoint>(primary);
    } else {
        m_server = {m_address.host, m_address.port};
    }
    m_pending = std::make_unique<PendingConnect>(m_server.host, m_server.port, kConnectTimeoutMsecs);
    if (m_pending->state() == PendingConnect::State::Failed) {
        const QString why = u"cannot connect to %1: %2"_s.arg(serverName(), m_pending->error());
        m_pending.reset();
        fail(why);
        return false;
    }
    return true;
}

bool RedisConnection::finishConnect(int waitMsecs)
{
    switch (m_pending->poll(waitMsecs)) {
    case PendingConnect::State::InProgress:
        m_lastError = u"still connecting to %1"_s.arg(serverName());
        return false;
    case PendingConnect::State::Failed: {
        const QString why = u"cannot connect to %1: %2"_s.arg(serverName(), m_pending->error());
        m_pending.reset();
        fail(why);
        return false;
    }
    case PendingConnect::State::Connected:
        break;
    }
    const int fd = m_pending->takeSocket();
    m_pending.reset();
    std::unique_ptr<redisContext, ContextDeleter> context(redisConnectFd(fd));
    if (!context || context->err) {
        if (!context)
            ::close(fd);
        fail(u"cannot connect to %1: %2"_s.arg(serverName(),
                                               context ? QString::fromUtf8(context->errstr) : u"out of memory"_s));
        return false;
    }
    redisSetTimeout(context.get(), toTimeval(kCommandTimeoutMsecs));
    redisEnableKeepAlive(context.get());
    m_context = std::move(context);
    if (m_address.database != 0) {
        const Result selected = send({"SELECT", QByteArray::number(m_address.database)});
        if (const auto *error = std::get_if<QString>(&selected)) {
            fail(*error);
            return false;
        }
        if (std::get<RedisReply>(selected).isError()) {
            fail(u"%1: %2"_s.arg(serverName(), QString::fromUtf8(std::get<RedisReply>(selected).string)));
            return false;
        }
    }
    if (m_address.usesSentinel() && !checkIsPrimary())
        return false;
    ++m_connections;
    m_retryMsecs = 0;
    m_retryDelays.reset();
    m_lastError.clear();
    qCInfo(lcRedis).noquote() << "connected to" << serverName();
    return true;
}

bool RedisConnection::ensureConnected()
{
    if (m_context)
        return true;
    if (m_pending)
        return finishConnect(0);
    if (m_sinceFailure.isValid() && m_sinceFailure.elapsed() < m_retryMsecs)
        return false;
    return startConnect() && finishConnect(kConnectWaitMsecs);
}

void RedisConnection::fail(const QString &why)
{
    const bool wasConnected = m_context != nullptr;
    if (wasConnected || m_lastError != why)
        qCWarning(lcRedis).noquote() << why;
    resetContext();
    m_lastError = why;
    failPending(why);
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

namespace {
// hiredis's view of one command's arguments (pointers into `arguments`).
struct Argv {
    explicit Argv(const QList<QByteArray> &arguments)
    {
        argv.reserve(size_t(arguments.size()));
        lengths.reserve(size_t(arguments.size()));
        for (const QByteArray &argument : arguments) {
            argv.push_back(argument.constData());
            lengths.push_back(size_t(argument.size()));
        }
    }
    int count() const { return int(argv.size()); }

    std::vector<const char *> argv;
    std::vector<size_t> lengths;
};
} // namespace

bool RedisConnection::isReadOnly(const RedisReply &reply)
{
    return reply.isError() && reply.string.startsWith("READONLY");
}

bool RedisConnection::appendCommand(const QList<QByteArray> &arguments)
{
    Argv command(arguments);
    if (redisAppendCommandArgv(m_context.get(), command.count(), command.argv.data(), command.lengths.data()) ==
        REDIS_OK)
        return true;
    fail(u"cannot send to %1: %2"_s.arg(serverName(), QString::fromUtf8(m_context->errstr)));
    return false;
}

RedisConnection::Result RedisConnection::send(const QList<QByteArray> &arguments)
{
    Argv command(arguments);
    auto *reply = static_cast<redisReply *>(
        redisCommandArgv(m_context.get(), command.count(), command.argv.data(), command.lengths.data()));
    if (!reply) {
        // An I/O error (or a timeout): the context cannot be used again.
        fail(u"lost the connection to %1: %2"_s.arg(serverName(), QString::fromUtf8(m_context->errstr)));
        return m_lastError;
    }
    RedisReply copy = RedisReply::from(*reply);
    freeReplyObject(reply);
    if (isReadOnly(copy)) {
        // The primary was demoted under us (a failover): the next command
        // connects again, through the Sentinels when there are any.
        fail(u"%1: %2"_s.arg(serverName(), QString::fromUtf8(copy.string)));
    }
    return copy;
}

bool RedisConnection::isConnected()
{
    // With replies pending, data to read is theirs, not Redis closing the
    // connection: that is found when they are read (readPending(),
    // finishPending()).
    if (m_context && m_sent.empty() && closedByPeer(m_context->fd)) {
        qCInfo(lcRedis).noquote() << serverName() << "closed the connection; connecting again";
        resetContext();
        m_retryMsecs = 0;
    }
    return m_context != nullptr;
}

RedisConnection::Result RedisConnection::command(const QList<QByteArray> &arguments)
{
    // The replies of pipelines sent come first on this connection.
    finishPending();
    isConnected(); // drops a connection Redis closed, so the command goes on a new one
    if (!ensureConnected())
        return m_lastError;
    return send(arguments);
}

QList<RedisConnection::Result> RedisConnection::pipeline(const QList<QList<QByteArray>> &commands)
{
    QList<Result> results;
    results.reserve(commands.size());
    if (commands.isEmpty())
        return results;
    // The replies of pipelines sent come first on this connection.
    finishPending();
    isConnected(); // as command(): a connection Redis closed is made again first
    if (!ensureConnected()) {
        results.fill(m_lastError, commands.size());
        return results;
    }
    // Appended to hiredis's output buffer only; the first redisGetReply
    // writes them all, then each reply is read in turn.
    for (const QList<QByteArray> &arguments : commands) {
        if (!appendCommand(arguments)) {
            results.fill(m_lastError, commands.size());
            return results;
        }
    }
    std::optional<QString> readOnly;
    for (qsizetype i = 0; i < commands.size(); ++i) {
        void *raw = nullptr;
        if (redisGetReply(m_context.get(), &raw) != REDIS_OK || !raw) {
            // An I/O error (or a timeout): this reply and those after it
            // are lost with the context, which cannot be used again.
            fail(u"lost the connection to %1: %2"_s.arg(serverName(), QString::fromUtf8(m_context->errstr)));
            while (results.size() < commands.size())
                results.append(m_lastError);
            return results;
        }
        auto *reply = static_cast<redisReply *>(raw);
        RedisReply copy = RedisReply::from(*reply);
        freeReplyObject(reply);
        if (isReadOnly(copy) && !readOnly)
            readOnly = u"%1: %2"_s.arg(serverName(), QString::fromUtf8(copy.string));
        results.append(std::move(copy));
    }
    // A demoted primary (as send()): only once every reply is read, as the
    // others were sent on this connection and are answered on it.
    if (readOnly)
        fail(*readOnly);
    return results;
}
