// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QObject>

// Monotonic milliseconds for the client's timers that people watch count
// down (the reconnect countdown). This base class is the real, steady
// clock; tests replace it with one they move by hand (tests/support
// ManualClock), so what a countdown shows never depends on how fast the
// machine is.
class Clock : public QObject
{
    Q_OBJECT

public:
    explicit Clock(QObject *parent = nullptr);
    ~Clock() override;

    virtual qint64 now() const;

signals:
    // Time jumped (a clock moved by hand): whoever waits on it looks again.
    // The steady clock never emits it; its users arm timers instead.
    void advanced();

private:
    QElapsedTimer m_elapsed;
};
