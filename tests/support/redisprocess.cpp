// SPDX-License-Identifier: MIT
#include "redisprocess.h"

#include "redisconnection.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>

using namespace Qt::StringLiterals;

namespace {
// A port that was free a moment ago (Redis cannot be told to pick one and
// report it, as chat-server can with port 0).
quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

constexpr int kStartAttempts = 3;
} // namespace

RedisProcess::RedisProcess() = default;

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
    if (!m_dir.isValid() || program().isEmpty())
        return false;
    // A restart keeps its port (the servers under test reconnect to it); a
    // first start tries another port if the free one was taken meanwhile.
    const bool restart = m_port != 0;
    for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
        if (!restart)
            m_port = freePort();
        m_process.setProgram(program());
        m_process.setArguments({u"--port"_s, QString::number(m_port), u"--bind"_s, u"127.0.0.1"_s, u"--dir"_s,
                                m_dir.path(), u"--appendonly"_s, u"yes"_s, u"--save"_s, u""_s, u"--logfile"_s,
                                m_dir.filePath(u"redis.log"_s), u"--daemonize"_s, u"no"_s});
        m_process.start();
        if (m_process.waitForStarted(kTimeoutMsecs) && waitUntilAnswering())
            return true;
        qWarning().noquote() << "redis-server did not start on port" << m_port << ":" << m_process.errorString()
                             << "\n" << log().right(2000);
        kill();
    }
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
