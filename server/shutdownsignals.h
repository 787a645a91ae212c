// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class QSocketNotifier;

// Delivers SIGINT and SIGTERM as a Qt signal through Linux's signalfd, so no
// async signal handler and no global state are needed. block() must run in
// main() before any thread starts, so that every thread inherits the mask.
class ShutdownSignals final : public QObject
{
    Q_OBJECT

public:
    static bool block();

    explicit ShutdownSignals(QObject *parent = nullptr);
    ~ShutdownSignals() override;

signals:
    void received(int signalNumber);

private:
    void readSignal();

    int m_fd = -1;
    QSocketNotifier *m_notifier = nullptr;
};
