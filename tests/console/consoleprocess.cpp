// SPDX-License-Identifier: MIT
#include "consoleprocess.h"

#include <QProcessEnvironment>

using namespace Qt::StringLiterals;

namespace ConsoleTest {

QStringList textsFrom(const QSignalSpy &spy, const QString &from)
{
    QStringList result;
    for (const QList<QVariant> &args : spy) {
        const auto message = args.at(0).value<Protocol::ChatMessage>();
        if (message.from == from)
            result.append(message.text);
    }
    return result;
}

std::unique_ptr<ChatClient> joinWatcher(quint16 port, const QString &nick)
{
    auto client = std::make_unique<ChatClient>();
    QSignalSpy registered(client.get(), &ChatClient::registered);
    client->connectToServer(u"127.0.0.1"_s, port, nick);
    if (!registered.wait(kWaitMsecs))
        return nullptr;
    return client;
}

} // namespace ConsoleTest

ConsoleProcess::ConsoleProcess()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"CHAT_HOST"_s);
    env.remove(u"CHAT_PORT"_s);
    env.remove(u"NO_COLOR"_s);
    m_process.setProcessEnvironment(env);
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                     [this] { m_out += m_process.readAllStandardOutput(); });
    QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                     [this] { m_err += m_process.readAllStandardError(); });
}

ConsoleProcess::~ConsoleProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished();
    }
}

void ConsoleProcess::start(const QStringList &arguments)
{
    m_process.start(QStringLiteral(CHAT_CONSOLE_PATH), arguments);
}

bool ConsoleProcess::waitForExit(int msecs)
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    QSignalSpy finished(&m_process, &QProcess::finished);
    return finished.wait(msecs);
}
