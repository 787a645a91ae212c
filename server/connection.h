// SPDX-License-Identifier: MIT
#pragma once

#include "linereader.h"
#include "protocol.h"
#include "ratelimiter.h"
#include "serverconfig.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class Broadcast;
class QTcpSocket;

// One client: its socket, its mode (JSON or text, decided by the first byte),
// framing, rate limit and bounded output. It turns what the client sends into
// requests for the room and what the room publishes into bytes for the client.
class Connection final : public QObject
{
    Q_OBJECT

public:
    enum class Mode { Undecided, Json, Text };

    Connection(QTcpSocket *socket, const ServerConfig &config, quint64 serial, QObject *parent = nullptr);
    ~Connection() override;

    quint64 serial() const { return m_serial; }
    Mode mode() const { return m_mode; }
    QString peer() const { return m_peer; }
    const QString &nick() const { return m_nick; }
    void setNick(const QString &nick) { m_nick = nick; }
    bool isRegistered() const { return !m_nick.isEmpty(); }
    // False once the connection is leaving; nothing more is sent to it.
    bool isActive() const { return m_state == State::Active; }

    // A reply or direct event, encoded for this connection's mode.
    void sendFrame(const Protocol::ServerFrame &frame);
    // Lines shown only to a text-mode user (help, usage); JSON clients get nothing.
    void sendTextLines(const QStringList &lines);
    // Slot for Room::published.
    void deliver(const Broadcast &event);

    // Sends `last`, flushes and closes; the room hears `reason`.
    void closeAfter(const Protocol::ServerFrame &last, Protocol::LeaveReason reason, const QString &message = {});
    // Server shutdown: `bye` `shutdown`, flush, close, without a `left` for anyone.
    void beginShutdown();
    void abort();

signals:
    void requestReceived(Connection *connection, const Protocol::ClientFrame &frame);
    // A text-mode client sent a line while not registered (PROTOCOL.md: its first line registers it).
    void textLineBeforeJoining(Connection *connection);
    // The user is leaving the room (emitted once, as soon as that is certain).
    void leaving(Connection *connection, Protocol::LeaveReason reason, const QString &message);
    // The socket is closed; the object can go.
    void finished(Connection *connection);

private:
    enum class State { Active, Closing, Closed };

    void readIncoming();
    void decideMode(QByteArray &bytes);
    void processLines();
    void flushPartialLine();
    void handleLine(const QByteArray &line);
    void handleJsonLine(const QByteArray &line);
    void handleTextLine(const QByteArray &line);
    bool admitFrame(const QString &ref);
    void sendGreeting();
    void write(const QByteArray &bytes);
    QByteArray renderText(const Protocol::ServerFrame &frame) const;
    void leave(Protocol::LeaveReason reason, const QString &message = {});
    void onDisconnected();
    void tuneSocket();

    QTcpSocket *m_socket;
    const ServerConfig &m_config;
    quint64 m_serial;
    QString m_peer;
    QString m_nick;
    Mode m_mode = Mode::Undecided;
    State m_state = State::Active;
    bool m_leaveAnnounced = false;
    bool m_finished = false;
    Protocol::LeaveReason m_socketErrorReason = Protocol::LeaveReason::Disconnected;
    LineReader m_reader;
    RateLimiter m_rateLimiter;
    int m_refusedInARow = 0;
    QElapsedTimer m_clock;
    QTimer m_greetingTimer;
    QTimer m_partialLineTimer;
    QTimer m_closeDeadline;
};
