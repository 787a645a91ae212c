// SPDX-License-Identifier: MIT
#include "redisconnection.h"

#include "pendingconnect.h"
#include "replywatch.h"
#include "respexchange.h"
#include "sentinelquery.h"

#include <QLoggingCategory>
#include <QTimer>

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
// How often the event loop looks at a connect it follows
// (followConnectsFromEventLoop), as StreamReader does.
constexpr int kConnectPollMsecs = 10;
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
    m_asking.reset();
    m_pending.reset();
    m_handshake.reset();
    m_handshaking.reset();
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

bool RedisConnection::connectNow()
{
    disconnect();
    // Every step's own bound: each Sentinel's, the connect's, the handshake's.
    const int budget =
        int(m_address.sentinels.size()) * kSentinelTimeoutMsecs + kConnectTimeoutMsecs + kCommandTimeoutMsecs;
    return startConnect() && finishConnect(budget);
}

bool RedisConnection::connectWithoutWaiting()
{
    if (m_context)
        return true;
    if (!isConnecting() && !startConnect())
        return false;
    return finishConnect(0);
}

bool RedisConnection::startConnect()
{
    if (!m_address.usesSentinel()) {
        m_server = {m_address.host, m_address.port};
        return startConnectToServer();
    }
    m_asking = std::make_unique<SentinelQuery>(m_address, m_sentinel, kSentinelTimeoutMsecs);
    if (m_asking->state() == SentinelQuery::State::Failed) {
        const QString why = m_asking->error();
        m_asking.reset();
        fail(why);
        return false;
    }
    return true;
}

bool RedisConnection::startConnectToServer()
{
    m_pending = std::make_unique<PendingConnect>(m_server.host, m_server.port, kConnectTimeoutMsecs);
    if (m_pending->state() == PendingConnect::State::Failed) {
        const QString why = u"cannot connect to %1: %2"_s.arg(serverName(), m_pending->error());
        m_pending.reset();
        fail(why);
        return false;
    }
    return true;
}

QList<QList<QByteArray>> RedisConnection::handshakeCommands() const
{
    QList<QList<QByteArray>> commands;
    if (m_address.database != 0)
        commands.append({"SELECT", QByteArray::number(m_address.database)});
    if (m_address.usesSentinel())
        commands.append({"ROLE"});
    return commands;
}

QString RedisConnection::handshakeProblem(const QList<RedisReply> &replies)
{
    qsizetype next = 0;
    if (m_address.database != 0) {
        const RedisReply &selected = replies.at(next++);
        if (selected.isError())
            return u"%1: %2"_s.arg(serverName(), QString::fromUtf8(selected.string));
    }
    if (!m_address.usesSentinel())
        return {};
    const RedisReply &role = replies.at(next);
    if (!role.isError() && !role.elements.isEmpty() && role.elements.at(0).string == "master")
        return {};
    // Sentinel has not yet noticed, or not yet told us, that this server
    // was demoted: writes would fail with READONLY; ask again later.
    return u"%1 is not the primary (ROLE: %2); asking the Sentinels again later"_s.arg(
        serverName(),
        role.isError() ? QString::fromUtf8(role.string) : QString::fromUtf8(role.elements.value(0).string));
}

bool RedisConnection::finishConnect(int waitMsecs)
{
    QElapsedTimer waited;
    waited.start();
    const auto left = [&] { return int(std::max<qint64>(0, waitMsecs - waited.elapsed())); };
    if (m_asking) {
        switch (m_asking->poll(left())) {
        case SentinelQuery::State::InProgress:
            m_lastError = u"still asking the Sentinels of %1 which server is the primary"_s.arg(m_address.toString());
            return false;
        case SentinelQuery::State::Failed: {
            const QString why = m_asking->error();
            m_asking.reset();
            fail(why);
            return false;
        }
        case SentinelQuery::State::Found:
            break;
        }
        m_server = m_asking->primary();
        m_sentinel = m_asking->answeredBy();
        m_asking.reset();
        if (!startConnectToServer())
            return false;
    }
    if (m_pending) {
        switch (m_pending->poll(left())) {
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
        m_handshaking = std::move(context);
        m_handshake = std::make_unique<RespExchange>(m_handshaking->fd, handshakeCommands(), kCommandTimeoutMsecs);
    }
    switch (m_handshake->poll(left())) {
    case RespExchange::State::InProgress:
        m_lastError = u"still connecting to %1"_s.arg(serverName());
        return false;
    case RespExchange::State::Failed: {
        const QString why = u"lost the connection to %1: %2"_s.arg(serverName(), m_handshake->error());
        m_handshake.reset();
        m_handshaking.reset();
        fail(why);
        return false;
    }
    case RespExchange::State::Done:
        break;
    }
    const QString problem = handshakeProblem(m_handshake->replies());
    m_handshake.reset();
    if (!problem.isEmpty()) {
        m_handshaking.reset();
        fail(problem);
        return false;
    }
    m_context = std::move(m_handshaking);
    ++m_connections;
    m_retryMsecs = 0;
    m_retryDelays.reset();
    m_lastError.clear();
    qCInfo(lcRedis).noquote() << "connected to" << serverName();
    return true;
}

bool RedisConnection::connectIfDue()
{
    return isConnected() || ensureConnected();
}

bool RedisConnection::ensureConnected()
{
    if (m_context)
        return true;
    if (isConnecting())
        return finishConnect(0);
    if (m_sinceFailure.isValid() && m_sinceFailure.elapsed() < m_retryMsecs)
        return false;
    if (!startConnect())
        return false;
    // Followed from the event loop: not waited for at all.
    if (finishConnect(m_connected ? 0 : kConnectWaitMsecs))
        return true;
    if (m_connected && isConnecting())
        m_connectPoll->start(kConnectPollMsecs);
    return false;
}

void RedisConnection::followConnectsFromEventLoop(std::function<void()> connected)
{
    m_connected = std::move(connected);
    m_connectPoll = std::make_unique<QTimer>();
    m_connectPoll->setSingleShot(true);
    QObject::connect(m_connectPoll.get(), &QTimer::timeout, m_connectPoll.get(), [this] {
        if (m_context || !isConnecting())
            return; // made by a command meanwhile, or failed (the retry delay applies)
        if (finishConnect(0)) {
            m_connected();
            return;
        }
        if (isConnecting())
            m_connectPoll->start(kConnectPollMsecs);
    });
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
