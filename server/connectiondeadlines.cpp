// SPDX-License-Identifier: MIT
// A Connection's deadlines (docs/protocol.md, "Deadlines"): the greeting,
// idle, register, frame, partial-line, TLS handshake and close timers. The
// worker's DeadlineQueue calls onDeadline() at the earliest of them.
#include "connection.h"

#include "connectionhost.h"
#include "framecodec.h"

#include <QLoggingCategory>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcConnection)

namespace {

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
    m_host.rescheduleDeadline(*this);
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
