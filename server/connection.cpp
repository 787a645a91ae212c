// SPDX-License-Identifier: MIT
#include "connection.h"

#include "broadcast.h"
#include "eventtext.h"
#include "framecodec.h"
#include "textcommand.h"
#include "validation.h"

#include <QLoggingCategory>
#include <QTcpSocket>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_LOGGING_CATEGORY(lcConnection, "qtchat.server.connection")

namespace {

// A connection that keeps sending over its rate limit this many times in a
// row (times the burst) is flooding, not just typing fast.
constexpr int kFloodFactor = 2;
constexpr int kMinFloodStrikes = 10;
// How long a polite close may wait for the client to take its last bytes.
constexpr int kCloseDeadlineMsecs = 5000;
// Keepalive: first probe after a minute of silence, then every 10 s, 6 tries.
constexpr int kKeepIdleSecs = 60;
constexpr int kKeepIntervalSecs = 10;
constexpr int kKeepCount = 6;
// History lines a text-mode user sees on joining, for context.
constexpr int kTextHistoryLines = 10;

bool isLeadingWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

QByteArray textLine(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    bytes.append('\n');
    return bytes;
}

} // namespace

Connection::Connection(QTcpSocket *socket, const ServerConfig &config, quint64 serial, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_config(config)
    , m_serial(serial)
    , m_reader(config.maxFrameBytes)
    , m_rateLimiter(config.rate, config.burst)
{
    m_socket->setParent(this);
    m_peer = m_socket->peerAddress().toString() + u':' + QString::number(m_socket->peerPort());
    m_clock.start();
    tuneSocket();

    m_greetingTimer.setSingleShot(true);
    m_greetingTimer.setInterval(config.greetingDelayMsecs);
    m_partialLineTimer.setSingleShot(true);
    m_partialLineTimer.setInterval(config.partialLineMsecs);
    m_closeDeadline.setSingleShot(true);
    m_closeDeadline.setInterval(kCloseDeadlineMsecs);

    connect(&m_greetingTimer, &QTimer::timeout, this, &Connection::sendGreeting);
    connect(&m_partialLineTimer, &QTimer::timeout, this, &Connection::flushPartialLine);
    connect(&m_closeDeadline, &QTimer::timeout, this, &Connection::abort);
    connect(m_socket, &QTcpSocket::readyRead, this, &Connection::readIncoming);
    connect(m_socket, &QTcpSocket::disconnected, this, &Connection::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error == QAbstractSocket::SocketTimeoutError)
            m_socketErrorReason = LeaveReason::Timeout;
        qCDebug(lcConnection) << m_serial << "socket error:" << m_socket->errorString();
    });

    m_greetingTimer.start();
    qCInfo(lcConnection).noquote() << "connection" << m_serial << "from" << m_peer;

    // Bytes may already be waiting (the client spoke first).
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &Connection::readIncoming, Qt::QueuedConnection);
}

Connection::~Connection() = default;

void Connection::tuneSocket()
{
    m_socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    const int fd = int(m_socket->socketDescriptor());
    if (fd < 0)
        return;
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &kKeepIdleSecs, sizeof kKeepIdleSecs);
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &kKeepIntervalSecs, sizeof kKeepIntervalSecs);
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &kKeepCount, sizeof kKeepCount);
}

void Connection::readIncoming()
{
    QByteArray bytes = m_socket->readAll();
    if (m_state != State::Active || bytes.isEmpty())
        return; // a leaving connection's input is read only to be dropped

    if (m_mode == Mode::Undecided) {
        decideMode(bytes);
        if (m_mode == Mode::Undecided)
            return;
    }
    m_reader.append(bytes);
    processLines();
}

void Connection::decideMode(QByteArray &bytes)
{
    qsizetype start = 0;
    while (start < bytes.size() && isLeadingWhitespace(bytes.at(start)))
        ++start;
    if (start == bytes.size())
        return;
    bytes.remove(0, start);
    m_mode = bytes.at(0) == '{' ? Mode::Json : Mode::Text;
    m_greetingTimer.stop();
    qCInfo(lcConnection) << "connection" << m_serial << (m_mode == Mode::Json ? "speaks JSON" : "speaks text");
}

void Connection::processLines()
{
    while (m_state == State::Active) {
        std::optional<QByteArray> line = m_reader.takeLine();
        if (!line)
            break;
        handleLine(*line);
    }
    if (m_state != State::Active)
        return;

    if (m_reader.hasOverflowed()) {
        qCInfo(lcConnection) << "connection" << m_serial << "sent a frame over" << m_config.maxFrameBytes << "bytes";
        const QString message = u"frame exceeds %1 bytes; closing the connection"_s.arg(m_config.maxFrameBytes);
        closeAfter(Error{ErrorCode::FrameTooLarge, message, {}}, LeaveReason::Disconnected);
        return;
    }

    // Text clients that never send a line ending (the tutorial's raw socket
    // client) get their partial line taken once they pause.
    if (m_mode == Mode::Text && m_reader.bufferedBytes() > 0)
        m_partialLineTimer.start();
    else
        m_partialLineTimer.stop();
}

void Connection::flushPartialLine()
{
    if (m_state != State::Active)
        return;
    if (std::optional<QByteArray> line = m_reader.takePartial())
        handleLine(*line);
}

void Connection::handleLine(const QByteArray &line)
{
    if (line.trimmed().isEmpty())
        return; // blank lines are keep-alives, not requests
    if (m_mode == Mode::Json)
        handleJsonLine(line);
    else
        handleTextLine(line);
}

bool Connection::admitFrame(const QString &ref)
{
    if (m_rateLimiter.tryAcquire(m_clock.elapsed())) {
        m_refusedInARow = 0;
        return true;
    }
    ++m_refusedInARow;
    const int floodStrikes = std::max(kMinFloodStrikes, kFloodFactor * m_config.burst);
    if (m_refusedInARow >= floodStrikes) {
        qCInfo(lcConnection) << "connection" << m_serial << "is flooding; closing it";
        closeAfter(ServerBye{leaveReasonName(LeaveReason::Flood)}, LeaveReason::Flood);
        return false;
    }
    sendFrame(Error{ErrorCode::RateLimited,
                    u"too many frames: at most %1 per second (bursts of %2); slow down"_s.arg(m_config.rate).arg(
                        m_config.burst),
                    ref});
    return false;
}

void Connection::handleJsonLine(const QByteArray &line)
{
    FrameCodec::Decoded<ClientFrame> decoded = FrameCodec::decodeClientFrame(line);
    if (auto *error = std::get_if<FrameCodec::DecodeError>(&decoded)) {
        if (admitFrame(error->ref))
            sendFrame(Error{error->code, error->message, error->ref});
        return;
    }
    const ClientFrame &frame = std::get<ClientFrame>(decoded);
    // Leaving is always allowed, even to a client over its limit.
    if (!std::holds_alternative<Bye>(frame) && !admitFrame(typeName(frame)))
        return;
    emit requestReceived(this, frame);
}

void Connection::handleTextLine(const QByteArray &line)
{
    if (!Validation::isValidUtf8(line)) {
        if (admitFrame({}))
            sendTextLines({u"* error: that line was not valid UTF-8; please send UTF-8 text"_s});
        return;
    }
    const TextCommand::Parsed parsed = TextCommand::parse(QString::fromUtf8(line));
    const bool leavingRequest = parsed.frame && std::holds_alternative<Bye>(*parsed.frame);
    if (!leavingRequest && !admitFrame(parsed.frame ? typeName(*parsed.frame) : QString()))
        return;
    // Any first line registers, even one that is only for this user (/help, a typo'd command).
    if (!isRegistered())
        emit textLineBeforeJoining(this);
    sendTextLines(parsed.reply);
    if (parsed.frame)
        emit requestReceived(this, *parsed.frame);
}

void Connection::sendGreeting()
{
    if (m_state != State::Active || m_mode != Mode::Undecided)
        return;
    write(textLine(u"* Welcome to qtchat! Type a message and press Enter to join as a guest "
                   "(/help lists commands). Programs: send {\"type\":\"hello\",\"nick\":\"NAME\"}."_s));
}

void Connection::sendFrame(const ServerFrame &frame)
{
    if (m_state != State::Active)
        return;
    write(m_mode == Mode::Text ? renderText(frame) : FrameCodec::encode(frame));
}

void Connection::sendTextLines(const QStringList &lines)
{
    if (m_state != State::Active || m_mode != Mode::Text || lines.isEmpty())
        return;
    write(textLine(lines.join(u'\n')));
}

void Connection::deliver(const Broadcast &event)
{
    if (m_state != State::Active || event.except() == this)
        return;
    write(m_mode == Mode::Text ? event.textLine() : event.jsonLine());
}

void Connection::write(const QByteArray &bytes)
{
    // A client that does not read must not make the server buffer without end.
    // QTcpSocket only hands its buffer to the kernel on the next event-loop
    // turn, so one read that fans out many frames would count against clients
    // that read perfectly well; give the kernel what it takes before judging.
    if (m_socket->bytesToWrite() + bytes.size() > m_config.sendQueueBytes) {
        m_socket->flush();
        if (m_state != State::Active)
            return; // the flush found the connection broken
    }
    if (m_socket->bytesToWrite() + bytes.size() > m_config.sendQueueBytes) {
        qCInfo(lcConnection) << "connection" << m_serial << "is not reading; dropping it as a slow consumer";
        leave(LeaveReason::SlowConsumer);
        abort();
        return;
    }
    m_socket->write(bytes);
}

QByteArray Connection::renderText(const ServerFrame &frame) const
{
    const auto *welcome = std::get_if<Welcome>(&frame);
    if (!welcome)
        return textLine(EventText::render(frame, m_nick));

    QStringList lines;
    const qsizetype firstRecent = std::max<qsizetype>(0, welcome->history.size() - kTextHistoryLines);
    for (qsizetype i = firstRecent; i < welcome->history.size(); ++i)
        lines.append(EventText::renderMessage(welcome->history.at(i)));
    lines.append(EventText::render(frame, m_nick));
    lines.append(u"* You are %1. Change it with /nick NAME. Commands: /nick /msg /me /who /help /quit"_s.arg(
        welcome->nick));
    return textLine(lines.join(u'\n'));
}

void Connection::closeAfter(const ServerFrame &last, LeaveReason reason, const QString &message)
{
    if (m_state != State::Active)
        return;
    sendFrame(last);
    if (m_state != State::Active)
        return; // the last frame overflowed the send queue: already gone
    leave(reason, message);
    m_state = State::Closing;
    m_greetingTimer.stop();
    m_partialLineTimer.stop();
    m_closeDeadline.start();
    m_socket->disconnectFromHost();
}

void Connection::beginShutdown()
{
    if (m_state != State::Active)
        return;
    sendFrame(ServerBye{leaveReasonName(LeaveReason::Shutdown)});
    // No `left` for anyone: everybody is getting the same `bye`.
    m_leaveAnnounced = true;
    m_state = State::Closing;
    m_socket->disconnectFromHost();
}

void Connection::abort()
{
    m_state = State::Closed;
    m_socket->abort();
    // abort() emits disconnected only if the socket was still connected.
    onDisconnected();
}

void Connection::leave(LeaveReason reason, const QString &message)
{
    if (m_leaveAnnounced)
        return;
    m_leaveAnnounced = true;
    m_state = m_state == State::Active ? State::Closing : m_state;
    emit leaving(this, reason, message);
}

void Connection::onDisconnected()
{
    if (m_finished)
        return;
    m_finished = true;
    m_greetingTimer.stop();
    m_partialLineTimer.stop();
    m_closeDeadline.stop();
    leave(m_socketErrorReason);
    m_state = State::Closed;
    qCInfo(lcConnection) << "connection" << m_serial << "closed";
    emit finished(this);
}
