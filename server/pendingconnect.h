// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QString>

// A TCP connect that the caller does not wait for: started, then asked
// whether it has finished (issue #16: a Redis that does not answer SYNs must
// not hold the room's thread for the whole connect timeout each time it
// tries again). The name is resolved when it starts (getaddrinfo, as hiredis
// does); the connect itself runs in the kernel while the caller goes on.
// Used by RedisConnection, which hands the connected socket to hiredis
// (redisConnectFd).
class PendingConnect final
{
public:
    enum class State { InProgress, Connected, Failed };

    // Starts connecting to host:port; gives up `timeoutMsecs` after now.
    PendingConnect(const QString &host, quint16 port, int timeoutMsecs);
    ~PendingConnect();
    PendingConnect(const PendingConnect &) = delete;
    PendingConnect &operator=(const PendingConnect &) = delete;

    // Waits at most `waitMsecs` (0: not at all) for the connect to finish.
    State poll(int waitMsecs = 0);
    State state() const { return m_state; }
    // Why it failed (Failed only).
    QString error() const { return m_error; }
    // The connected socket, in blocking mode, now the caller's to close
    // (Connected only; -1 after the first call).
    int takeSocket();

private:
    void fail(const QString &why);

    int m_fd = -1;
    State m_state = State::InProgress;
    QString m_error;
    QElapsedTimer m_started;
    int m_timeoutMsecs;
};
