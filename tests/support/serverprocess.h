// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

// A chat-server process for tests that need the real binary (signals, exit
// codes, kill -9). It reads the port from the "listening on ADDR:PORT" line.
class ServerProcess final
{
public:
    static constexpr int kTimeoutMsecs = 10000;

    ServerProcess(const QString &program, const QStringList &arguments,
                  const QProcessEnvironment &environment = cleanEnvironment());
    ~ServerProcess();

    // The environment without CHAT_* variables and logging rules, so the
    // test alone decides the options and the "listening on" line shows.
    static QProcessEnvironment cleanEnvironment();

    // Starts the server and waits for its "listening on" line; returns the port (0 on failure).
    quint16 start();
    // SIGKILL: no shutdown, no flush, as in a crash.
    bool kill();

    QProcess &process() { return m_process; }
    QString address() const { return m_address; }
    QByteArray stderrText() { return m_stderr += m_process.readAllStandardError(); }

private:
    QProcess m_process;
    QByteArray m_stderr;
    QString m_address;
};
