// SPDX-License-Identifier: MIT
#pragma once

#include "wire.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <set>
#include <unordered_map>
#include <utility>

// One worker's connection deadlines (greeting, idle, register, frame,
// partial line, TLS handshake, close), each connection's earliest one,
// ordered by time behind one timer: 10,000 connections cost one QTimer, not
// 10,000. The clock is injected, so that tests move time instead of waiting.
class DeadlineQueue final : public QObject
{
    Q_OBJECT

public:
    // A monotonic millisecond clock.
    using Clock = std::function<qint64()>;
    // Called for each deadline that is due, with the clock's time then.
    using Handler = std::function<void(Wire::ConnectionId id, qint64 nowMsecs)>;

    DeadlineQueue(Clock clock, Handler onDue, QObject *parent = nullptr);

    // Keeps `id`'s deadline at `atMsecs` (-1: none) and arms the timer for the earliest.
    void schedule(Wire::ConnectionId id, qint64 atMsecs);
    void remove(Wire::ConnectionId id) { schedule(id, -1); }
    // -1 when `id` has none.
    qint64 scheduled(Wire::ConnectionId id) const;
    // The earliest deadline, or -1 when there is none.
    qint64 earliest() const;
    // Runs the handler for every deadline due now, earliest first (the
    // timer calls it). A handler may schedule again, its own connection's
    // deadline or another's.
    void fireDue();

private:
    void arm();

    Clock m_clock;
    Handler m_onDue;
    std::set<std::pair<qint64, Wire::ConnectionId>> m_ordered;
    std::unordered_map<Wire::ConnectionId, qint64> m_byId;
    QTimer m_timer;
};
