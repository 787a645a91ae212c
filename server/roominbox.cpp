// SPDX-License-Identifier: MIT
#include "roominbox.h"

#include "room.h"
#include "worker.h"

#include <iterator>

RoomInbox::RoomInbox(Room &room, QObject *parent) : QObject(parent), m_room(room)
{
    connect(&m_room, &Room::inFlightAnswering, this, &RoomInbox::inFlightAnswering);
    connect(&m_room, &Room::inFlightAnswered, this, &RoomInbox::inFlightAnswered);
}

void RoomInbox::put(std::vector<Item> &items)
{
    if (items.empty())
        return;
    if (m_mailbox.putAll(items))
        QMetaObject::invokeMethod(this, &RoomInbox::drain, Qt::QueuedConnection);
}

void RoomInbox::drain()
{
    m_mailbox.takeAll(m_incoming);
    m_taken.insert(m_taken.end(), std::make_move_iterator(m_incoming.begin()),
                   std::make_move_iterator(m_incoming.end()));
    m_incoming.clear(); // the moved-from requests' strings go now
    // One wake-up per worker for the whole batch's replies and broadcasts.
    m_draining = true;
    for (Worker *worker : std::as_const(m_workers))
        worker->holdWakes();
    std::vector<std::shared_ptr<Wire::HandledCount>> handled;
    // A removal the backend said while something was in flight comes before
    // the requests after it (Room::eventsWaiting).
    m_room.applyWaitingEvents();
    while (!m_taken.empty() && !m_room.eventsWaiting()) {
        const Item &item = m_taken.front();
        const auto *request = std::get_if<Wire::Request>(&item.what);
        // Its answer would come before those of the posts or the claim in
        // flight, or it would wait for them here: it waits in the queue
        // instead, and so do the requests after it (inFlightAnswered()
        // drains again).
        if (m_room.mustWait(item.id, item.mode, request)) {
            if (!m_room.inFlight())
                m_room.flushPosts();
            if (m_room.inFlight())
                break;
        }
        if (request) {
            m_room.handle(item.id, item.channel, item.mode, *request);
        } else {
            const auto &leave = std::get<Leave>(item.what);
            m_room.leave(item.id, item.channel, item.mode, leave.reason, leave.last);
        }
        if (item.handled)
            handled.push_back(item.handled);
        m_taken.pop_front(); // the request's strings go now, not at the next drain
    }
    // The batch's queued posts go to the backend together (one Redis round
    // trip with --redis), before the workers are woken for the replies; with
    // a batch or a claim in flight they go once it is answered.
    if (!m_room.inFlight())
        m_room.flushPosts();
    // Counted handled only once answered: a queued `say` is answered (an
    // error) at the flush, or when its batch's answer comes, a `hello` when
    // its claim's answer comes, and a worker that saw it counted earlier
    // could answer a later `ping` of that connection before it
    // (Worker::answerHere). Conservatively every request of this drain
    // waits for the batch its posts are in, or the claim in flight.
    countAnswered();
    const quint64 batch = m_room.answeredAfterBatch();
    for (std::shared_ptr<Wire::HandledCount> &count : handled) {
        if (batch <= m_room.batchesAnswered() && m_unanswered.empty())
            countHandled(*count);
        else
            m_unanswered.push_back(Unanswered{batch, std::move(count)});
    }
    m_draining = false;
    for (Worker *worker : std::as_const(m_workers))
        worker->releaseWakes();
}

void RoomInbox::inFlightAnswering()
{
    if (m_draining)
        return; // drain() holds the wakes already
    for (Worker *worker : std::as_const(m_workers))
        worker->holdWakes();
}

void RoomInbox::countAnswered()
{
    while (!m_unanswered.empty() && m_unanswered.front().batch <= m_room.batchesAnswered()) {
        countHandled(*m_unanswered.front().handled);
        m_unanswered.pop_front();
    }
}

void RoomInbox::inFlightAnswered()
{
    countAnswered();
    if (!m_draining) {
        for (Worker *worker : std::as_const(m_workers))
            worker->releaseWakes();
    }
    // The requests that waited for these answers, and the posts said meanwhile.
    if (!m_taken.empty() || m_room.eventsWaiting() || m_room.answeredAfterBatch() > m_room.batchesAnswered())
        QMetaObject::invokeMethod(this, &RoomInbox::drain, Qt::QueuedConnection);
}

void RoomInbox::countHandled(Wire::HandledCount &handled)
{
    // Release: the replies put into the worker's mailbox are there for the
    // worker that reads this count.
    handled.fetch_add(1, std::memory_order_release);
    m_requestsWaiting.fetch_sub(1, std::memory_order_relaxed);
}
