// SPDX-License-Identifier: MIT
#include "replywatch.h"

ReplyWatch::ReplyWatch(int fd, int timeoutMsecs, std::function<void()> readable, std::function<void()> timedOut)
    : m_notifier(fd, QSocketNotifier::Read), m_timeoutMsecs(timeoutMsecs)
{
    m_notifier.setEnabled(false);
    m_watchdog.setSingleShot(true);
    connect(&m_notifier, &QSocketNotifier::activated, this, std::move(readable));
    connect(&m_watchdog, &QTimer::timeout, this, std::move(timedOut));
}

void ReplyWatch::await()
{
    m_notifier.setEnabled(true);
    m_watchdog.start(m_timeoutMsecs);
}

void ReplyWatch::expireNow()
{
    m_watchdog.start(0);
}

void ReplyWatch::idle()
{
    // Off while nothing is awaited: a synchronous command on the same
    // connection reads its own reply, and Redis closing the connection is
    // noticed by the next command (RedisConnection::isConnected).
    m_notifier.setEnabled(false);
    m_watchdog.stop();
}

void ReplyWatch::dispose()
{
    idle();
    deleteLater();
}
