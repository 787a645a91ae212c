// SPDX-License-Identifier: MIT
// What a Connection writes: its OutputQueue, the slow-consumer rule, and the
// two ways out (sendmsg, or TLS records). connection.cpp has the rest.
#include "connection.h"

#include "connectionhost.h"
#include "tlssession.h"

#include <QLoggingCategory>

#include <algorithm>
#include <cerrno>
#include <sys/socket.h>
#include <sys/uio.h>

using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcConnection)

namespace {

// One TLS record's worth of plaintext: small queued pieces are gathered into
// one SSL_write instead of one record (and one system call) each.
constexpr qsizetype kTlsRecordBytes = qsizetype{16} * 1024;

} // namespace

bool Connection::wantsWrite() const
{
    if (m_state == State::Closed)
        return false;
    if (!m_tls)
        return !m_output.isEmpty();
    // TLS: watch for what OpenSSL waits for, not for what we asked of it.
    return m_tls->readWantsWrite() || (!m_output.isEmpty() && !m_tls->writeWantsRead());
}

void Connection::updateInterest()
{
    const bool wantWrite = wantsWrite();
    if (m_state == State::Closed || wantWrite == m_watchingWrite)
        return;
    m_watchingWrite = wantWrite;
    m_host.watchWritable(*this, wantWrite);
}

void Connection::queue(const QByteArray &bytes)
{
    if (m_state == State::Closed || m_state == State::Lingering || bytes.isEmpty())
        return;
    // A client that does not read must not make the server buffer without end.
    // Output waits for the worker's batch flush, so one burst of events could
    // fill the queue of a client that reads perfectly well: give the kernel
    // what it takes before judging.
    if (!m_output.fits(bytes.size()) && m_state != State::Draining) {
        flush();
        if (m_state == State::Closed)
            return;
    }
    if (!m_output.fits(bytes.size())) {
        qCInfo(lcConnection) << "connection" << m_id << "is not reading; dropping it as a slow consumer";
        if (m_state == State::Open)
            m_host.announceLeave(*this, LeaveReason::SlowConsumer, std::nullopt);
        closeNow();
        return;
    }
    if (m_output.append(bytes))
        m_host.markDirty(*this);
}

void Connection::queueWelcome(const QByteArray &bytes)
{
    if (m_state == State::Closed || m_state == State::Lingering)
        return;
    if (m_output.appendWelcome(bytes))
        m_host.markDirty(*this);
}

ssize_t Connection::write(std::span<const QByteArrayView> pieces)
{
    return m_tls ? writeTls(pieces) : writePlain(pieces);
}

ssize_t Connection::writePlain(std::span<const QByteArrayView> pieces)
{
    iovec vectors[OutputQueue::kMaxPiecesPerWrite];
    const size_t count = std::min<size_t>(pieces.size(), OutputQueue::kMaxPiecesPerWrite);
    for (size_t i = 0; i < count; ++i) {
        vectors[i].iov_base = const_cast<char *>(pieces[i].data());
        vectors[i].iov_len = size_t(pieces[i].size());
    }
    msghdr message{};
    message.msg_iov = vectors;
    message.msg_iovlen = count;
    return ::sendmsg(m_fd, &message, MSG_NOSIGNAL);
}

ssize_t Connection::writeTls(std::span<const QByteArrayView> pieces)
{
    // SSL_write has no iovec: gather up to one record. A retry after
    // EAGAIN passes at least the bytes of the try before (the queue only
    // grows at the back), as OpenSSL requires.
    const QByteArrayView front = pieces.front();
    if (front.size() >= kTlsRecordBytes || pieces.size() == 1)
        return m_tls->write(front.data(), size_t(front.size()));
    QByteArray &gathered = m_host.tlsRecordBuffer();
    gathered.resize(0);
    gathered.append(front);
    for (auto it = std::next(pieces.begin()); it != pieces.end() && gathered.size() < kTlsRecordBytes; ++it)
        gathered.append(it->first(std::min(it->size(), kTlsRecordBytes - gathered.size())));
    return m_tls->write(gathered.constData(), size_t(gathered.size()));
}

void Connection::flush()
{
    if (m_state == State::Closed)
        return;
    if (m_output.writeTo(*this) == OutputQueue::WriteResult::Failed) {
        if (m_tls && errno == EPROTO)
            qCInfo(lcConnection).noquote() << "connection" << m_id << "TLS error:" << m_tls->error();
        onPeerClosed(LeaveReason::Disconnected);
        return;
    }
    if (m_output.isEmpty() && m_state == State::Draining)
        startLinger();
    updateInterest();
}

void Connection::onWritable()
{
    flush();
    // A TLS read (the handshake) that waited for room to write goes on now.
    if (m_tls && m_tls->readWantsWrite() && m_state != State::Closed)
        onReadable(m_host.nowMsecs());
}
