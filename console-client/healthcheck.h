// SPDX-License-Identifier: MIT
#pragma once

#include "linereader.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class ConsoleOutput;
class QTcpSocket;

// chat-console --check: the container health probe. It connects, sends one
// `ping` (which the server answers before any `hello`), waits for the `pong`
// and leaves with `bye`, so no user is registered and nobody sees a joined or
// left event. Emits finished() with the exit status.
//
// With `tls` it speaks TLS but trusts any certificate: it only asks whether
// the server answers, sends nothing private, and pins nothing, so a
// container's probe needs no trust store.
class HealthCheck final : public QObject
{
    Q_OBJECT

public:
    HealthCheck(const QString &host, quint16 port, bool tls, ConsoleOutput &output, QObject *parent = nullptr);

    void start();

signals:
    void finished(int exitCode);

private:
    void onConnected();
    void onReadyRead();
    void fail(const QString &message);
    void succeed(const QString &message);
    void finish(int exitCode);
    QString address() const;

    QString m_host;
    quint16 m_port;
    ConsoleOutput &m_output;
    QTcpSocket *m_socket;
    LineReader m_lines;
    QTimer m_deadline;
    QElapsedTimer m_roundTrip;
    bool m_tls;
    bool m_done = false;
};
