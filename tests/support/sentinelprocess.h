// SPDX-License-Identifier: MIT
#pragma once

#include "redisaddress.h"
#include "reservedport.h"

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

// A private redis-sentinel watching one primary under the name "m", for
// tests of --redis redis-sentinel://... (tst_server_cluster_failover): on a
// loopback port reserved for the object's lifetime, its configuration file
// (which Sentinel rewrites as it learns) in a temporary directory. Quick to
// judge: the primary is down after 1 s without an answer, and two Sentinels
// must agree.
class SentinelProcess final
{
public:
    static constexpr int kTimeoutMsecs = 10000;
    static constexpr auto kMasterName = "m";

    explicit SentinelProcess(quint16 primaryPort);
    ~SentinelProcess();

    // redis-sentinel, or empty when Debian's redis-sentinel is not installed.
    static QString program();
    bool start();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

    RedisAddress::Endpoint endpoint() const { return {QStringLiteral("127.0.0.1"), m_port.port()}; }
    QString log() const;

private:
    quint16 m_primaryPort;
    QTemporaryDir m_dir;
    QProcess m_process;
    ReservedPort m_port{ReservedPort::Use::Shared};
};
