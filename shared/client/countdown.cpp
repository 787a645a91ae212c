// SPDX-License-Identifier: MIT
#include "countdown.h"

#include <algorithm>

namespace {

constexpr int kMsecsPerSecond = 1000;

int secondsFor(qint64 remainingMsecs)
{
    return int((remainingMsecs + kMsecsPerSecond - 1) / kMsecsPerSecond);
}

} // namespace

Countdown::Countdown(QObject *parent) : QObject(parent)
{
    m_wake.setSingleShot(true);
    // Precise: a coarse timer may wake a little early, and a countdown that
    // shows a number late by a few percent of a second looks stuck.
    m_wake.setTimerType(Qt::PreciseTimer);
    connect(&m_wake, &QTimer::timeout, this, &Countdown::update);
}

Countdown::~Countdown() = default;

void Countdown::setClock(Clock *clock)
{
    if (m_clock)
        disconnect(m_clock, &Clock::advanced, this, &Countdown::update);
    m_clock = clock;
    if (m_clock)
        connect(m_clock, &Clock::advanced, this, &Countdown::update);
}

void Countdown::start(int msecs)
{
    m_active = true;
    m_deadline = now() + std::max(0, msecs);
    m_shownSeconds = -1;
    update();
}

void Countdown::stop()
{
    m_active = false;
    m_shownSeconds = -1;
    m_wake.stop();
}

int Countdown::remainingMsecs() const
{
    if (!m_active)
        return -1;
    return int(std::max<qint64>(0, m_deadline - now()));
}

int Countdown::secondsLeft() const
{
    return m_active ? secondsFor(remainingMsecs()) : -1;
}

qint64 Countdown::now() const
{
    return m_clock ? m_clock->now() : m_steady.now();
}

void Countdown::update()
{
    if (!m_active)
        return;
    const qint64 remaining = m_deadline - now();
    if (remaining <= 0) {
        stop();
        emit expired();
        return;
    }
    const int seconds = secondsFor(remaining);
    // Until the shown number drops (or, in the last second, until the end).
    m_wake.start(int(remaining - qint64(seconds - 1) * kMsecsPerSecond));
    if (seconds == m_shownSeconds)
        return;
    m_shownSeconds = seconds;
    emit secondsLeftChanged(seconds);
}
