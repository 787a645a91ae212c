// SPDX-License-Identifier: MIT
// Connection's socket from accept to close: reading, TLS, leaving, closing.
// connectionrequests.cpp turns what it reads into requests,
// connectionoutput.cpp writes what it is sent, connectiondeadlines.cpp
// keeps its deadlines.
#include "connection.h"

#include "connectionhost.h"
#include "tlssession.h"

#include <QLoggingCategory>

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_LOGGING_CATEGORY(lcConnection, "qtchat.server.connection")

namespace {

// How long a polite close may take before the socket is simply closed.
constexpr qint64 kCloseDeadlineMsecs = 5000;
// Bytes read per wake-up, so one busy client cannot starve the others.
constexpr qsizetype kReadBudget = qsizetype{256} * 1024;
// A TLS client has this long to complete its handshake (a plaintext client
// on a TLS port never does, and its greeting cannot reach it).
constexpr qint64 kTlsHandshakeMsecs = 10000;
// Every TLS connection starts with a handshake record (content type 22).
constexpr char kTlsHandshakeRecordType = 0x16;

} // namespace

Connection::Connection(ConnectionHost &host, int fd, Wire::ConnectionId id, const ServerConfig &config, qint64 nowMsecs,
                       std::unique_ptr<TlsSession> tls)
    : m_host(host)
    , m_fd(fd)
    , m_id(id)
    , m_config(config)
    , m_reader(config.maxFrameBytes)
    , m_rateLimiter(config.rate, config.burst)
    , m_output(config.sendQueueBytes)
    , m_greetingAt(nowMsecs + config.greetingDelayMsecs)
    , m_idleBy(config.idleTimeoutMsecs > 0 ? nowMsecs + config.idleTimeoutMsecs : -1)
    , m_tls(std::move(tls))
    , m_handshakeBy(m_tls ? nowMsecs + kTlsHandshakeMsecs : -1)
{}

Connection::~Connection()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

void Connection::setMember(bool member)
{
    m_member = member;
    if (member && m_registerBy >= 0) {
        m_registerBy = -1;
        m_host.rescheduleDeadline(*this);
    }
}

void Connection::onReadable(qint64 nowMsecs)
{
    if (m_tls && !m_firstRecordChecked) {
        m_firstRecordChecked = true;
        refusePlaintext();
    }
    QByteArray &scratch = m_host.readBuffer();
    qsizetype total = 0;
    while (total < kReadBudget && m_state != State::Closed) {
        // TLS: with read-ahead off and a scratch buffer larger than a
        // record, each SSL_read takes a whole record, so nothing waits in
        // OpenSSL that epoll would not report (SSL_pending stays 0).
        const ssize_t n = m_tls ? m_tls->read(scratch.data(), size_t(scratch.size()))
                                : ::recv(m_fd, scratch.data(), size_t(scratch.size()), 0);
        if (n > 0) {
            total += n;
            if (m_state != State::Open)
                continue; // a leaving connection's input is read only to be dropped
            QByteArrayView bytes(scratch.constData(), n);
            if (m_mode == Wire::Mode::Undecided) {
                decideMode(bytes);
                if (m_mode != Wire::Mode::Undecided) {
                    m_idleBy = -1;
                    if (!m_member && m_config.registerTimeoutMsecs > 0)
                        m_registerBy = nowMsecs + m_config.registerTimeoutMsecs;
                }
            }
            if (m_mode != Wire::Mode::Undecided && !bytes.isEmpty()) {
                const bool startsFrame = m_reader.bufferedBytes() == 0;
                m_reader.append(bytes);
                const bool tookLine = processLines();
                updateFrameDeadline(nowMsecs, startsFrame || tookLine);
            }
            continue;
        }
        if (n == 0) {
            onPeerClosed(LeaveReason::Disconnected);
            return;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            break;
        if (m_tls && errno == EPROTO)
            qCInfo(lcConnection).noquote() << "connection" << m_id << "TLS error:" << m_tls->error();
        onPeerClosed(errno == ETIMEDOUT ? LeaveReason::Timeout : LeaveReason::Disconnected);
        return;
    }
    if (m_tls)
        afterTlsRead();

    // Text clients that never send a line ending (the tutorial's raw socket
    // client) get their partial line taken once they pause.
    const bool partial = m_state == State::Open && m_mode == Wire::Mode::Text && m_reader.bufferedBytes() > 0;
    m_partialLineAt = partial ? nowMsecs + m_config.partialLineMsecs : -1;
    m_host.rescheduleDeadline(*this);
}

void Connection::refusePlaintext()
{
    char first = 0;
    if (::recv(m_fd, &first, 1, MSG_PEEK) != 1 || first == kTlsHandshakeRecordType)
        return;
    // netcat or a plaintext client on a TLS port: tell the person in words
    // they can read (JSON clients skip such lines and see the close), rather
    // than the silent close OpenSSL would give them.
    qCInfo(lcConnection) << "connection" << m_id << "does not speak TLS; telling it so and closing";
    const QByteArray notice =
        Wire::textLines({u"* error: this server speaks TLS on this port; connect with TLS "
                         "(chat-console --tls, chat-gui's TLS box, or openssl s_client -connect HOST:PORT)"_s});
    ::send(m_fd, notice.constData(), size_t(notice.size()), MSG_NOSIGNAL);
    // From here on a plain socket, read to its end so that closing does not
    // reset the connection under the notice.
    m_tls.reset();
    m_output.clear(); // anything queued (a server-full refusal) was meant to go inside TLS
    m_handshakeBy = -1;
    m_greeted = true;
    m_closeBy = m_host.nowMsecs() + kCloseDeadlineMsecs;
    startLinger();
    updateInterest();
}

void Connection::afterTlsRead()
{
    if (m_state == State::Closed)
        return;
    if (m_handshakeBy >= 0 && m_tls->isEstablished()) {
        m_handshakeBy = -1;
        qCDebug(lcConnection) << "connection" << m_id << "TLS established";
    }
    // Output held back for the handshake can go now.
    if (m_tls->writeWantsRead() && !m_output.isEmpty())
        flush();
    updateInterest();
}

void Connection::leave(LeaveReason reason, std::optional<ServerFrame> last)
{
    if (m_state != State::Open)
        return;
    m_state = State::Leaving;
    m_partialLineAt = -1;
    m_closeBy = m_host.nowMsecs() + kCloseDeadlineMsecs;
    m_host.rescheduleDeadline(*this);
    m_host.announceLeave(*this, reason, std::move(last));
}

void Connection::onPeerClosed(LeaveReason reason)
{
    // A text client may close right after a last line without LF.
    if (m_state == State::Open && m_mode == Wire::Mode::Text) {
        if (std::optional<QByteArray> line = m_reader.takePartial())
            handleLine(*line);
    }
    if (m_state == State::Open)
        m_host.announceLeave(*this, reason, std::nullopt);
    closeNow();
}

void Connection::closeAfter(const QByteArray &last)
{
    if (m_state == State::Closed || m_state == State::Lingering || m_state == State::Draining)
        return;
    if (m_closeBy < 0) {
        m_closeBy = m_host.nowMsecs() + kCloseDeadlineMsecs;
        m_host.rescheduleDeadline(*this);
    }
    m_state = State::Leaving; // queue() still accepts the last bytes
    queue(last);
    if (m_state == State::Closed)
        return;
    m_state = State::Draining;
    if (m_output.isEmpty())
        startLinger();
}

void Connection::startLinger()
{
    // Shut only our side: closing outright while the peer still sends would
    // reset the connection and could destroy the last bytes in flight.
    if (m_tls)
        m_tls->shutdown();
    ::shutdown(m_fd, SHUT_WR);
    m_state = State::Lingering;
}

void Connection::closeNow()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_output.clear();
    m_host.retire(*this);
}
