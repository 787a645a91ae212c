// SPDX-License-Identifier: MIT
#include "redisprocess.h"

#include "redisconnection.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

RedisProcess::RedisProcess(QStringList extraArguments) : m_extraArguments(std::move(extraArguments))
{}

RedisProcess::~RedisProcess()
{
    kill();
}

QString RedisProcess::program()
{
    QString found = QStandardPaths::findExecutable(u"redis-server"_s);
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(u"redis-server"_s, {u"/usr/bin"_s, u"/usr/sbin"_s});
    return found;
}

bool RedisProcess::start()
{
    if (!m_dir.isValid() || program().isEmpty() || m_port.port() == 0)
        return false;
    // appendfsync always: what the room requires of its Redis, so that a
    // Redis killed mid-traffic loses no acknowledged message (see
    // docs/architecture.md, "Durability"). A restart keeps the port and the file.
    m_process.setProgram(program());
    m_process.setArguments(QStringList{u"--port"_s, QString::number(m_port.port()), u"--bind"_s, u"127.0.0.1"_s,
                                       u"--dir"_s, m_dir.path(), u"--appendonly"_s, u"yes"_s, u"--appendfsync"_s,
                                       u"always"_s, u"--save"_s, u""_s, u"--logfile"_s, m_dir.filePath(u"redis.log"_s),
                                       u"--daemonize"_s, u"no"_s,
                                       // DEBUG SLEEP pauses it (tst_server_cluster_liveness); from loopback only.
                                       u"--enable-debug-command"_s, u"local"_s} +
                           m_extraArguments);
    m_process.start();
    if (m_process.waitForStarted(kTimeoutMsecs) && waitUntilAnswering())
        return true;
    qWarning().noquote() << "redis-server did not start on port" << m_port.port() << ":" << m_process.errorString()
                         << "\n"
                         << log().right(2000);
    kill();
    return false;
}

bool RedisProcess::waitUntilAnswering()
{
    const QDeadlineTimer deadline(kTimeoutMsecs);
    RedisConnection probe(address());
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
        if (probe.connectNow()) {
            const RedisConnection::Result pong = probe.command({"PING"});
            if (std::holds_alternative<RedisReply>(pong) && std::get<RedisReply>(pong).string == "PONG")
                return true;
        }
        // Not listening yet: give it a moment (or notice that it exited).
        QSignalSpy spy(&m_process, &QProcess::stateChanged);
        spy.wait(50);
    }
    return false;
}

bool RedisProcess::stop()
{
    if (!isRunning())
        return true;
    m_process.terminate();
    return m_process.waitForFinished(kTimeoutMsecs);
}

bool RedisProcess::kill()
{
    if (!isRunning())
        return true;
    m_process.kill();
    return m_process.waitForFinished(kTimeoutMsecs);
}

bool RedisProcess::flush()
{
    RedisConnection connection(address());
    const RedisConnection::Result result = connection.command({"FLUSHALL"});
    return std::holds_alternative<RedisReply>(result) && !std::get<RedisReply>(result).isError();
}

QString RedisProcess::log() const
{
    QFile file(m_dir.filePath(u"redis.log"_s));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}
