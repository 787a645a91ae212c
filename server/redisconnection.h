// SPDX-License-Identifier: MIT
#pragma once

#include "backoff.h"
#include "redisaddress.h"
#include "redisreply.h"

#include <QElapsedTimer>
#include <QList>
#include <QString>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <variant>

struct redisContext;
class PendingConnect;
class QTimer;
class ReplyWatch;
class RespExchange;
class SentinelQuery;

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
// reply from a demoted primary, the next connect follows a failover. Neither
// is waited for beyond the connect's own bound (SentinelQuery, RespExchange
// for ROLE and SELECT): the whole connect is one state looked at again.
class RedisConnection final
{
public:
    // A reply (which may be a Redis error reply), or why there is none.
    using Result = std::variant<RedisReply, QString>;
    // How long a command waits for its reply before the connection is dropped.
    static constexpr int kCommandTimeoutMsecs = 2000;

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
    using ResultsDone = std::function<void(const QList<Result> &)>;
    // pipeline() without waiting for the replies (redisconnectionasync.cpp):
    // true when the commands went out; `done` is then called with what
    // pipeline() would have returned, from the event loop once the replies
    // came (a QSocketNotifier), or from finishPending(), never inside this
    // call. Without a reply for the command timeout, every pipeline sent
    // fails and the connection is dropped, as a synchronous command's
    // timeout does. False when not connected (nothing sent, no `done`).
    // The room's thread only: it needs an event loop.
    bool sendPipeline(const QList<QList<QByteArray>> &commands, ResultsDone done);
    bool hasPending() const { return !m_sent.empty(); }
    // Waits (each reply up to the command timeout) for the replies of every
    // pipeline sent, and calls their `done`s in order. Every other command
    // does this first, so replies never get mixed up.
    void finishPending();
    // Connects now (ignoring the retry delay), waiting up to the connect
    // timeout; false and lastError() when it cannot. For callers that may
    // wait: startup, the heartbeat's own thread, tools and tests.
    bool connectNow();
    // Starts a connect if none is under way (ignoring the retry delay) and
    // looks whether it finished, without waiting: true once connected; while
    // isConnecting(), ask again later (StreamReader polls with a timer).
    bool connectWithoutWaiting();
    // Connects when not connected and the retry delay has passed, waiting
    // at most kConnectWaitMsecs, as a command would, but sends nothing.
    bool connectIfDue();
    // For a connection on a thread that serves clients (the room's): from
    // now on a connect is never waited for, not even kConnectWaitMsecs. A
    // command or connectIfDue() that finds it still under way fails with
    // "still connecting" as before, and the event loop looks at it again
    // (every kConnectPollMsecs) until it is made or fails; `connected` is
    // called, from the event loop, once it is made. The calling thread's
    // event loop drives it.
    void followConnectsFromEventLoop(std::function<void()> connected);
    bool isConnecting() const { return m_asking || m_pending || m_handshake; }
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
    // The TCP connect to m_server.
    bool startConnectToServer();
    // Waits up to `waitMsecs` for the connect under way, each of its steps
    // in turn: the Sentinels' answer, the TCP connect, then SELECT (and ROLE
    // with Sentinel) before hiredis takes the socket.
    bool finishConnect(int waitMsecs);
    // What is said on a new connection before anything else (SELECT, ROLE).
    QList<QList<QByteArray>> handshakeCommands() const;
    // The handshake's replies: empty when the connection may be used, or why not.
    QString handshakeProblem(const QList<RedisReply> &replies);
    Result send(const QList<QByteArray> &arguments);
    // Into hiredis's output buffer; false (failed) when it cannot.
    bool appendCommand(const QList<QByteArray> &arguments);
    static bool isReadOnly(const RedisReply &reply);
    void fail(const QString &why);
    // The context goes, and with it the watch on its socket.
    void resetContext();

    // A pipeline sent with sendPipeline() whose replies are not all read.
    struct SentPipeline {
        qsizetype count = 0;
        QList<Result> results;
        ResultsDone done;
        std::optional<QString> readOnly;
    };
    // The replies that arrived (the watch said so), without waiting.
    void readPending();
    // A reply of the first pipeline sent; its `done` once it has all.
    void takeReply(void *raw);
    void watchTimedOut();
    // Every pipeline sent gets `why` for the replies it still lacks.
    void failPending(const QString &why);

    RedisAddress m_address;
    RedisAddress::Endpoint m_server;
    // The Sentinel that answered last is asked first next time.
    qsizetype m_sentinel = 0;
    std::unique_ptr<redisContext, ContextDeleter> m_context;
    // A connect under way is one of these steps at a time.
    std::unique_ptr<SentinelQuery> m_asking;
    std::unique_ptr<PendingConnect> m_pending;
    std::unique_ptr<redisContext, ContextDeleter> m_handshaking; // m_context once m_handshake is done
    std::unique_ptr<RespExchange> m_handshake;
    QString m_lastError;
    QElapsedTimer m_sinceFailure;
    Backoff m_retryDelays;
    int m_retryMsecs = 0;
    quint64 m_connections = 0;
    std::deque<SentPipeline> m_sent;
    std::unique_ptr<ReplyWatch> m_watch; // on the thread that sent: see resetContext()
    // followConnectsFromEventLoop(): set, connects are not waited for.
    std::function<void()> m_connected;
    std::unique_ptr<QTimer> m_connectPoll;
    QString m_sendError; // why the last sendPipeline() could not write all
};
