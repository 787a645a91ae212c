// SPDX-License-Identifier: MIT
#pragma once

#include "clock.h"

#include <QPointer>
#include <QTimer>

// A single-shot deadline read from a Clock, in the whole seconds a person
// sees ("Reconnecting in 59 seconds"). It wakes itself when the shown
// number changes and when time is up; with a clock moved by hand it follows
// that clock only, so a test sees every value at the moment it chooses.
class Countdown final : public QObject
{
    Q_OBJECT

public:
    explicit Countdown(QObject *parent = nullptr);
    ~Countdown() override;

    // Not owned; it must outlive the countdown or be destroyed after it
    // stops being used. nullptr: the steady clock.
    void setClock(Clock *clock);

    void start(int msecs);
    void stop();
    bool isActive() const { return m_active; }
    // -1 when not active.
    int remainingMsecs() const;
    // Rounded up: 1 until the very end. -1 when not active.
    int secondsLeft() const;

signals:
    void secondsLeftChanged(int seconds);
    void expired();

private:
    qint64 now() const;
    // Looks at the clock: emits what changed and arms the wake-up timer.
    void update();

    Clock m_steady;
    QPointer<Clock> m_clock;
    QTimer m_wake;
    bool m_active = false;
    qint64 m_deadline = 0;
    int m_shownSeconds = -1;
};
