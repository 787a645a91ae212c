// SPDX-License-Identifier: MIT
#include "roominbox.h"

#include "room.h"
#include "worker.h"

RoomInbox::RoomInbox(Room &room, QObject *parent) : QObject(parent), m_room(room)
{}

void RoomInbox::put(std::vector<Item> &items)
{
    if (items.empty())
        return;
    if (m_mailbox.putAll(items))
        QMetaObject::invokeMethod(this, &RoomInbox::drain, Qt::QueuedConnection);
}

void RoomInbox::drain()
{
    m_mailbox.takeAll(m_taken);
    // One wake-up per worker for the whole batch's replies and broadcasts.
    for (Worker *worker : std::as_const(m_workers))
        worker->holdWakes();
    for (const Item &item : m_taken) {
        if (const auto *request = std::get_if<Wire::Request>(&item.what)) {
            m_room.handle(item.id, item.channel, item.mode, *request);
        } else {
            const auto &leave = std::get<Leave>(item.what);
            m_room.leave(item.id, item.channel, item.mode, leave.reason, leave.last);
        }
    }
    // The batch's queued posts go to the backend together (one Redis round
    // trip with --redis), before the workers are woken for the replies.
    m_room.flushPosts();
    // Counted handled only now: a queued `say` is answered (an error) at the
    // flush, and a worker that saw it counted earlier could answer a later
    // `ping` of that connection before it (Worker::answerHere). Release: the
    // replies put into the worker's mailbox are there for the worker that
    // reads this count.
    for (const Item &item : m_taken) {
        if (item.handled) {
            item.handled->fetch_add(1, std::memory_order_release);
            m_requestsWaiting.fetch_sub(1, std::memory_order_relaxed);
        }
    }
    for (Worker *worker : std::as_const(m_workers))
        worker->releaseWakes();
    m_taken.clear(); // the requests' strings go now, not at the next drain
}
