// SPDX-License-Identifier: MIT
// What a Connection reads becomes requests for the room: the mode the first
// byte decides, lines, decoding, the rate limit and flood detection.
// connection.cpp has the rest of the connection.
#include "connection.h"

#include "connectionhost.h"
#include "framecodec.h"
#include "textcommand.h"
#include "validation.h"

#include <QLoggingCategory>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcConnection)

namespace {

// A connection refused this many times in a row (times the burst, at
// least kMinFloodStrikes) is flooding, not just typing fast.
constexpr int kFloodFactor = 2;
constexpr int kMinFloodStrikes = 10;

bool isLeadingWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

} // namespace

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
    if (m_rateLimiter.tryAcquire(m_host.nowMsecs())) {
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
    m_host.submit(*this, Wire::Request{Error{
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
            m_host.submit(*this, Wire::Request{Error{error->code, error->message, error->ref}});
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
        m_registerBy = m_host.nowMsecs() + m_config.registerTimeoutMsecs;
    m_host.submit(*this, Wire::Request{frame});
}

void Connection::handleTextLine(const QByteArray &line)
{
    if (!Validation::isValidUtf8(line)) {
        if (admit({}))
            m_host.submit(
                *this, Wire::Request{QStringList{u"* error: that line was not valid UTF-8; please send UTF-8 text"_s}});
        return;
    }
    TextCommand::Parsed parsed = TextCommand::parse(QString::fromUtf8(line));
    const bool leaving = parsed.frame && std::holds_alternative<Bye>(*parsed.frame);
    if (!leaving && !admit(parsed.frame ? typeName(*parsed.frame) : QString()))
        return;
    if (!parsed.reply.isEmpty())
        m_host.submit(*this, Wire::Request{std::move(parsed.reply)});
    if (parsed.showTopic)
        m_host.submit(*this, Wire::Request{Wire::ShowTopic{}});
    if (parsed.frame)
        m_host.submit(*this, Wire::Request{*parsed.frame});
}
