// SPDX-License-Identifier: MIT
#pragma once

#include "redisfixture.h"
#include "reservedport.h"

#include <QObject>
#include <QSet>

// What the suites against one private redis-server share: its slots start
// it (failing in CI, not skipping, when redis-server is missing), empty it
// before each test function and stop it at the end. Qt Test finds these
// slots through the suite's meta-object, which includes them.
class RedisTest : public QObject
{
    Q_OBJECT

protected slots:
    void initTestCase();
    void init();
    void cleanupTestCase();

protected:
    // The fixture's address with `refused`'s loopback port, where nothing
    // listens: for what must fail (or send nothing) without Redis.
    RedisAddress refusedAddress(const ReservedPort &refused) const;
    // Which instance holds the nickname `key` in the default prefix's
    // claims (empty: nobody).
    QByteArray holderOf(const QByteArray &key);
    // Waits until the heartbeat's first beat (ClusterHeartbeat::start, on
    // its own thread) has counted `instance` after Cluster::join did:
    // before it, a beat may find the instance unlisted by what the test
    // does next (a FLUSHALL) and relist it. Empty: the one instance there is.
    bool firstBeatCounted(const QByteArray &instance = {});
    // Redis drops every connection but the fixture's (a restart, a
    // timeout), and has closed them when this returns. Those made again
    // meanwhile (the heartbeat's, at a short heartbeat) do not count.
    bool dropClientConnections();

    RedisFixture m_fixture;

private:
    // The ids of Redis's normal clients now (the fixture's included).
    QSet<QByteArray> clientIds();
};
