// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QString>

#include <sys/socket.h>

#include <functional>
#include <future>
#include <variant>
#include <vector>

// A TCP connect that the caller does not wait for: started, then asked
// whether it has finished (issue #16: a Redis that does not answer SYNs must
// not hold the room's thread for the whole connect timeout each time it
// tries again). An address in numbers is used at once; a name is resolved
// on a thread of its own (getaddrinfo, as hiredis does, can wait for a DNS
// server for seconds), and the connect itself runs in the kernel while the
// caller goes on.
// Each address the name has is tried in turn until one takes the connect:
// "localhost" is ::1 first on Debian, and a Redis that listens on
// 127.0.0.1 only refuses that one.
// Used by RedisConnection, which hands the connected socket to hiredis
// (redisConnectFd).
class PendingConnect final
{
public:
    enum class State { InProgress, Connected, Failed };

    struct Address {
        sockaddr_storage storage;
        socklen_t length;
        int family;
    };
    // A name's addresses, or why there are none.
    using Resolved = std::variant<std::vector<Address>, QString>;
    using Resolver = std::function<Resolved(const QByteArray &host, const QByteArray &service)>;
    // getaddrinfo() for TCP.
    static Resolved resolve(const QByteArray &host, const QByteArray &service);

    // Starts connecting to host:port; gives up `timeoutMsecs` after the
    // name is resolved (the resolver has its own bounds). `resolver`: for tests.
    PendingConnect(const QString &host, quint16 port, int timeoutMsecs, Resolver resolver = resolve);
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
    static bool isNumericHost(const QByteArray &host);
    // The resolved addresses: the first connect starts (or Failed).
    void startWith(const Resolved &resolved);
    // Starts a connect to the next address not tried yet; false when none
    // is left (then Failed, with the last error).
    bool connectToNext();
    void fail(const QString &why);
    void closeSocket();

    // A name being resolved (valid until its answer is taken).
    std::future<Resolved> m_lookup;
    std::vector<Address> m_addresses;
    std::size_t m_next = 0;
    QString m_lastError;
    int m_fd = -1;
    State m_state = State::InProgress;
    QString m_error;
    QElapsedTimer m_started;
    int m_timeoutMsecs;
};
