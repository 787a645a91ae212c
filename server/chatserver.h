// SPDX-License-Identifier: MIT
#pragma once

#include "serverconfig.h"

#include <QObject>
#include <QSet>

class Listener;
class Room;
class Connection;

// The composition root of chat-server: a Listener that accepts, a Room that
// orders and broadcasts, and one Connection object per client.
class ChatServer final : public QObject
{
    Q_OBJECT

public:
    explicit ChatServer(const ServerConfig &config, QObject *parent = nullptr);
    ~ChatServer() override;

    // Listens on config.host:config.port (port 0 picks a free one).
    bool listen();
    quint16 serverPort() const;
    QString errorString() const;
    int connectionCount() const;

    // Sends `bye` `shutdown` to everyone, flushes, closes; emits finished()
    // when done or after the flush deadline, whichever comes first.
    void shutdown();

signals:
    void finished();

private:
    void acceptConnection(qintptr socketDescriptor);
    void refuseFull(qintptr socketDescriptor);
    void forget(Connection *connection);
    void finishShutdown();

    ServerConfig m_config;
    Listener *m_listener = nullptr;
    Room *m_room = nullptr;
    QSet<Connection *> m_connections;
    quint64 m_nextSerial = 1;
    bool m_shuttingDown = false;
    bool m_finished = false;
};
