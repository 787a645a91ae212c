// SPDX-License-Identifier: MIT
#pragma once

#include "redisreply.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QString>

#include <memory>

struct redisReader;

// Commands written to a connected socket and their replies read, asked
// later whether they came instead of waited for (issue #16): what
// RedisConnection says on a new connection before hiredis takes it (SELECT,
// ROLE) and what SentinelQuery asks a Sentinel. hiredis's blocking context
// would hold the room's thread for each reply, up to its timeout; this
// writes and reads only what the socket takes and has (MSG_DONTWAIT), and
// hiredis's reader parses the bytes.
class RespExchange final
{
public:
    enum class State { InProgress, Done, Failed };

    // Starts writing `commands` to `fd` (connected; the caller keeps it and
    // reads nothing from it meanwhile); gives up `timeoutMsecs` after now.
    RespExchange(int fd, const QList<QList<QByteArray>> &commands, int timeoutMsecs);
    ~RespExchange();
    RespExchange(const RespExchange &) = delete;
    RespExchange &operator=(const RespExchange &) = delete;

    // Waits at most `waitMsecs` (0: not at all) for every reply to come.
    State poll(int waitMsecs = 0);
    State state() const { return m_state; }
    // One per command, in order (Done only).
    const QList<RedisReply> &replies() const { return m_replies; }
    // Why it failed (Failed only).
    QString error() const { return m_error; }

private:
    struct ReaderDeleter {
        void operator()(redisReader *reader) const;
    };

    // Writes what the socket takes; false when it failed.
    bool writeSome();
    // Reads what has come and parses every reply complete; false when it failed.
    bool readSome();
    void fail(const QString &why);

    int m_fd;
    QByteArray m_unwritten;
    qsizetype m_expected;
    QList<RedisReply> m_replies;
    std::unique_ptr<redisReader, ReaderDeleter> m_reader;
    QElapsedTimer m_started;
    int m_timeoutMsecs;
    State m_state = State::InProgress;
    QString m_error;
};
