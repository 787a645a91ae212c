// SPDX-License-Identifier: MIT
#pragma once

#include "backoff.h"
#include "redisaddress.h"
#include "redisreply.h"

#include <QElapsedTimer>
#include <QList>
#include <QString>

#include <memory>
#include <variant>

struct redisContext;
class PendingConnect;

// One connection to Redis: the only place the server connects to one
// (timeouts, keep-alive, database). Used synchronously for short commands
// from the room's thread (each a loopback or LAN round trip;
// docs/architecture.md says why that is acceptable and what it costs): it
// connects on first use and again after a failure, but not more often than
// its retry delay (a Backoff), so a room whose Redis is down fails fast
// instead of waiting on every post. The connect itself does not wait
// (PendingConnect): a Redis that does not answer SYNs costs a command
// kConnectWaitMsecs, not the connect timeout. A StreamReader drives its context()
// itself, without waiting.
//
// With a Sentinel address every connect asks the Sentinels in turn which
// server is the primary, and checks with ROLE that it is one (a primary just
// demoted still answers, as a replica): so after any failure, or a READONLY
// reply from a demoted primary, the next connect follows a failover.
class RedisConnection final
{
public:
    // A reply (which may be a Redis error reply), or why there is none.
    using Result = std::variant<RedisReply, QString>;

    explicit RedisConnection(RedisAddress address);
    ~RedisConnection();
    RedisConnection(const RedisConnection &) = delete;
    RedisConnection &operator=(const RedisConnection &) = delete;

    // Connects first if not connected, without waiting for more than
    // kConnectWaitMsecs: a connect that takes longer goes on, and the command
    // fails with "still connecting" (the next one looks again).
    Result command(const QList<QByteArray> &arguments);
    // The commands sent together and their replies read after (pipelined:
    // one round trip for all), one Result per command, in order. An error
    // reply answers its own command only; when the connection breaks, that
    // command and all after it get the error, as command() would.
    QList<Result> pipeline(const QList<QList<QByteArray>> &commands);
    // Connects now (ignoring the retry delay), waiting up to the connect
    // timeout; false and lastError() when it cannot. For callers that may
    // wait: startup, the heartbeat's own thread, tools and tests.
    bool connectNow();
    // Starts a connect if none is under way (ignoring the retry delay) and
    // looks whether it finished, without waiting: true once connected; while
    // isConnecting(), ask again later (StreamReader polls with a timer).
    bool connectWithoutWaiting();
    bool isConnecting() const { return m_pending != nullptr; }
    // False also when Redis closed the connection since the last command
    // (checked without a round trip); the next command then connects again.
    bool isConnected();
    // How many times a connection was made: a change tells a caller that
    // Redis was away and what it keeps there may need repairing.
    quint64 connectionCount() const { return m_connections; }
    QString lastError() const { return m_lastError; }
    const RedisAddress &address() const { return m_address; }
    // Where it is (or was last) connected: the address itself, or with
    // Sentinel the primary the Sentinels named, for messages.
    QString serverName() const;
    // The hiredis connection, for a caller that reads and writes it without
    // waiting (StreamReader); null when not connected.
    redisContext *context() const { return m_context.get(); }
    void disconnect();
    // Why a command did not succeed (no connection, or Redis's error
    // reply); empty when it did.
    static QString errorOf(const Result &result);
    // Process-wide: SIGPIPE is ignored (hiredis writes with write()).
    static void ignoreBrokenPipes();

private:
    struct ContextDeleter {
        void operator()(redisContext *context) const;
    };

    bool ensureConnected();
    // A connect to the primary (asked of the Sentinels first, if any); false
    // when it failed at once.
    bool startConnect();
    // Waits up to `waitMsecs` for the connect under way; then hiredis takes
    // the socket (SELECT, and ROLE with Sentinel).
    bool finishConnect(int waitMsecs);
    // The primary's host and port per the Sentinels, or why none.
    std::variant<RedisAddress::Endpoint, QString> askSentinels();
    bool checkIsPrimary();
    Result send(const QList<QByteArray> &arguments);
    void fail(const QString &why);

    RedisAddress m_address;
    RedisAddress::Endpoint m_server;
    // The Sentinel that answered last is asked first next time.
    qsizetype m_sentinel = 0;
    std::unique_ptr<redisContext, ContextDeleter> m_context;
    std::unique_ptr<PendingConnect> m_pending; // a connect under way
    QString m_lastError;
    QElapsedTimer m_sinceFailure;
    Backoff m_retryDelays;
    int m_retryMsecs = 0;
    quint64 m_connections = 0;
};
