// SPDX-License-Identifier: MIT
#include "sentinelprocess.h"

#include "redisconnection.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

SentinelProcess::SentinelProcess(quint16 primaryPort) : m_primaryPort(primaryPort)
{}

SentinelProcess::~SentinelProcess()
{
    if (isRunning()) {
        m_process.kill();
        m_process.waitForFinished(kTimeoutMsecs);
    }
}

QString SentinelProcess::program()
{
    QString found = QStandardPaths::findExecutable(u"redis-sentinel"_s);
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(u"redis-sentinel"_s, {u"/usr/bin"_s, u"/usr/sbin"_s});
    return found;
}

bool SentinelProcess::start()
{
    if (!m_dir.isValid() || program().isEmpty() || m_port.port() == 0)
        return false;
    // Sentinel rewrites its file as it learns of replicas, other Sentinels
    // and failovers: it must be its own and writable.
    const QString path = m_dir.filePath(u"sentinel.conf"_s);
    QFile config(path);
    if (!config.open(QIODevice::WriteOnly))
        return false;
    const QString name = QString::fromLatin1(kMasterName);
    config.write(u"port %1\nbind 127.0.0.1\ndaemonize no\ndir %2\nlogfile %3\n"
                 u"sentinel monitor %4 127.0.0.1 %5 2\n"
                 u"sentinel down-after-milliseconds %4 1000\n"
                 u"sentinel failover-timeout %4 5000\n"_s.arg(m_port.port())
                     .arg(m_dir.path(), m_dir.filePath(u"sentinel.log"_s), name)
                     .arg(m_primaryPort)
                     .toUtf8());
    config.close();
    m_process.setProgram(program());
    m_process.setArguments({path});
    m_process.start();
    if (!m_process.waitForStarted(kTimeoutMsecs))
        return false;
    const QDeadlineTimer deadline(kTimeoutMsecs);
    RedisConnection probe(RedisAddress::server(endpoint().host, endpoint().port));
    while (!deadline.hasExpired() && isRunning()) {
        if (probe.connectNow())
            return true;
        // Not listening yet: give it a moment (or notice that it exited).
        QSignalSpy spy(&m_process, &QProcess::stateChanged);
        spy.wait(50);
    }
    qWarning().noquote() << "redis-sentinel did not start on port" << m_port.port() << "\n" << log().right(2000);
    return false;
}

QString SentinelProcess::log() const
{
    QFile file(m_dir.filePath(u"sentinel.log"_s));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}
