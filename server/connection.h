// SPDX-License-Identifier: MIT
#pragma once

#include "bytesink.h"
#include "linereader.h"
#include "outputqueue.h"
#include "ratelimiter.h"
#include "serverconfig.h"
#include "wire.h"

#include <QByteArray>

#include <memory>
#include <optional>

class ConnectionHost;
class TlsSession;

// One client's socket, owned by the Worker whose thread serves it (through
// ConnectionHost): mode detection, framing, rate limit, deadlines, and an
// OutputQueue that holds references to shared broadcast bytes rather than
// copies. connection.cpp has the socket's life, connectionrequests.cpp the
// lines it reads, connectionoutput.cpp what it writes, and
// connectiondeadlines.cpp its deadlines.
//
// Not a QObject and not a QTcpSocket on purpose: with 10,000 clients the
// per-connection cost matters (QTcpSocket keeps its own read and write
// buffers, about 50 KiB per active socket measured), and the worker polls
// all its sockets through one epoll descriptor instead of one notifier each.
class Connection final : private ByteSink
{
public:
    enum class State {
        Open,      // reading and writing
        Leaving,   // the room has been told; waiting for its last words
        Draining,  // last bytes queued: flush, then close
        Lingering, // write side shut; reading until EOF so the peer gets everything
        Closed,
    };

    // `tls` is null for a plaintext connection, whose path stays the plain
    // recv()/sendmsg() one.
    Connection(ConnectionHost &host, int fd, Wire::ConnectionId id, const ServerConfig &config, qint64 nowMsecs,
               std::unique_ptr<TlsSession> tls = nullptr);
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    int fd() const { return m_fd; }
    Wire::ConnectionId id() const { return m_id; }
    Wire::Mode mode() const { return m_mode; }
    State state() const { return m_state; }
    bool isMember() const { return m_member; }
    // Registration ends the register deadline: a member may stay silent for hours.
    void setMember(bool member);
    bool wantsWrite() const;
    // Requests handed to the room: the worker counts them as it submits them,
    // the room's thread (through handledCount()) as it handles them.
    void countSubmitted() { ++m_requestsSubmitted; }
    const std::shared_ptr<Wire::HandledCount> &handledCount() const { return m_requestsHandled; }
    // Whether the room has a request of this connection still to handle.
    // Once false, the replies to all of them are in the worker's mailbox
    // (acquire, against RoomInbox's release).
    bool awaitsRoom() const { return m_requestsHandled->load(std::memory_order_acquire) != m_requestsSubmitted; }
    // The earliest time this connection needs onDeadline(), or -1.
    qint64 deadline() const;

    void onReadable(qint64 nowMsecs);
    void onWritable();
    void onDeadline(qint64 nowMsecs);

    // Appends output; the worker writes it out in its next flush. A client
    // whose unsent output would exceed --sendq is dropped as a slow consumer.
    void queue(const QByteArray &bytes);
    // Appends the server's own `welcome`, which is not counted against
    // --sendq: it can be larger (history times the message size), and a
    // newcomer has had no chance to read yet. What follows it is counted.
    void queueWelcome(const QByteArray &bytes);
    // Writes as much queued output as the socket takes now.
    void flush();
    // Queues `last` (if any), flushes it, then closes politely.
    void closeAfter(const QByteArray &last);
    // Closes at once, without telling the room (the caller does).
    void closeNow();

private:
    void decideMode(QByteArrayView &bytes);
    bool processLines(); // true if it took at least one line
    void handleLine(const QByteArray &line);
    void handleJsonLine(const QByteArray &line);
    void handleTextLine(const QByteArray &line);
    bool admit(const QString &ref);
    void leave(Protocol::LeaveReason reason, std::optional<Protocol::ServerFrame> last);
    void onPeerClosed(Protocol::LeaveReason reason);
    void startLinger();
    void updateFrameDeadline(qint64 nowMsecs, bool newFrameStarted);
    void checkTimeouts(qint64 nowMsecs);
    void timeOut(const QString &why);
    // ByteSink: where m_output goes, the plain socket or the TLS session.
    ssize_t write(std::span<const QByteArrayView> pieces) override;
    ssize_t writePlain(std::span<const QByteArrayView> pieces);
    ssize_t writeTls(std::span<const QByteArrayView> pieces);
    void afterTlsRead();
    void refusePlaintext();
    void updateInterest();

    ConnectionHost &m_host;
    int m_fd;
    Wire::ConnectionId m_id;
    const ServerConfig &m_config;
    Wire::Mode m_mode = Wire::Mode::Undecided;
    State m_state = State::Open;
    bool m_member = false;
    bool m_greeted = false;
    quint64 m_requestsSubmitted = 0;
    std::shared_ptr<Wire::HandledCount> m_requestsHandled = std::make_shared<Wire::HandledCount>(0);
    LineReader m_reader;
    RateLimiter m_rateLimiter;
    int m_refusedInARow = 0;
    OutputQueue m_output;
    bool m_watchingWrite = false; // what the host was last asked to watch for
    qint64 m_greetingAt = -1;
    qint64 m_partialLineAt = -1;
    qint64 m_closeBy = -1;
    // Deadlines against idle and half-open connections; -1 when not running.
    qint64 m_idleBy = -1;     // the first byte that decides the mode
    qint64 m_registerBy = -1; // a successful hello (text mode: the first line)
    qint64 m_frameBy = -1;    // the LF of the frame being received
    std::unique_ptr<TlsSession> m_tls;
    qint64 m_handshakeBy = -1; // a TLS client that never finishes its handshake is dropped then
    bool m_firstRecordChecked = false;
};
