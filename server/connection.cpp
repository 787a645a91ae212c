// SPDX-License-Identifier: MIT
#include "connection.h"

#include "framecodec.h"
#include "textcommand.h"
#include "tlssession.h"
#include "validation.h"
#include "worker.h"

#include <QLoggingCategory>

#include <algorithm>
#include <cerrno>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_LOGGING_CATEGORY(lcConnection, "qtchat.server.connection")

namespace {

// A connection refused this many times in a row (times the burst, at
// least kMinFloodStrikes) is flooding, not just typing fast.
constexpr int kFloodFactor = 2;
constexpr int kMinFloodStrikes = 10;
// How long a polite close may take before the socket is simply closed.
constexpr qint64 kCloseDeadlineMsecs = 5000;
// Bytes read per wake-up, so one busy client cannot starve the others.
constexpr qsizetype kReadBudget = 256 * 1024;
// writev takes at most this many pieces at once (IOV_MAX is 1024 on Linux).
constexpr int kMaxIoVectors = 256;
// A TLS client has this long to complete its handshake (a plaintext client
// on a TLS port never does, and its greeting cannot reach it).
constexpr qint64 kTlsHandshakeMsecs = 10000;
// One TLS record's worth of plaintext: small queued pieces are gathered into
// one SSL_write instead of one record (and one system call) each.
constexpr qsizetype kTlsRecordBytes = 16 * 1024;
// Every TLS connection starts with a handshake record (content type 22).
constexpr char kTlsHandshakeRecordType = 0x16;

bool isLeadingWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// How the deadlines read in the last line a client gets: "60 s", "0.5 s".
QString seconds(int msecs)
{
    return QString::number(msecs / 1000.0);
}

qint64 earliest(qint64 a, qint64 b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return std::min(a, b);
}

} // namespace

Connection::Connection(Worker &worker, int fd, Wire::ConnectionId id, const ServerConfig &config, qint64 nowMsecs,
                       std::unique_ptr<TlsSession> tls)
    : m_worker(worker)
    , m_fd(fd)
    , m_id(id)
    , m_config(config)
    , m_reader(config.maxFrameBytes)
    , m_rateLimiter(config.rate, config.burst)
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

qint64 Connection::deadline() const
{
    if (m_state == State::Closed)
        return -1;
    qint64 next = earliest(earliest(m_greeted ? -1 : m_greetingAt, m_partialLineAt), m_closeBy);
    // A connection on its way out has only its close deadline left to keep.
    if (m_state == State::Open)
        next = earliest(earliest(earliest(next, m_idleBy), earliest(m_registerBy, m_frameBy)), m_handshakeBy);
    return next;
}

void Connection::setMember(bool member)
{
    m_member = member;
    if (member && m_registerBy >= 0) {
        m_registerBy = -1;
        m_worker.rescheduleDeadline(*this);
    }
}

bool Connection::wantsWrite() const
{
    if (m_state == State::Closed)
        return false;
    if (!m_tls)
        return !m_output.empty();
    // TLS: watch for what OpenSSL waits for, not for what we asked of it.
    return m_tls->readWantsWrite() || (!m_output.empty() && !m_tls->writeWantsRead());
}

void Connection::onReadable(qint64 nowMsecs)
{
    if (m_tls && !m_firstRecordChecked) {
        m_firstRecordChecked = true;
        refusePlaintext();
    }
    QByteArray &scratch = m_worker.scratchBuffer();
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
    m_worker.rescheduleDeadline(*this);
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
    m_outputBytes = 0;
    m_welcomeBytes = 0;
    m_outputOffset = 0;
    m_handshakeBy = -1;
    m_greeted = true;
    m_closeBy = m_worker.nowMsecs() + kCloseDeadlineMsecs;
    startLinger();
    m_worker.updateInterest(*this);
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
    if (m_tls->writeWantsRead() && !m_output.empty())
        flush();
    if (m_state != State::Closed)
        m_worker.updateInterest(*this);
}

void Connection::decideMode(QByteArrayView &bytes)
{
    qsizetype start = 0;
    while (start < bytes.size() && isLeadingWhitespace(bytes.at(start)))
        ++start;
    bytes = bytes.sliced(start);
    if (bytes.isEmpty())
        return;
    m_mode = bytes.at(0) == '{' ? Wire::Mode::Json : Wire::Mode::Text;
    m_greeted = true; // no greeting once the client has spoken
    qCDebug(lcConnection) << "connection" << m_id << (m_mode == Wire::Mode::Json ? "speaks JSON" : "speaks text");
}

bool Connection::processLines()
{
    bool tookLine = false;
    while (m_state == State::Open) {
        std::optional<QByteArray> line = m_reader.takeLine();
        if (!line)
            break;
        tookLine = true;
        handleLine(*line);
    }
    if (m_state != State::Open || !m_reader.hasOverflowed())
        return tookLine;
    qCInfo(lcConnection) << "connection" << m_id << "sent a frame over" << m_config.maxFrameBytes << "bytes";
    leave(LeaveReason::Disconnected,
          Error{ErrorCode::FrameTooLarge,
                u"frame exceeds %1 bytes; closing the connection"_s.arg(m_config.maxFrameBytes),
                {}});
    return tookLine;
}

void Connection::updateFrameDeadline(qint64 nowMsecs, bool newFrameStarted)
{
    // Whatever is buffered after the last LF is one frame in the making; it
    // has to be complete in time however slowly its bytes come, so a client
    // cannot hold a buffer (up to --max-frame) by trickling a byte at a time.
    if (m_reader.bufferedBytes() == 0 || m_config.frameTimeoutMsecs <= 0) {
        m_frameBy = -1;
        return;
    }
    if (newFrameStarted || m_frameBy < 0)
        m_frameBy = nowMsecs + m_config.frameTimeoutMsecs;
}

void Connection::handleLine(const QByteArray &line)
{
    if (line.trimmed().isEmpty())
        return; // blank lines are keep-alives, not requests
    if (m_mode == Wire::Mode::Json)
        handleJsonLine(line);
    else
        handleTextLine(line);
}

bool Connection::admit(const QString &ref)
{
    if (m_rateLimiter.tryAcquire(m_worker.nowMsecs())) {
        m_refusedInARow = 0;
        return true;
    }
    ++m_refusedInARow;
    const int floodStrikes = std::max(kMinFloodStrikes, kFloodFactor * m_config.burst);
    if (m_refusedInARow >= floodStrikes) {
        qCInfo(lcConnection) << "connection" << m_id << "is flooding; closing it";
        leave(LeaveReason::Flood, ServerBye{leaveReasonName(LeaveReason::Flood)});
        return false;
    }
    m_worker.submit(*this, Wire::Request{Error{
                               ErrorCode::RateLimited,
                               u"too many frames: at most %1 per second (bursts of %2); slow down"_s.arg(m_config.rate)
                                   .arg(m_config.burst),
                               ref}});
    return false;
}

void Connection::handleJsonLine(const QByteArray &line)
{
    FrameCodec::Decoded<ClientFrame> decoded = FrameCodec::decodeClientFrame(line);
    if (auto *error = std::get_if<FrameCodec::DecodeError>(&decoded)) {
        if (admit(error->ref))
            m_worker.submit(*this, Wire::Request{Error{error->code, error->message, error->ref}});
        return;
    }
    const ClientFrame &frame = std::get<ClientFrame>(decoded);
    // Leaving is always allowed, even to a client over its limit.
    if (!std::holds_alternative<Bye>(frame) && !admit(typeName(frame)))
        return;
    // Each hello starts the register deadline again: after nick-taken, the
    // project's clients ask a person for another nickname on the same
    // connection. Keeping a connection unregistered this way takes a hello
    // every so often, which is no cheaper for an attacker than registering.
    if (std::holds_alternative<Hello>(frame) && m_registerBy >= 0)
        m_registerBy = m_worker.nowMsecs() + m_config.registerTimeoutMsecs;
    m_worker.submit(*this, Wire::Request{frame});
}

void Connection::handleTextLine(const QByteArray &line)
{
    if (!Validation::isValidUtf8(line)) {
        if (admit({}))
            m_worker.submit(
                *this, Wire::Request{QStringList{u"* error: that line was not valid UTF-8; please send UTF-8 text"_s}});
        return;
    }
    TextCommand::Parsed parsed = TextCommand::parse(QString::fromUtf8(line));
    const bool leaving = parsed.frame && std::holds_alternative<Bye>(*parsed.frame);
    if (!leaving && !admit(parsed.frame ? typeName(*parsed.frame) : QString()))
        return;
    if (!parsed.reply.isEmpty())
        m_worker.submit(*this, Wire::Request{std::move(parsed.reply)});
    if (parsed.frame)
        m_worker.submit(*this, Wire::Request{*parsed.frame});
}

void Connection::leave(LeaveReason reason, std::optional<ServerFrame> last)
{
    if (m_state != State::Open)
        return;
    m_state = State::Leaving;
    m_partialLineAt = -1;
    m_closeBy = m_worker.nowMsecs() + kCloseDeadlineMsecs;
    m_worker.rescheduleDeadline(*this);
    m_worker.announceLeave(*this, reason, std::move(last));
}

void Connection::onPeerClosed(LeaveReason reason)
{
    // A text client may close right after a last line without LF.
    if (m_state == State::Open && m_mode == Wire::Mode::Text) {
        if (std::optional<QByteArray> line = m_reader.takePartial())
            handleLine(*line);
    }
    if (m_state == State::Open)
        m_worker.announceLeave(*this, reason, std::nullopt);
    closeNow();
}

void Connection::queue(const QByteArray &bytes)
{
    if (m_state == State::Closed || m_state == State::Lingering || bytes.isEmpty())
        return;
    // A client that does not read must not make the server buffer without end.
    // Output waits for the worker's batch flush, so one burst of events could
    // fill the queue of a client that reads perfectly well: give the kernel
    // what it takes before judging.
    if (m_outputBytes - m_welcomeBytes + bytes.size() > m_config.sendQueueBytes && m_state != State::Draining) {
        flush();
        if (m_state == State::Closed)
            return;
    }
    if (m_outputBytes - m_welcomeBytes + bytes.size() > m_config.sendQueueBytes) {
        qCInfo(lcConnection) << "connection" << m_id << "is not reading; dropping it as a slow consumer";
        if (m_state == State::Open)
            m_worker.announceLeave(*this, LeaveReason::SlowConsumer, std::nullopt);
        closeNow();
        return;
    }
    const bool wasEmpty = m_output.empty();
    m_output.push_back(bytes);
    m_outputBytes += bytes.size();
    if (wasEmpty)
        m_worker.markDirty(*this);
}

void Connection::queueWelcome(const QByteArray &bytes)
{
    if (m_state == State::Closed || m_state == State::Lingering || bytes.isEmpty())
        return;
    const bool wasEmpty = m_output.empty();
    m_output.push_back(bytes);
    m_outputBytes += bytes.size();
    m_welcomeBytes += bytes.size();
    if (wasEmpty)
        m_worker.markDirty(*this);
}

ssize_t Connection::writePlain()
{
    iovec vectors[kMaxIoVectors];
    int count = 0;
    for (auto it = m_output.begin(); it != m_output.end() && count < kMaxIoVectors; ++it, ++count) {
        const qsizetype skip = count == 0 ? m_outputOffset : 0;
        vectors[count].iov_base = const_cast<char *>(it->constData() + skip);
        vectors[count].iov_len = size_t(it->size() - skip);
    }
    msghdr message{};
    message.msg_iov = vectors;
    message.msg_iovlen = size_t(count);
    return ::sendmsg(m_fd, &message, MSG_NOSIGNAL);
}

ssize_t Connection::writeTls()
{
    // SSL_write has no iovec: gather up to one record. A retry after
    // EAGAIN passes at least the bytes of the try before (the queue only
    // grows at the back), as OpenSSL requires.
    const QByteArray &front = m_output.front();
    const qsizetype frontRest = front.size() - m_outputOffset;
    if (frontRest >= kTlsRecordBytes || m_output.size() == 1)
        return m_tls->write(front.constData() + m_outputOffset, size_t(frontRest));
    QByteArray &gathered = m_worker.tlsWriteBuffer();
    gathered.resize(0);
    gathered.append(front.constData() + m_outputOffset, frontRest);
    for (auto it = std::next(m_output.begin()); it != m_output.end() && gathered.size() < kTlsRecordBytes; ++it)
        gathered.append(it->constData(), std::min(it->size(), kTlsRecordBytes - gathered.size()));
    return m_tls->write(gathered.constData(), size_t(gathered.size()));
}

void Connection::flush()
{
    while (!m_output.empty() && m_state != State::Closed) {
        const ssize_t written = m_tls ? writeTls() : writePlain();
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            if (m_tls && errno == EPROTO)
                qCInfo(lcConnection).noquote() << "connection" << m_id << "TLS error:" << m_tls->error();
            onPeerClosed(LeaveReason::Disconnected);
            return;
        }
        m_outputBytes -= written;
        // Whatever was queued before the welcome (a greeting line) goes out
        // first; counting it as the welcome's only makes the bound stricter.
        m_welcomeBytes = std::max<qsizetype>(0, m_welcomeBytes - written);
        qsizetype left = written;
        while (left > 0) {
            const qsizetype rest = m_output.front().size() - m_outputOffset;
            if (left < rest) {
                m_outputOffset += left;
                break;
            }
            left -= rest;
            m_output.pop_front();
            m_outputOffset = 0;
        }
    }
    if (m_output.empty() && m_state == State::Draining)
        startLinger();
    m_worker.updateInterest(*this);
}

void Connection::onWritable()
{
    flush();
    // A TLS read (the handshake) that waited for room to write goes on now.
    if (m_tls && m_tls->readWantsWrite() && m_state != State::Closed)
        onReadable(m_worker.nowMsecs());
}

void Connection::closeAfter(const QByteArray &last)
{
    if (m_state == State::Closed || m_state == State::Lingering || m_state == State::Draining)
        return;
    if (m_closeBy < 0) {
        m_closeBy = m_worker.nowMsecs() + kCloseDeadlineMsecs;
        m_worker.rescheduleDeadline(*this);
    }
    m_state = State::Leaving; // queue() still accepts the last bytes
    queue(last);
    if (m_state == State::Closed)
        return;
    m_state = State::Draining;
    if (m_output.empty())
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

void Connection::onDeadline(qint64 nowMsecs)
{
    if (m_closeBy >= 0 && nowMsecs >= m_closeBy) {
        closeNow();
        return;
    }
    if (m_handshakeBy >= 0 && nowMsecs >= m_handshakeBy) {
        qCInfo(lcConnection) << "connection" << m_id << "did not complete a TLS handshake; closing it";
        m_handshakeBy = -1;
        onPeerClosed(LeaveReason::Timeout);
        return;
    }
    if (!m_greeted && m_greetingAt >= 0 && nowMsecs >= m_greetingAt) {
        m_greeted = true;
        if (m_mode == Wire::Mode::Undecided && m_state == State::Open) {
            queue(
                Wire::textLines({u"* Welcome to qtchat! Type a message and press Enter to join as a guest "
                                 "(/help lists commands). Programs: send {\"type\":\"hello\",\"nick\":\"NAME\"}."_s}));
        }
    }
    if (m_partialLineAt >= 0 && nowMsecs >= m_partialLineAt) {
        m_partialLineAt = -1;
        if (m_state == State::Open) {
            if (std::optional<QByteArray> line = m_reader.takePartial())
                handleLine(*line);
            updateFrameDeadline(nowMsecs, false);
        }
    }
    checkTimeouts(nowMsecs);
    m_worker.rescheduleDeadline(*this);
}

void Connection::checkTimeouts(qint64 nowMsecs)
{
    if (m_state != State::Open)
        return;
    if (m_idleBy >= 0 && nowMsecs >= m_idleBy) {
        m_idleBy = -1;
        qCInfo(lcConnection) << "connection" << m_id << "sent nothing; closing it";
        // Undecided: nothing of it ever reached the room, so nothing can be
        // in flight there, and the last words go out directly in both forms,
        // as for server-full: a program reads the JSON line, a person the other.
        const QString why =
            u"nothing received for %1 s; closing the connection"_s.arg(seconds(m_config.idleTimeoutMsecs));
        closeAfter(FrameCodec::encode(Error{ErrorCode::Timeout, why, {}}) + Wire::textLines({u"* error: "_s + why}));
        return;
    }
    if (m_registerBy >= 0 && nowMsecs >= m_registerBy) {
        m_registerBy = -1;
        if (!m_member) {
            qCInfo(lcConnection) << "connection" << m_id << "did not register in time; closing it";
            const QString what = m_mode == Wire::Mode::Json ? u"no successful hello"_s : u"no line"_s;
            timeOut(u"%1 within %2 s; closing the connection"_s.arg(what, seconds(m_config.registerTimeoutMsecs)));
            return;
        }
    }
    if (m_frameBy >= 0 && nowMsecs >= m_frameBy) {
        m_frameBy = -1;
        qCInfo(lcConnection) << "connection" << m_id << "is trickling a frame; closing it";
        const QString what = m_mode == Wire::Mode::Json ? u"a frame"_s : u"a line"_s;
        timeOut(u"%1 took more than %2 s to arrive; closing the connection"_s.arg(what,
                                                                                  seconds(m_config.frameTimeoutMsecs)));
    }
}

void Connection::timeOut(const QString &why)
{
    // Through the room like every other reply, so that answers to requests
    // already sent come first; the others see `left` `timeout` if it was a member.
    leave(LeaveReason::Timeout, Error{ErrorCode::Timeout, why, {}});
}

void Connection::closeNow()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_output.clear();
    m_outputBytes = 0;
    m_welcomeBytes = 0;
    m_worker.retire(*this);
}
