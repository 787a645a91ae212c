// SPDX-License-Identifier: MIT
#pragma once

#include "broadcast.h"
#include "connectionhost.h"
#include "deadlinequeue.h"
#include "mailbox.h"
#include "replychannel.h"
#include "roominbox.h"
#include "serverconfig.h"
#include "wire.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <memory>
#include <unordered_map>
#include <vector>

class Connection;
class QSocketNotifier;
class TlsContext;

// One event loop thread's share of the connections. It watches all of them
// through a single epoll descriptor (one QSocketNotifier for the thread, so
// Qt's dispatcher polls one descriptor however many clients there are),
// turns their input into requests for the Room, and writes out what the Room
// sends: replies to one connection and broadcasts to all members.
//
// Public slots run in the worker's thread; other threads reach them through
// queued signals or QMetaObject::invokeMethod. The Room reaches the worker as
// the connections' ReplyChannel and through queueDeliver(), from its own
// thread: those go through one Mailbox, so a burst of them costs one queued
// call. The other way, requests go to the room's RoomInbox once per
// event-loop turn (issue #16, "Per-message path").
class Worker final : public QObject, public ReplyChannel, private ConnectionHost
{
    Q_OBJECT

public:
    Worker(const ServerConfig &config, int index, RoomInbox &room, QObject *parent = nullptr);
    ~Worker() override;

    int index() const { return m_index; }
    // Every connection adopted from now on speaks TLS with this identity.
    // Call before the first adopt() reaches the worker (a queued call does).
    void setTls(std::shared_ptr<const TlsContext> context);

    // ReplyChannel, from the room's thread (the Room is its only user): through
    // the mailbox to the slots below.
    void queueReply(Wire::ConnectionId id, const QByteArray &bytes) override;
    void queueWelcome(Wire::ConnectionId id, const QByteArray &welcome) override;
    void queueClose(Wire::ConnectionId id, const QByteArray &last) override;
    void queueMembership(Wire::ConnectionId id, bool member) override;
    // From the room's thread (its published()): deliver(), in order with the above.
    void queueDeliver(const BroadcastPtr &event);
    // The room's thread only, around a batch of requests (RoomInbox): what it
    // queues meanwhile wakes this worker once, at releaseWakes(), instead of
    // at the first item while the room is still producing the rest.
    void holdWakes() { m_wakesHeld = true; }
    void releaseWakes();

public slots:
    void start();
    // Runs every deadline that is due now (ServerConfig::deadlineClock's test hook).
    void checkDeadlines() { m_deadlines.fireDue(); }
    void adopt(int fd, Wire::ConnectionId id);
    // Takes a connection only to tell it `last` and close it (server full).
    void refuse(int fd, Wire::ConnectionId id, const QByteArray &last);
    void deliver(const BroadcastPtr &event);
    void send(Wire::ConnectionId id, const QByteArray &bytes);
    void sendWelcome(Wire::ConnectionId id, const QByteArray &bytes); // see Connection::queueWelcome
    void setMember(Wire::ConnectionId id, bool member);
    void closeAfter(Wire::ConnectionId id, const QByteArray &last);
    // Server shutdown: everyone gets the bye for their mode, then is closed.
    void shutdown(const QByteArray &jsonBye, const QByteArray &textBye);
    void abortAll();

signals:
    void closed(Wire::ConnectionId id);
    void drained();

private:
    // What the room (or another thread) asks of a connection, in its order.
    struct Delivery {
        enum class Kind { Reply, Welcome, Close, Membership, Broadcast };
        Kind kind;
        Wire::ConnectionId id = 0;
        QByteArray bytes = {};
        BroadcastPtr event = {};
        bool member = false;
    };
    // Runs `work` as one event-loop turn of this thread: requests for the
    // room and output for the sockets are gathered while it runs and handed
    // on when the outermost turn ends (flushTurn()).
    template<typename Work> void inTurn(Work &&work)
    {
        ++m_turnDepth;
        work();
        if (--m_turnDepth == 0)
            flushTurn();
    }

    // ConnectionHost, for the connections of this thread.
    qint64 nowMsecs() const override;
    QByteArray &readBuffer() override { return m_scratch; }
    QByteArray &tlsRecordBuffer() override { return m_tlsRecordBuffer; }
    void submit(Connection &connection, const Wire::Request &request) override;
    void announceLeave(Connection &connection, Protocol::LeaveReason reason,
                       std::optional<Protocol::ServerFrame> last) override;
    void markDirty(Connection &connection) override;
    void watchWritable(Connection &connection, bool watch) override;
    void rescheduleDeadline(Connection &connection) override;
    void retire(Connection &connection) override;

    void enqueue(Connection &connection, const Wire::Request &request);
    bool answerHere(Connection &connection, const Protocol::ServerFrame &answer);
    void post(Delivery delivery);
    void wake();
    void drainInbox();
    void processReadyEvents();
    void flushTurn();
    void flushDirty();
    void onDeadline(Wire::ConnectionId id, qint64 nowMsecs);
    void reapRetired();
    void checkDrained();
    Connection *find(Wire::ConnectionId id) const;
    Connection &add(int fd, Wire::ConnectionId id);

    const ServerConfig &m_config;
    int m_index;
    RoomInbox &m_room;
    Mailbox<Delivery> m_inbox;
    std::vector<Delivery> m_taken;         // kept to reuse its capacity
    std::vector<RoomInbox::Item> m_toRoom; // this turn's requests and leaves
    int m_turnDepth = 0;
    bool m_drainingInbox = false; // m_taken is being delivered
    // The room's thread only (holdWakes()).
    bool m_wakesHeld = false;
    bool m_wakeOwed = false;
    int m_epoll = -1;
    QSocketNotifier *m_notifier = nullptr;
    QElapsedTimer m_clock;
    QByteArray m_scratch;
    QByteArray m_tlsRecordBuffer;
    std::shared_ptr<const TlsContext> m_tls;
    std::unordered_map<Wire::ConnectionId, std::unique_ptr<Connection>> m_connections;
    std::vector<Connection *> m_dirty; // have output to write at the next flush
    bool m_flushScheduled = false;
    DeadlineQueue m_deadlines;
    std::vector<Wire::ConnectionId> m_retired; // closed, erased once the stack unwinds
    bool m_reapScheduled = false;
    bool m_shuttingDown = false;
    bool m_drainedSent = false;
};
