// SPDX-License-Identifier: MIT
#include "chatserver.h"

#include "broadcast.h"
#include "framecodec.h"
#include "handoff.h"
#include "listener.h"
#include "memorymessagelog.h"
#include "room.h"
#include "roominbox.h"
#include "selfsignedcertificate.h"
#include "tlscontext.h"
#include "worker.h"

#include <QLoggingCategory>
#include <QThread>
#include <QTimer>

#include <sys/socket.h>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_LOGGING_CATEGORY(lcServer, "qtchat.server")

namespace {
// PROTOCOL.md allows 2 s from the signal to exit; leave room for the process to end.
constexpr int kShutdownFlushMsecs = 1500;

void registerMetaTypes()
{
    qRegisterMetaType<Wire::Mode>();
    qRegisterMetaType<Wire::Request>();
    qRegisterMetaType<BroadcastPtr>();
    qRegisterMetaType<Protocol::LeaveReason>();
    qRegisterMetaType<Wire::LastWords>();
}

QHostAddress peerAddress(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    return QHostAddress(reinterpret_cast<const sockaddr *>(&address));
}
} // namespace

ChatServer::ChatServer(const ServerConfig &config, std::unique_ptr<MessageLog> log, QObject *parent)
    : QObject(parent), m_config(config), m_listener(new Listener(this)), m_perAddress(m_config.maxPerIp)
{
    if (!log)
        log = std::make_unique<MemoryMessageLog>(MemoryMessageLog::capacityFor(m_config.history));
    m_room = new Room(m_config, RoomBackend::create(m_config, std::move(log)), this);
    m_roomInbox = new RoomInbox(*m_room, this);
    registerMetaTypes();
    // Connections beyond max-clients are refused by us, with a message, not by the kernel's backlog.
    m_listener->setMaxPendingConnections(std::max(30, m_config.maxClients));
    connect(m_listener, &Listener::connectionAccepted, this, &ChatServer::acceptConnection);

    const int threads = m_config.threads > 0 ? m_config.threads : std::max(1, QThread::idealThreadCount());
    for (int i = 0; i < threads; ++i) {
        auto *thread = new QThread(this);
        thread->setObjectName(u"worker-%1"_s.arg(i));
        auto *worker = new Worker(m_config, i, *m_roomInbox);
        worker->moveToThread(thread);
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        connect(worker, &Worker::closed, this, &ChatServer::connectionClosed);
        connect(worker, &Worker::drained, this, &ChatServer::workerDrained);
        // Direct: into the worker's mailbox, in order with the room's replies.
        connect(m_room, &Room::published, worker, &Worker::queueDeliver, Qt::DirectConnection);
        thread->start();
        QMetaObject::invokeMethod(worker, &Worker::start, Qt::QueuedConnection);
        m_threads.append(thread);
        m_workers.append(worker);
    }
    m_roomInbox->setWorkers(m_workers);
}

ChatServer::~ChatServer()
{
    m_listener->close();
    // The room (this thread) calls into the workers until here; each worker
    // is destroyed in its own thread once quit() reaches it. Qt orders the
    // two, but through a lock TSan cannot see (server/handoff.h).
    for (Worker *worker : std::as_const(m_workers))
        Handoff::send(worker);
    for (QThread *thread : std::as_const(m_threads)) {
        thread->quit();
        thread->wait();
    }
    // And the other way: the workers' last put() into the inbox comes before
    // its destruction here (~Worker), through QThread::wait(), also unseen.
    Handoff::receive(m_roomInbox);
}

bool ChatServer::setUpTls()
{
    QString certificate = m_config.tlsCertificate;
    QString key = m_config.tlsKey;
    if (m_config.tlsSelfSigned) {
        const SelfSignedCertificate::Files files = SelfSignedCertificate::ensure(m_config.tlsDirectory);
        if (!files.error.isEmpty()) {
            m_tlsError = files.error;
            return false;
        }
        certificate = files.certificatePath;
        key = files.keyPath;
        qCInfo(lcServer).noquote() << (files.created ? "made a self-signed certificate:"
                                                     : "using the self-signed certificate")
                                   << certificate;
    }
    TlsContext::Loaded loaded = TlsContext::load(certificate, key);
    if (!loaded.context) {
        m_tlsError = loaded.error;
        return false;
    }
    m_tls = std::move(loaded.context);
    qCInfo(lcServer).noquote() << "TLS certificate SHA-256 fingerprint:" << m_tls->fingerprint();
    // Queued, so every worker has it before the first adopt() of a connection.
    for (Worker *worker : std::as_const(m_workers))
        QMetaObject::invokeMethod(
            worker, [worker, tls = m_tls] { worker->setTls(tls); }, Qt::QueuedConnection);
    return true;
}

QString ChatServer::tlsFingerprint() const
{
    return m_tls ? m_tls->fingerprint() : QString();
}

bool ChatServer::listen()
{
    if (m_config.tlsEnabled() && !m_tls && !setUpTls()) {
        qCCritical(lcServer).noquote() << "cannot set up TLS:" << m_tlsError;
        return false;
    }
    if (const std::optional<QString> error = m_room->start()) {
        m_roomError = *error;
        qCCritical(lcServer).noquote() << "cannot join the shared room:" << *error;
        return false;
    }
    if (!m_listener->listen(m_config.host, m_config.port)) {
        qCCritical(lcServer).noquote() << "cannot listen on" << m_config.host.toString() << m_config.port << ":"
                                       << m_listener->errorString();
        return false;
    }
    // Said at start because it is a memory figure an operator sizes for;
    // before "listening on", which tests and scripts wait for.
    if (const qsizetype welcome = Room::largestWelcomeBytes(m_config); welcome > m_config.sendQueueBytes) {
        qCInfo(lcServer).noquote() << u"a welcome can reach about %1 KiB (history and resumes), more than the send "
                                      u"queue's %2 KiB (--sendq): it goes to each newcomer whole, and only what "
                                      u"queues after it counts towards --sendq"_s.arg(welcome / 1024)
                                          .arg(m_config.sendQueueBytes / 1024);
    }
    qCInfo(lcServer).noquote() << "listening on"
                               << m_listener->serverAddress().toString() + u':' +
                                      QString::number(m_listener->serverPort())
                               << "with" << m_workers.size() << "worker threads" << (m_tls ? "(TLS)" : "(plaintext)");
    return true;
}

void ChatServer::checkDeadlines()
{
    for (Worker *worker : std::as_const(m_workers))
        QMetaObject::invokeMethod(worker, &Worker::checkDeadlines, Qt::QueuedConnection);
}

quint16 ChatServer::serverPort() const
{
    return m_listener->serverPort();
}

QString ChatServer::errorString() const
{
    if (!m_tlsError.isEmpty())
        return m_tlsError;
    if (!m_roomError.isEmpty())
        return m_roomError;
    return m_listener->errorString();
}

int ChatServer::connectionCount() const
{
    return int(m_open.size());
}

int ChatServer::requestsWaitingForRoom() const
{
    return m_roomInbox->requestsWaiting();
}

void ChatServer::acceptConnection(qintptr socketDescriptor)
{
    const Wire::ConnectionId id = m_nextId++;
    Worker *worker = m_workers.at(m_nextWorker);
    m_nextWorker = (m_nextWorker + 1) % int(m_workers.size());
    const int fd = int(socketDescriptor);

    if (m_shuttingDown || m_open.size() >= m_config.maxClients) {
        qCInfo(lcServer) << "refusing a connection: server full with" << m_open.size() << "connections";
        refuse(worker, fd, id, u"the server is full (%1 users); try again later"_s.arg(m_config.maxClients));
        return;
    }
    if (m_perAddress.isEnabled()) {
        const QHostAddress address = AddressCounter::normalized(peerAddress(fd));
        if (!m_perAddress.tryAcquire(address)) {
            qCInfo(lcServer).noquote() << "refusing a connection:" << address.toString() << "already has"
                                       << m_perAddress.limit() << "connections";
            refuse(worker, fd, id,
                   u"too many connections from your address (at most %1); close one and try again"_s.arg(
                       m_perAddress.limit()));
            return;
        }
        m_addressOf.insert(id, address);
    }
    m_open.insert(id);
    QMetaObject::invokeMethod(
        worker, [worker, fd, id] { worker->adopt(fd, id); }, Qt::QueuedConnection);
}

void ChatServer::refuse(Worker *worker, int fd, Wire::ConnectionId id, const QString &message)
{
    // One JSON line for programs (which skip non-JSON lines before welcome), then one for people.
    const QByteArray last =
        FrameCodec::encode(Error{ErrorCode::ServerFull, message, {}}) + Wire::textLines({u"* error: "_s + message});
    QMetaObject::invokeMethod(
        worker, [worker, fd, id, last] { worker->refuse(fd, id, last); }, Qt::QueuedConnection);
}

void ChatServer::connectionClosed(Wire::ConnectionId id)
{
    m_open.remove(id);
    // Refused connections were never counted, so they are not in the map either.
    if (const auto it = m_addressOf.constFind(id); it != m_addressOf.cend()) {
        m_perAddress.release(*it);
        m_addressOf.erase(it);
    }
}

void ChatServer::shutdown()
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    qCInfo(lcServer) << "shutting down;" << m_open.size() << "connections to close";
    m_listener->close();
    // The other instances of a shared room hear at once that our users left.
    m_room->stop();
    const ServerFrame bye = ServerBye{leaveReasonName(LeaveReason::Shutdown)};
    const QByteArray jsonBye = Wire::encode(Wire::Mode::Json, bye);
    const QByteArray textBye = Wire::encode(Wire::Mode::Text, bye);
    for (Worker *worker : std::as_const(m_workers)) {
        QMetaObject::invokeMethod(
            worker, [worker, jsonBye, textBye] { worker->shutdown(jsonBye, textBye); }, Qt::QueuedConnection);
    }
    QTimer::singleShot(kShutdownFlushMsecs, this, [this] {
        if (m_finished)
            return;
        qCInfo(lcServer) << m_open.size() << "connections did not close in time; cutting them";
        for (Worker *worker : std::as_const(m_workers))
            QMetaObject::invokeMethod(worker, &Worker::abortAll, Qt::QueuedConnection);
        finishShutdown();
    });
}

void ChatServer::workerDrained()
{
    if (++m_drainedWorkers == m_workers.size())
        finishShutdown();
}

void ChatServer::finishShutdown()
{
    if (m_finished)
        return;
    m_finished = true;
    qCInfo(lcServer) << "shutdown complete";
    emit finished();
}
