// SPDX-License-Identifier: MIT
#pragma once

#include "addresscounter.h"
#include "messagelog.h" // complete: callers pass and destroy the unique_ptr
#include "serverconfig.h"
#include "wire.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSet>

#include <memory>

class Listener;
class QThread;
class Room;
class RoomInbox;
class TlsContext;
class Worker;

// The composition root of chat-server: a Listener that accepts, worker
// threads that serve the connections, and the Room that orders and
// broadcasts, in the main thread.
class ChatServer final : public QObject
{
    Q_OBJECT

public:
    // Messages go to `log`; without one, to memory (MessageLog::open() opens
    // the one the configuration asks for).
    explicit ChatServer(const ServerConfig &config, std::unique_ptr<MessageLog> log = {}, QObject *parent = nullptr);
    ~ChatServer() override;

    // Sets up TLS if configured (loading or making the certificate), then
    // listens on config.host:config.port (port 0 picks a free one).
    bool listen();
    // SHA-256 fingerprint of the TLS certificate ("AB:CD:..."); empty without TLS.
    QString tlsFingerprint() const;
    quint16 serverPort() const;
    QString errorString() const;
    int connectionCount() const;
    int threadCount() const { return int(m_workers.size()); }
    // Any thread: requests handed to the room and not handled yet, the
    // measure of ServerConfig::maxRequestsInRoom (tests wait on it).
    int requestsWaitingForRoom() const;
    // Test hook for ServerConfig::deadlineClock: after the test moved its
    // clock, every worker runs the deadlines now due (queued, in its thread).
    void checkDeadlines();

    // Sends `bye` `shutdown` to everyone, flushes, closes; emits finished()
    // when done or after the flush deadline, whichever comes first.
    void shutdown();

signals:
    void finished();

private:
    bool setUpTls();
    void acceptConnection(qintptr socketDescriptor);
    void refuse(Worker *worker, int fd, Wire::ConnectionId id, const QString &message);
    void connectionClosed(Wire::ConnectionId id);
    void workerDrained();
    void finishShutdown();

    ServerConfig m_config;
    Listener *m_listener = nullptr;
    Room *m_room = nullptr;
    RoomInbox *m_roomInbox = nullptr;
    QList<Worker *> m_workers;
    std::shared_ptr<const TlsContext> m_tls;
    QString m_tlsError;
    QString m_roomError;
    QList<QThread *> m_threads;
    QSet<Wire::ConnectionId> m_open;
    // --max-per-ip: counted here, in the one thread that both accepts and
    // hears of every close, so the count needs no lock. Filled only when the
    // limit is on.
    AddressCounter m_perAddress;
    QHash<Wire::ConnectionId, QHostAddress> m_addressOf;
    Wire::ConnectionId m_nextId = 1;
    int m_nextWorker = 0;
    int m_drainedWorkers = 0;
    bool m_shuttingDown = false;
    bool m_finished = false;
};
