// SPDX-License-Identifier: MIT
#include "chatserver.h"

#include "connection.h"
#include "framecodec.h"
#include "listener.h"
#include "room.h"

#include <QLoggingCategory>
#include <QTcpSocket>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_LOGGING_CATEGORY(lcServer, "qtchat.server")

namespace {
// PROTOCOL.md allows 2 s from the signal to exit; leave room for the process to end.
constexpr int kShutdownFlushMsecs = 1500;
// A refused socket gets this long to take its error before it is cut.
constexpr int kRefusalLingerMsecs = 2000;
} // namespace

ChatServer::ChatServer(const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_listener(new Listener(this))
    , m_room(new Room(m_config, this))
{
    // Connections beyond max-clients are refused by us, with a message, not by the kernel's backlog.
    m_listener->setMaxPendingConnections(std::max(30, m_config.maxClients));
    connect(m_listener, &Listener::connectionAccepted, this, &ChatServer::acceptConnection);
}

ChatServer::~ChatServer() = default;

bool ChatServer::listen()
{
    if (!m_listener->listen(m_config.host, m_config.port)) {
        qCCritical(lcServer).noquote() << "cannot listen on" << m_config.host.toString() << m_config.port << ":"
                                       << m_listener->errorString();
        return false;
    }
    qCInfo(lcServer).noquote() << "listening on" << m_listener->serverAddress().toString() + u':'
                                                       + QString::number(m_listener->serverPort());
    return true;
}

quint16 ChatServer::serverPort() const
{
    return m_listener->serverPort();
}

QString ChatServer::errorString() const
{
    return m_listener->errorString();
}

int ChatServer::connectionCount() const
{
    return int(m_connections.size());
}

void ChatServer::acceptConnection(qintptr socketDescriptor)
{
    if (m_shuttingDown || m_connections.size() >= m_config.maxClients) {
        refuseFull(socketDescriptor);
        return;
    }
    auto *socket = new QTcpSocket;
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        qCWarning(lcServer) << "cannot adopt an accepted socket:" << socket->errorString();
        delete socket;
        return;
    }
    auto *connection = new Connection(socket, m_config, m_nextSerial++, this);
    m_connections.insert(connection);
    connect(connection, &Connection::requestReceived, m_room, &Room::handle);
    connect(connection, &Connection::textLineBeforeJoining, m_room, &Room::admitGuest);
    connect(connection, &Connection::leaving, m_room, &Room::leave);
    connect(connection, &Connection::finished, this, &ChatServer::forget);
}

void ChatServer::refuseFull(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    qCInfo(lcServer) << "refusing a connection: server full with" << m_connections.size() << "connections";
    // One JSON line for programs (which skip non-JSON lines before welcome), then one for people.
    const QString message = u"the server is full (%1 users); try again later"_s.arg(m_config.maxClients);
    socket->write(FrameCodec::encode(Error{ErrorCode::ServerFull, message, {}}));
    socket->write((u"* error: "_s + message + u'\n').toUtf8());
    socket->disconnectFromHost();
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(kRefusalLingerMsecs, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
}

void ChatServer::forget(Connection *connection)
{
    m_connections.remove(connection);
    connection->deleteLater();
    if (m_shuttingDown && m_connections.isEmpty())
        finishShutdown();
}

void ChatServer::shutdown()
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    qCInfo(lcServer) << "shutting down;" << m_connections.size() << "connections to close";
    m_listener->close();
    if (m_connections.isEmpty()) {
        QTimer::singleShot(0, this, &ChatServer::finishShutdown);
        return;
    }
    const QSet<Connection *> connections = m_connections;
    for (Connection *connection : connections)
        connection->beginShutdown();
    QTimer::singleShot(kShutdownFlushMsecs, this, [this] {
        const QSet<Connection *> stragglers = m_connections;
        if (!stragglers.isEmpty())
            qCInfo(lcServer) << stragglers.size() << "connections did not close in time; cutting them";
        for (Connection *connection : stragglers)
            connection->abort();
        finishShutdown();
    });
}

void ChatServer::finishShutdown()
{
    if (m_finished)
        return;
    m_finished = true;
    qCInfo(lcServer) << "shutdown complete";
    emit finished();
}
