// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QSocketNotifier>
#include <QTimer>

#include <functional>

// The event-loop half of RedisConnection::sendPipeline: says when Redis's
// replies can be read from `fd` without waiting, and when none came for
// `timeoutMsecs` while some are awaited (a Redis host that vanished without
// closing the connection). RedisConnection is not a QObject (it is used on
// other threads too, synchronously), so it owns one of these only while it
// has replies pending, on the thread that sent them.
class ReplyWatch final : public QObject
{
    Q_OBJECT

public:
    ReplyWatch(int fd, int timeoutMsecs, std::function<void()> readable, std::function<void()> timedOut);

    int fd() const { return int(m_notifier.socket()); }
    // Replies are awaited: the notifier is on and the watchdog runs from now.
    void await();
    // Says timed out from the event loop now (a write that failed).
    void expireNow();
    // None are awaited any more.
    void idle();
    // Done with it: may be inside its own notification, so it goes later.
    void dispose();

private:
    QSocketNotifier m_notifier;
    QTimer m_watchdog;
    int m_timeoutMsecs;
};
