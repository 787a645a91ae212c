// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QString>

#include <sys/socket.h>

#include <vector>

// A TCP connect that the caller does not wait for: started, then asked
// whether it has finished (issue #16: a Redis that does not answer SYNs must
// not hold the room's thread for the whole connect timeout each time it
// tries again). The name is resolved when it starts (getaddrinfo, as hiredis
// does); the connect itself runs in the kernel while the caller goes on.
// Each address the name has is tried in turn until one takes the connect:
// "localhost" is ::1 first on Debian, and a Redis that listens on
// 127.0.0.1 only refuses that one.
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
    // The connected socket, still this one's to close (-1 unless Connected).
    int socket() const { return m_state == State::Connected ? m_fd : -1; }

private:
    struct Address {
        sockaddr_storage storage;
        socklen_t length;
        int family;
    };

    // Starts a connect to the next address not tried yet; false when none
    // is left (then Failed, with the last error).
    bool connectToNext();
    void fail(const QString &why);
    void closeSocket();

    std::vector<Address> m_addresses;
    std::size_t m_next = 0;
    QString m_lastError;
    int m_fd = -1;
    State m_state = State::InProgress;
    QString m_error;
    QElapsedTimer m_started;
    int m_timeoutMsecs;
};
