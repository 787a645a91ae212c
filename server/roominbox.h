// SPDX-License-Identifier: MIT
#pragma once

#include "mailbox.h"
#include "wire.h"

#include <QList>
#include <QObject>

#include <atomic>
#include <deque>
#include <memory>
#include <variant>
#include <vector>

class ReplyChannel;
class Room;
class Worker;

// How the workers' requests and leaves reach the Room: through one Mailbox,
// so that a worker's whole event-loop turn of requests costs one queued call
// (and one wake-up of the room's thread) rather than one each. Items keep
// the order in which each worker put them, so a connection's requests and
// its leave reach the room in the order the client sent them.
//
// Lives in the room's thread; put() is for the worker threads.
class RoomInbox final : public QObject
{
    Q_OBJECT

public:
    struct Leave {
        Protocol::LeaveReason reason;
        Wire::LastWords last;
    };
    struct Item {
        Wire::ConnectionId id;
        ReplyChannel *channel;
        Wire::Mode mode;
        std::variant<Wire::Request, Leave> what;
        // A request's connection's count, raised once its replies are queued; null for a Leave.
        std::shared_ptr<Wire::HandledCount> handled = {};
    };

    explicit RoomInbox(Room &room, QObject *parent = nullptr);

    // Any thread: hands `items` to the room, in order, and empties it.
    void put(std::vector<Item> &items);
    // Any thread: a worker's request on its way in (put() follows at its turn's end).
    void countRequest() { m_requestsWaiting.fetch_add(1, std::memory_order_relaxed); }
    // Any thread: the requests counted and not handled yet, of all workers.
    int requestsWaiting() const { return m_requestsWaiting.load(std::memory_order_relaxed); }
    // The workers whose wake-ups wait until a batch is handled (Worker::holdWakes()).
    void setWorkers(QList<Worker *> workers) { m_workers = std::move(workers); }

private:
    // A handled request whose replies wait for a batch of posts or a claim in flight.
    struct Unanswered {
        quint64 batch; // answered once Room::batchesAnswered() reaches it
        std::shared_ptr<Wire::HandledCount> handled;
    };

    void drain();
    // The room answered a batch of posts, or a claim, that completed later.
    void inFlightAnswering();
    void inFlightAnswered();
    // The requests whose batch of posts or claim was answered.
    void countAnswered();
    void countHandled(Wire::HandledCount &handled);

    Room &m_room;
    Mailbox<Item> m_mailbox;
    std::vector<Item> m_incoming; // kept to reuse its capacity
    // Taken from the mailbox and not handled yet: while posts or a claim are
    // in flight the room stops at a request that must wait for them (Room::mustWait).
    std::deque<Item> m_taken;
    std::deque<Unanswered> m_unanswered; // in the order handled
    bool m_draining = false;
    QList<Worker *> m_workers;
    // Only a bound's measure: orders nothing, so relaxed.
    std::atomic<int> m_requestsWaiting = 0;
};
