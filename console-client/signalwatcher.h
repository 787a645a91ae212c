// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class QSocketNotifier;

// Turns SIGINT and SIGTERM (Ctrl-C, `docker compose stop`) into a Qt signal,
// so chat-console can say `bye` before it exits instead of just vanishing.
// The handler only writes the signal number into a socket pair (the one
// async-signal-safe way out); the event loop reads it.
class SignalWatcher final : public QObject
{
    Q_OBJECT

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void interrupted(int signalNumber);

private:
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
};
