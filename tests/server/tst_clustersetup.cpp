// SPDX-License-Identifier: MIT
// A new connection's set-up without waiting (issue #16; server/clustersetup.cpp),
// against a real redis-server: after Redis dropped the cluster's
// connection, the next write is refused at once while the functions, the
// epoch check and the claims' repair go out together; their answers,
// read on the event loop, make the cluster ready again.
#include "cluster.h"
#include "redistest.h"
#include "testharness.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
// Long enough that no beat or ready check runs during a test.
constexpr int kHeartbeatMsecs = 60'000;
// Beats that find this instance reaped within a test.
constexpr int kShortHeartbeatMsecs = 100;
constexpr int kRepairWaitMsecs = 30'000;
using Users = QList<std::pair<QString, QString>>;
} // namespace

class TestClusterSetUp final : public RedisTest
{
    Q_OBJECT

private slots:
    void aNewConnectionIsSetUpWithoutWaiting()
    {
        Users here{{u"alice"_s, u"alice"_s}, {u"carol"_s, u"Carol"_s}};
        Cluster cluster(m_fixture.address(), kHeartbeatMsecs, [&here] { return here; });
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(cluster.join(0)));
        QVERIFY(firstBeatCounted(cluster.instanceId()));
        QCOMPARE(cluster.claimNick(u"alice"_s, u"alice"_s, 1, {}), Cluster::Claim::Granted);
        QCOMPARE(cluster.claimNick(u"carol"_s, u"Carol"_s, 2, {}), Cluster::Claim::Granted);
        // While Redis could not be reached from here, the others reaped
        // alice and another instance's user took carol.
        m_fixture.redis().command({"HDEL", RoomStream::Keys{}.claims(), "alice"});
        m_fixture.redis().command({"HSET", RoomStream::Keys{}.claims(), "carol", "another-instance"});
        QVERIFY(dropClientConnections());
        QSignalSpy resynced(&cluster, &Cluster::resynced);
        QSignalSpy lost(&cluster, &Cluster::nicknamesLost);

        // Connected again, but not set up: the write is refused, nothing waited for.
        QVERIFY(!cluster.ensureReady());
        QCOMPARE(cluster.claimNick(u"dave"_s, u"dave"_s, 3, {}), Cluster::Claim::Unavailable);
        QCOMPARE(resynced.count(), 0);
        QTRY_VERIFY(cluster.ensureReady());
        QCOMPARE(resynced.count(), 1);
        QCOMPARE(resynced.first().first().value<Cluster::Resync>(), Cluster::Resync::Reconnected);
        QCOMPARE(lost.count(), 1);
        QCOMPARE(lost.first().first().toStringList(), QStringList{u"carol"_s});
        QCOMPARE(holderOf("alice"), cluster.instanceId());
        QCOMPARE(cluster.claimNick(u"dave"_s, u"dave"_s, 3, {}), Cluster::Claim::Granted);
    }

    // A user who leaves while the set-up is under way: the release is
    // refused, and the claims' repair sent with them must not leave their
    // nickname held by this instance.
    void aUserWhoLeftDuringTheSetUpIsNotLeftClaimed()
    {
        Users here{{u"alice"_s, u"alice"_s}, {u"bob"_s, u"bob"_s}};
        Cluster cluster(m_fixture.address(), kHeartbeatMsecs, [&here] { return here; });
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(cluster.join(0)));
        QVERIFY(firstBeatCounted(cluster.instanceId()));
        QCOMPARE(cluster.claimNick(u"alice"_s, u"alice"_s, 1, {}), Cluster::Claim::Granted);
        QCOMPARE(cluster.claimNick(u"bob"_s, u"bob"_s, 2, {}), Cluster::Claim::Granted);
        QVERIFY(dropClientConnections());
        QVERIFY(!cluster.ensureReady());
        here.removeLast();
        QVERIFY(!cluster.release(
            u"bob"_s, Protocol::Left{u"bob"_s, Protocol::LeaveReason::Disconnected, QDateTime::currentDateTimeUtc()}));
        QTRY_VERIFY(cluster.ensureReady());
        QCOMPARE(holderOf("alice"), cluster.instanceId());
        QCOMPARE(holderOf("bob"), QByteArray());
    }

    // Redis lost everything (FLUSHALL) while the connection was down: the
    // set-up's epoch check finds it, and the repair reads the room again
    // and repairs the claims as after a rollback, once: not also as after
    // a reconnect (which would announce the rooms' members again).
    void aRollbackFoundByTheSetUpIsRepairedOnce()
    {
        Users here{{u"alice"_s, u"alice"_s}};
        Cluster cluster(m_fixture.address(), kHeartbeatMsecs, [&here] { return here; });
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(cluster.join(0)));
        QVERIFY(firstBeatCounted(cluster.instanceId()));
        QCOMPARE(cluster.claimNick(u"alice"_s, u"alice"_s, 1, {}), Cluster::Claim::Granted);
        m_fixture.redis().command({"FLUSHALL"});
        QVERIFY(dropClientConnections());
        QSignalSpy resynced(&cluster, &Cluster::resynced);
        QSignalSpy rolledBack(&cluster, &Cluster::rolledBack);
        // The operator reads what this check found, not "another instance".
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"was rolled back: its epoch is gone"_s));

        QVERIFY(!cluster.ensureReady());
        QTRY_VERIFY(cluster.ensureReady());
        QTRY_COMPARE(rolledBack.count(), 1);
        // The set-up's own resync answer must add nothing: a write waited
        // for reads every answer sent before it, and each is handled on
        // the turn posted then.
        QCOMPARE(cluster.claimNick(u"dave"_s, u"dave"_s, 2, {}), Cluster::Claim::Granted);
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        QCOMPARE(resynced.count(), 1);
        QCOMPARE(resynced.first().first().value<Cluster::Resync>(), Cluster::Resync::RolledBack);
        QCOMPARE(holderOf("alice"), cluster.instanceId());
    }

    // Another instance found this one silent and reaped its users (its
    // heartbeat then finds itself no longer listed): the claims are
    // repaired again, also on a connection that was set up before.
    void aRelistingAfterASetUpRepairsTheClaimsAgain()
    {
        Users here{{u"alice"_s, u"alice"_s}};
        Cluster cluster(m_fixture.address(), kShortHeartbeatMsecs, [&here] { return here; });
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(cluster.join(0)));
        QVERIFY(firstBeatCounted(cluster.instanceId()));
        QCOMPARE(cluster.claimNick(u"alice"_s, u"alice"_s, 1, {}), Cluster::Claim::Granted);
        QVERIFY(dropClientConnections());
        QTRY_VERIFY(cluster.ensureReady());

        const RoomStream::Keys keys;
        m_fixture.redis().command({"SREM", keys.instances(), cluster.instanceId()});
        m_fixture.redis().command({"HDEL", keys.claims(), "alice"});
        QTRY_COMPARE_WITH_TIMEOUT(holderOf("alice"), cluster.instanceId(), kRepairWaitMsecs);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestClusterSetUp)
#include "tst_clustersetup.moc"
