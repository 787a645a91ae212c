// SPDX-License-Identifier: MIT
#include "worker.h"

#include "connection.h"
#include "handoff.h"
#include "tlscontext.h"
#include "tlssession.h"

#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QThread>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcWorker, "qtchat.server.worker")

namespace {

constexpr int kReadChunkBytes = 64 * 1024;
constexpr int kEventsPerWake = 256;
// Keepalive: first probe after a minute of silence, then every 10 s, 6 tries.
constexpr int kKeepIdleSecs = 60;
constexpr int kKeepIntervalSecs = 10;
constexpr int kKeepCount = 6;

const QString kServerBusyMessage =
    u"this server has too many requests waiting right now, so that was not sent; try again in a moment"_s;

// The requests that add to the room's work without bound when it is held up.
bool isPost(const Protocol::ClientFrame &frame)
{
    return std::holds_alternative<Protocol::Say>(frame) || std::holds_alternative<Protocol::Whisper>(frame);
}

void tuneSocket(int fd)
{
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &kKeepIdleSecs, sizeof kKeepIdleSecs);
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &kKeepIntervalSecs, sizeof kKeepIntervalSecs);
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &kKeepCount, sizeof kKeepCount);
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    const int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

epoll_event eventFor(Connection &connection, bool withWrite)
{
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP | (withWrite ? EPOLLOUT : 0u);
    event.data.ptr = &connection;
    return event;
}

} // namespace

Worker::Worker(const ServerConfig &config, int index, RoomInbox &room, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_index(index)
    , m_room(room)
    , m_scratch(kReadChunkBytes, Qt::Uninitialized)
    // Parented so that moveToThread() takes its timer along to the worker's thread.
    , m_deadlines([this] { return nowMsecs(); },
                  [this](Wire::ConnectionId id, qint64 now) { inTurn([&] { onDeadline(id, now); }); }, this)
{
    m_clock.start();
}

qint64 Worker::nowMsecs() const
{
    return m_config.deadlineClock ? m_config.deadlineClock() : m_clock.elapsed();
}

Worker::~Worker()
{
    // After the last call the room made into this worker (ChatServer::~ChatServer).
    Handoff::receive(this);
    m_connections.clear();
    if (m_epoll >= 0)
        ::close(m_epoll);
    // This thread's last put() into the room's inbox is behind us; the room's
    // thread destroys the inbox once it has waited for this thread.
    Handoff::send(&m_room);
}

void Worker::start()
{
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0) {
        qCCritical(lcWorker) << "worker" << m_index << "cannot create an epoll descriptor:" << strerror(errno);
        return;
    }
    m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &Worker::processReadyEvents);
    qCDebug(lcWorker) << "worker" << m_index << "started";
}

void Worker::setTls(std::shared_ptr<const TlsContext> context)
{
    m_tls = std::move(context);
}

void Worker::queueReply(Wire::ConnectionId id, const QByteArray &bytes)
{
    post(Delivery{Delivery::Kind::Reply, id, bytes});
}

void Worker::queueWelcome(Wire::ConnectionId id, const QByteArray &welcome)
{
    post(Delivery{Delivery::Kind::Welcome, id, welcome});
}

void Worker::queueClose(Wire::ConnectionId id, const QByteArray &last)
{
    post(Delivery{Delivery::Kind::Close, id, last});
}

void Worker::queueMembership(Wire::ConnectionId id, bool member)
{
    post(Delivery{Delivery::Kind::Membership, id, {}, {}, member});
}

void Worker::queueDeliver(const BroadcastPtr &event)
{
    post(Delivery{Delivery::Kind::Broadcast, 0, {}, event});
}

void Worker::post(Delivery delivery)
{
    if (!m_inbox.put(std::move(delivery)))
        return; // a wake-up is already on its way
    if (m_wakesHeld)
        m_wakeOwed = true;
    else
        wake();
}

void Worker::releaseWakes()
{
    m_wakesHeld = false;
    if (std::exchange(m_wakeOwed, false))
        wake();
}

void Worker::wake()
{
    QMetaObject::invokeMethod(this, &Worker::drainInbox, Qt::QueuedConnection);
}

void Worker::drainInbox()
{
    m_inbox.takeAll(m_taken);
    m_drainingInbox = true;
    inTurn([this] {
        for (const Delivery &delivery : m_taken) {
            switch (delivery.kind) {
            case Delivery::Kind::Reply:
                send(delivery.id, delivery.bytes);
                break;
            case Delivery::Kind::Welcome:
                sendWelcome(delivery.id, delivery.bytes);
                break;
            case Delivery::Kind::Close:
                closeAfter(delivery.id, delivery.bytes);
                break;
            case Delivery::Kind::Membership:
                setMember(delivery.id, delivery.member);
                break;
            case Delivery::Kind::Broadcast:
                deliver(delivery.event);
                break;
            }
        }
    });
    m_drainingInbox = false;
    m_taken.clear(); // the last references to the broadcasts go now, not at the next drain
}

Connection &Worker::add(int fd, Wire::ConnectionId id)
{
    tuneSocket(fd);
    ConnectionHost &host = *this; // a private base: make_unique could not convert
    auto owned = std::make_unique<Connection>(host, fd, id, m_config, nowMsecs(),
                                              m_tls ? std::make_unique<TlsSession>(*m_tls, fd) : nullptr);
    Connection &connection = *owned;
    m_connections.emplace(id, std::move(owned));
    epoll_event event = eventFor(connection, false);
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) != 0)
        qCWarning(lcWorker) << "epoll_ctl ADD failed:" << strerror(errno);
    return connection;
}

void Worker::adopt(int fd, Wire::ConnectionId id)
{
    if (m_shuttingDown) {
        ::close(fd);
        emit closed(id);
        return;
    }
    Connection &connection = add(fd, id);
    rescheduleDeadline(connection);
}

void Worker::refuse(int fd, Wire::ConnectionId id, const QByteArray &last)
{
    Connection &connection = add(fd, id);
    connection.closeAfter(last);
}

Connection *Worker::find(Wire::ConnectionId id) const
{
    const auto it = m_connections.find(id);
    return it == m_connections.end() ? nullptr : it->second.get();
}

void Worker::deliver(const BroadcastPtr &event)
{
    Handoff::receive(event.get());
    if (const auto &audience = event->audience()) {
        // One room's members: a few of this worker's connections, found by id.
        for (const Wire::ConnectionId id : *audience) {
            Connection *connection = find(id);
            if (connection && connection->isMember() && id != event->except() &&
                connection->state() != Connection::State::Closed)
                connection->queue(event->bytes(connection->mode()));
        }
        return;
    }
    for (const auto &[id, connection] : m_connections) {
        if (connection->isMember() && id != event->except() && connection->state() != Connection::State::Closed)
            connection->queue(event->bytes(connection->mode()));
    }
}

void Worker::send(Wire::ConnectionId id, const QByteArray &bytes)
{
    if (Connection *connection = find(id))
        connection->queue(bytes);
}

void Worker::sendWelcome(Wire::ConnectionId id, const QByteArray &bytes)
{
    if (Connection *connection = find(id))
        connection->queueWelcome(bytes);
}

void Worker::setMember(Wire::ConnectionId id, bool member)
{
    if (Connection *connection = find(id))
        connection->setMember(member);
}

void Worker::closeAfter(Wire::ConnectionId id, const QByteArray &last)
{
    if (Connection *connection = find(id))
        connection->closeAfter(last);
}

void Worker::shutdown(const QByteArray &jsonBye, const QByteArray &textBye)
{
    m_shuttingDown = true;
    std::vector<Connection *> all;
    all.reserve(m_connections.size());
    for (const auto &entry : m_connections)
        all.push_back(entry.second.get());
    for (Connection *connection : all)
        connection->closeAfter(connection->mode() == Wire::Mode::Text ? textBye : jsonBye);
    flushDirty();
    checkDrained();
}

void Worker::abortAll()
{
    std::vector<Connection *> all;
    for (const auto &entry : m_connections)
        all.push_back(entry.second.get());
    for (Connection *connection : all)
        connection->closeNow();
}

void Worker::submit(Connection &connection, const Wire::Request &request)
{
    if (const auto *frame = std::get_if<Protocol::ClientFrame>(&request.body)) {
        if (const auto *ping = std::get_if<Protocol::Ping>(frame);
            ping && answerHere(connection, Protocol::Pong{ping->id}))
            return;
        if (isPost(*frame) && m_room.requestsWaiting() >= m_config.maxRequestsInRoom) {
            const Protocol::Error busy{Protocol::ErrorCode::ServerBusy, kServerBusyMessage, Protocol::typeName(*frame)};
            // With requests of its own still in the room, the refusal waits
            // behind their answers; the post's text is not kept meanwhile.
            if (!answerHere(connection, busy))
                enqueue(connection, Wire::Request{busy});
            return;
        }
    }
    enqueue(connection, request);
}

void Worker::enqueue(Connection &connection, const Wire::Request &request)
{
    connection.countSubmitted();
    m_room.countRequest();
    m_toRoom.push_back(RoomInbox::Item{connection.id(), this, connection.mode(), request, connection.handledCount()});
    if (m_turnDepth == 0)
        flushTurn();
}

// An answer given here, not by the room: a room thread blocked on Redis (up
// to its 2 s command timeout) must not hold up every client's liveness check
// (ping), nor must the server queue posts for it without bound (server-busy).
// Replies on a connection still come in request order (PROTOCOL.md):
// - only when the room has handled every request the connection handed it
//   (the requests of this turn still in m_toRoom count as handed). The room
//   counts a request handled after it queued the request's replies into our
//   mailbox (RoomInbox::drain, release; awaitsRoom(), acquire), so those
//   replies are in the mailbox now, and drainInbox() writes them before this
//   answer. Anything the room queues later answers a later request, or is an
//   event, which an answer from the room could precede just as well;
// - only for a member whose welcome was delivered: before it, the room holds
//   replies back (Room::deliver) while the hello counts as handled;
// - never in the middle of drainInbox(): deliveries already taken come first.
// Text mode has no ping command; its posts are refused here too.
bool Worker::answerHere(Connection &connection, const Protocol::ServerFrame &answer)
{
    if (m_drainingInbox || connection.awaitsRoom())
        return false;
    drainInbox();
    // The deliveries may have closed the connection or ended its membership:
    // then the room answers, as it did before the welcome.
    if (connection.state() != Connection::State::Open || !connection.isMember())
        return false;
    connection.queue(Wire::encode(connection.mode(), answer));
    return true;
}

void Worker::announceLeave(Connection &connection, Protocol::LeaveReason reason,
                           std::optional<Protocol::ServerFrame> last)
{
    // Behind the connection's requests of this turn, in the same hand-off.
    m_toRoom.push_back(RoomInbox::Item{connection.id(), this, connection.mode(),
                                       RoomInbox::Leave{reason, Wire::LastWords{std::move(last)}}});
    if (m_turnDepth == 0)
        flushTurn();
}

void Worker::flushTurn()
{
    m_room.put(m_toRoom);
    flushDirty();
}

void Worker::markDirty(Connection &connection)
{
    m_dirty.push_back(&connection);
    if (m_flushScheduled || m_turnDepth > 0)
        return; // a turn flushes it when it ends
    // Flush after the events already queued for this thread: a burst of
    // broadcasts then leaves each socket in one writev, not one send each.
    m_flushScheduled = true;
    QMetaObject::invokeMethod(this, &Worker::flushDirty, Qt::QueuedConnection);
}

void Worker::flushDirty()
{
    m_flushScheduled = false;
    if (m_dirty.empty())
        return;
    std::vector<Connection *> dirty;
    dirty.swap(m_dirty);
    for (Connection *connection : dirty) {
        if (connection->state() != Connection::State::Closed)
            connection->flush();
    }
}

void Worker::watchWritable(Connection &connection, bool watch)
{
    epoll_event event = eventFor(connection, watch);
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, connection.fd(), &event);
}

void Worker::processReadyEvents()
{
    epoll_event events[kEventsPerWake];
    const int count = ::epoll_wait(m_epoll, events, kEventsPerWake, 0);
    const qint64 now = nowMsecs();
    inTurn([&] {
        for (int i = 0; i < count; ++i) {
            auto *connection = static_cast<Connection *>(events[i].data.ptr);
            if (connection->state() == Connection::State::Closed)
                continue; // closed by an earlier event of this batch
            if (events[i].events & (EPOLLOUT | EPOLLERR))
                connection->onWritable();
            if (connection->state() != Connection::State::Closed &&
                (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
                connection->onReadable(now);
        }
    });
}

void Worker::rescheduleDeadline(Connection &connection)
{
    m_deadlines.schedule(connection.id(), connection.deadline());
}

void Worker::onDeadline(Wire::ConnectionId id, qint64 nowMsecs)
{
    Connection *connection = find(id);
    if (connection && connection->state() != Connection::State::Closed)
        connection->onDeadline(nowMsecs);
}

void Worker::retire(Connection &connection)
{
    m_deadlines.remove(connection.id());
    ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, connection.fd(), nullptr);
    std::erase(m_dirty, &connection);
    // The connection may be deep in its own call stack, or in a loop over
    // m_connections (deliver): it is erased once the stack unwinds.
    m_retired.push_back(connection.id());
    emit closed(connection.id());
    if (!m_reapScheduled) {
        m_reapScheduled = true;
        QMetaObject::invokeMethod(this, &Worker::reapRetired, Qt::QueuedConnection);
    }
    checkDrained();
}

void Worker::reapRetired()
{
    m_reapScheduled = false;
    for (const Wire::ConnectionId id : m_retired)
        m_connections.erase(id);
    m_retired.clear();
}

void Worker::checkDrained()
{
    if (m_shuttingDown && !m_drainedSent && m_connections.size() == m_retired.size()) {
        m_drainedSent = true;
        emit drained();
    }
}
