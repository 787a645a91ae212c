// SPDX-License-Identifier: MIT
#include "serverprocess.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>

using namespace Qt::StringLiterals;

ServerProcess::ServerProcess(const QString &program, const QStringList &arguments,
                             const QProcessEnvironment &environment)
{
    m_process.setProgram(program);
    m_process.setArguments(arguments);
    m_process.setProcessEnvironment(environment);
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(kTimeoutMsecs);
    }
}

QProcessEnvironment ServerProcess::cleanEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : env.keys()) {
        if (name.startsWith(u"CHAT_"_s))
            env.remove(name);
    }
    env.remove(u"QT_LOGGING_RULES"_s);
    return env;
}

quint16 ServerProcess::start()
{
    static const QRegularExpression listening(u"listening on (\\S+):(\\d+)"_s);
    m_stderr.clear();
    m_process.start();
    if (!m_process.waitForStarted(kTimeoutMsecs))
        return 0;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < kTimeoutMsecs) {
        m_stderr += m_process.readAllStandardError();
        const QRegularExpressionMatch match = listening.match(QString::fromUtf8(m_stderr));
        if (match.hasMatch()) {
            m_address = match.captured(1);
            return quint16(match.captured(2).toUInt());
        }
        if (m_process.state() == QProcess::NotRunning)
            return 0;
        QSignalSpy spy(&m_process, &QProcess::readyReadStandardError);
        spy.wait(int(kTimeoutMsecs - timer.elapsed()));
    }
    return 0;
}

bool ServerProcess::kill()
{
    m_process.kill(); // SIGKILL on Unix
    return m_process.waitForFinished(kTimeoutMsecs) && m_process.exitStatus() == QProcess::CrashExit;
}
