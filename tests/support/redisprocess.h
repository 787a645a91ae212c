// SPDX-License-Identifier: MIT
#pragma once

#include "redisaddress.h"
#include "reservedport.h"

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

// A private redis-server for tests of the shared room (--redis): on a
// loopback port reserved for the object's lifetime (so a restart gets the
// same port back, whatever runs in parallel), with its append-only file in a
// temporary directory, configured as docs/architecture.md ("Durability")
// requires of the room's Redis, gone with the object. Tests skip when
// Debian's redis-server is not installed.
class RedisProcess final
{
public:
    static constexpr int kTimeoutMsecs = 10000;

    // `extraArguments` go after the defaults (tst_server_cluster_failover:
    // `--replicaof 127.0.0.1 PORT` for a replica).
    explicit RedisProcess(QStringList extraArguments = {});
    ~RedisProcess();

    // The redis-server binary, or empty when it is not installed.
    static QString program();
    bool start();
    // SIGTERM: Redis writes its append-only file and exits, as at a restart.
    bool stop();
    // SIGKILL: nothing written beyond what already reached the file.
    bool kill();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

    RedisAddress address() const { return RedisAddress::server(QStringLiteral("127.0.0.1"), m_port.port()); }
    QString url() const { return address().toString(); }
    // Deletes every key (between test functions).
    bool flush();
    QString log() const;
    quint16 port() const { return m_port.port(); }

private:
    bool waitUntilAnswering();

    QStringList m_extraArguments;
    QTemporaryDir m_dir;
    QProcess m_process;
    // Shared: redis-server binds it with SO_REUSEADDR, again after a restart,
    // and nothing else is given it meanwhile.
    ReservedPort m_port{ReservedPort::Use::Shared};
};
