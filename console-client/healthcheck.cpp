// SPDX-License-Identifier: MIT
#include "healthcheck.h"

#include "consoleoutput.h"
#include "exitcode.h"
#include "framecodec.h"

#include <QSslSocket>
#include <QTcpSocket>

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace {

// "Within a few seconds", and under Docker's usual 5 s health-check
// timeout, so our clear message is what ends up in the container's log.
constexpr int kCheckTimeoutMsecs = 4000;
// How long the `bye` may take to leave before the process ends anyway.
constexpr int kByeFlushMsecs = 1000;
// Enough for the greeting and an `error`; a pong is tiny.
constexpr qsizetype kMaxLineBytes = 64 * 1024;
const QJsonValue kPingId = QJsonValue(u"check"_s);

} // namespace

HealthCheck::HealthCheck(const QString &host, quint16 port, bool tls, ConsoleOutput &output, QObject *parent)
    : QObject(parent)
    , m_host(host)
    , m_port(port)
    , m_output(output)
    , m_socket(tls ? new QSslSocket(this) : new QTcpSocket(this))
    , m_lines(kMaxLineBytes)
    , m_tls(tls)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        // Not "%n second(s)": chat-console loads no translator, so that would
        // print literally, and the limit is a constant above one second.
        fail(tr("%1 did not answer within %2 seconds.").arg(address()).arg(kCheckTimeoutMsecs / 1000));
    });
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket)) {
        ssl->setPeerVerifyMode(QSslSocket::VerifyNone);
        connect(ssl, &QSslSocket::encrypted, this, &HealthCheck::onConnected);
    } else {
        connect(m_socket, &QTcpSocket::connected, this, &HealthCheck::onConnected);
    }
    connect(m_socket, &QTcpSocket::readyRead, this, &HealthCheck::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        switch (error) {
        case QAbstractSocket::ConnectionRefusedError:
            fail(tr("Connection refused by %1: is the server running?").arg(address()));
            return;
        case QAbstractSocket::HostNotFoundError:
            fail(tr("Unknown host \"%1\".").arg(m_host));
            return;
        case QAbstractSocket::RemoteHostClosedError:
            fail(tr("%1 closed the connection without answering.").arg(address()));
            return;
        default:
            fail(tr("Cannot reach %1: %2").arg(address(), m_socket->errorString()));
            return;
        }
    });
}

QString HealthCheck::address() const
{
    return u"%1:%2"_s.arg(m_host).arg(m_port);
}

void HealthCheck::start()
{
    m_deadline.start(kCheckTimeoutMsecs);
    if (m_tls)
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(m_host, m_port);
    else
        m_socket->connectToHost(m_host, m_port);
}

void HealthCheck::onConnected()
{
    // Timed from here: the answer time of the server, not of DNS and connect.
    m_roundTrip.start();
    m_socket->write(FrameCodec::encode(Ping{kPingId}));
}

void HealthCheck::onReadyRead()
{
    m_lines.append(m_socket->readAll());
    while (!m_done) {
        const std::optional<QByteArray> line = m_lines.takeLine();
        if (!line)
            return;
        // The greeting for humans and anything else that is not a frame.
        if (!FrameCodec::looksLikeJsonObject(*line))
            continue;
        const auto decoded = FrameCodec::decodeServerFrame(*line);
        const auto *frame = std::get_if<ServerFrame>(&decoded);
        if (!frame)
            continue;
        if (const auto *pong = std::get_if<Pong>(frame)) {
            if (pong->id != kPingId)
                continue;
            const double msecs = double(m_roundTrip.nsecsElapsed()) / 1e6;
            succeed(tr("%1 answered in %2 ms").arg(address(), QString::number(msecs, 'f', 1)));
            return;
        }
        if (const auto *error = std::get_if<Error>(frame)) {
            // Full is a healthy server doing its job; restarting it would not help.
            if (error->code == ErrorCode::ServerFull) {
                succeed(tr("%1 is up but full: %2").arg(address(), error->message));
                return;
            }
            fail(tr("%1 answered with an error: %2").arg(address(), error->message));
            return;
        }
    }
}

void HealthCheck::succeed(const QString &message)
{
    if (m_done)
        return;
    m_output.event(message);
    finish(ExitCode::kOk);
}

void HealthCheck::fail(const QString &message)
{
    // After success the server closing on our `bye` is no failure.
    if (m_done)
        return;
    m_output.fatal(message);
    finish(ExitCode::kConnectFailed);
}

void HealthCheck::finish(int exitCode)
{
    if (m_done)
        return;
    m_done = true;
    m_deadline.stop();
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        m_socket->abort();
        emit finished(exitCode);
        return;
    }
    // Leave politely so the server does not log a broken connection.
    connect(
        m_socket, &QTcpSocket::disconnected, this, [this, exitCode] { emit finished(exitCode); }, Qt::QueuedConnection);
    QTimer::singleShot(kByeFlushMsecs, this, [this, exitCode] { emit finished(exitCode); });
    m_socket->write(FrameCodec::encode(Bye{}));
    m_socket->disconnectFromHost();
}
