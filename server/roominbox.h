// SPDX-License-Identifier: MIT
#pragma once

#include "mailbox.h"
#include "wire.h"

#include <QList>
#include <QObject>

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
    // The workers whose wake-ups wait until a batch is handled (Worker::holdWakes()).
    void setWorkers(QList<Worker *> workers) { m_workers = std::move(workers); }

private:
    void drain();

    Room &m_room;
    Mailbox<Item> m_mailbox;
    std::vector<Item> m_taken; // kept to reuse its capacity
    QList<Worker *> m_workers;
};
