// SPDX-License-Identifier: MIT
#pragma once

#include "chatclient.h"

#include <QProcess>
#include <QSignalSpy>
#include <QString>
#include <QStringList>

#include <memory>

// What the chat-console suites share (tst_chatconsole: chatting through the
// program; tst_chatconsole_exit: how it ends, exit statuses and --check;
// tst_chatconsole_rooms: the current room, room commands and --room;
// tst_chatconsole_presence: /away, /back and what others see of them).
namespace ConsoleTest {

inline constexpr int kWaitMsecs = 10000;
// Far above --check's own limit (4 s, docs/console.md), so only a probe that
// never gives up fails here, not a slow machine.
inline constexpr int kCheckGivesUpMsecs = 60000;
// Qt refuses a host name with an empty label before asking any resolver, so
// the lookup fails at once and for sure, with or without DNS; the client
// sees the same HostNotFoundError as for a name DNS does not know.
inline const QString kUnresolvableHost = QStringLiteral("no-such-host..invalid");

// The texts of the messages from `from` among a ChatClient::messageReceived spy.
QStringList textsFrom(const QSignalSpy &spy, const QString &from);

// A ChatClient joined as `nick` on 127.0.0.1:`port` that watches the room,
// or nullptr when it could not join.
std::unique_ptr<ChatClient> joinWatcher(quint16 port, const QString &nick = QStringLiteral("watcher"));

} // namespace ConsoleTest

// chat-console with its output collected; never blocks the event loop, so
// the in-process server keeps answering while the test waits.
class ConsoleProcess final
{
public:
    ConsoleProcess();
    ~ConsoleProcess();

    void start(const QStringList &arguments);
    void write(const QString &text) { m_process.write(text.toUtf8()); }
    void closeInput() { m_process.closeWriteChannel(); }

    // Waits for the process to end; false if it did not within the timeout.
    bool waitForExit(int msecs = ConsoleTest::kWaitMsecs);

    int exitCode() const { return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1; }
    QString out() const { return QString::fromUtf8(m_out); }
    QString err() const { return QString::fromUtf8(m_err); }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};
