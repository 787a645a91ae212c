// SPDX-License-Identifier: MIT
// A rollback's repair without waiting (issue #16; server/clusterrollback.cpp),
// against a real redis-server: the epoch check, the claims' resync and the
// room read again are answered on the event loop, writes are refused while
// they are under way, and a post Redis refused for the old epoch is sent
// again once the repair is done, still without the room's thread waiting.
#include "cluster.h"
#include "clusterroombackend.h"
#include "redismessagelog.h"
#include "redistest.h"
#include "testharness.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using Protocol::ChatMessage;

namespace {
// Long enough that no beat or ready check runs during a test.
constexpr int kHeartbeatMsecs = 60'000;
using Users = QList<std::pair<QString, QString>>;

MessageLog::Post said(const QString &text)
{
    return MessageLog::Post{ChatMessage{0, u"alice"_s, text, QDateTime::currentDateTimeUtc(), false, {}}};
}
} // namespace

class TestClusterRepair final : public RedisTest
{
    Q_OBJECT

private slots:
    // Redis lost everything (FLUSHALL). The check finds it and repairs:
    // nothing of the repair happens inside the call, writes are refused
    // from the moment the rollback is known until the room was read again,
    // and then the claims are back.
    void aRollbackIsRepairedWithoutWaiting()
    {
        Users here{{u"alice"_s, u"alice"_s}};
        Cluster cluster(m_fixture.address(), kHeartbeatMsecs, [&here] { return here; });
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(cluster.join(0)));
        QVERIFY(firstBeatCounted(cluster.instanceId()));
        QCOMPARE(cluster.claimNick(u"alice"_s, u"alice"_s, 1, {}), Cluster::Claim::Granted);
        m_fixture.redis().command({"FLUSHALL"});
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"was rolled back: its epoch is gone"_s));
        QSignalSpy rolledBack(&cluster, &Cluster::rolledBack);
        QSignalSpy resynced(&cluster, &Cluster::resynced);
        std::optional<bool> readyOnceKnown;
        connect(&cluster, &Cluster::epochAdopted, this, [&] {
            if (!readyOnceKnown)
                readyOnceKnown = cluster.ensureReady();
        });
        std::optional<Cluster::EpochCheck> outcome;

        QVERIFY(cluster.startCheckEpoch([&outcome](Cluster::EpochCheck check) { outcome = check; }));
        QCOMPARE(rolledBack.count(), 0);
        QVERIFY(!outcome);
        QTRY_VERIFY(outcome.has_value());
        QCOMPARE(*outcome, Cluster::EpochCheck::RolledBack);
        QCOMPARE(rolledBack.count(), 1);
        QVERIFY(readyOnceKnown.has_value());
        QVERIFY2(!*readyOnceKnown, "a write was let through while the room was being read again");
        // The repair's own resync; a heartbeat that found this instance
        // unlisted by the FLUSHALL in the middle of its beat may add one.
        QVERIFY(!resynced.isEmpty());
        QCOMPARE(resynced.first().first().value<Cluster::Resync>(), Cluster::Resync::RolledBack);
        QVERIFY(cluster.ensureReady());
        QCOMPARE(holderOf("alice"), cluster.instanceId());
    }

    // A user left while the repair was under way (their release refused,
    // as every write then): their claim does not outlive them.
    void aUserWhoLeftDuringTheRepairIsNotLeftClaimed()
    {
        Users here{{u"alice"_s, u"alice"_s}, {u"bob"_s, u"bob"_s}};
        Cluster cluster(m_fixture.address(), kHeartbeatMsecs, [&here] { return here; });
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(cluster.join(0)));
        QVERIFY(firstBeatCounted(cluster.instanceId()));
        QCOMPARE(cluster.claimNick(u"alice"_s, u"alice"_s, 1, {}), Cluster::Claim::Granted);
        QCOMPARE(cluster.claimNick(u"bob"_s, u"bob"_s, 2, {}), Cluster::Claim::Granted);
        m_fixture.redis().command({"FLUSHALL"});
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"was rolled back"_s));
        std::optional<bool> released;
        connect(&cluster, &Cluster::epochAdopted, this, [&] {
            if (released)
                return;
            here.removeLast();
            released = cluster.startRelease(u"bob"_s, Protocol::Left{u"bob"_s, Protocol::LeaveReason::Disconnected,
                                                                     QDateTime::currentDateTimeUtc()});
        });
        std::optional<Cluster::EpochCheck> outcome;

        QVERIFY(cluster.startCheckEpoch([&outcome](Cluster::EpochCheck check) { outcome = check; }));
        QTRY_VERIFY(outcome.has_value());
        QCOMPARE(*outcome, Cluster::EpochCheck::RolledBack);
        QCOMPARE(released, std::optional<bool>(false));
        QTRY_COMPARE(holderOf("bob"), QByteArray());
        QCOMPARE(holderOf("alice"), cluster.instanceId());
    }

    // A post sent with the old epoch is refused by Redis; once the repair
    // is done it is sent again and stored with an id above every id
    // delivered before. The repair and the retry go through the event loop
    // (a zero timer started when the room is read again fires before the
    // answer), not inside the refusal's completion.
    void aPostRefusedByARollbackIsSentAgainWithoutWaiting()
    {
        auto opened = RedisMessageLog::open(m_fixture.address());
        QVERIFY(std::holds_alternative<std::unique_ptr<MessageLog>>(opened));
        ClusterRoomBackend backend(m_fixture.address(), kHeartbeatMsecs, 10,
                                   std::get<std::unique_ptr<MessageLog>>(std::move(opened)));
        backend.setLocalUsers([] { return Users{{u"alice"_s, u"alice"_s}}; });
        QVERIFY(std::holds_alternative<RoomBackend::State>(backend.start()));
        QVERIFY(firstBeatCounted());
        QCOMPARE(backend.claim(u"alice"_s, u"alice"_s, 1, {}), RoomBackend::Outcome::Done);

        std::optional<QList<RoomBackend::Posted>> first;
        QVERIFY(backend.startPostAll({said(u"before"_s)},
                                     [&first](const QList<RoomBackend::Posted> &posted) { first = posted; }));
        QTRY_VERIFY(first.has_value());
        const auto *before = std::get_if<ChatMessage>(&first->constFirst());
        QVERIFY(before);

        m_fixture.redis().command({"FLUSHALL"});
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"was rolled back"_s));
        bool aTurnAfterTheRepair = false;
        connect(&backend, &RoomBackend::historyLost, this,
                [&] { QTimer::singleShot(0, this, [&] { aTurnAfterTheRepair = true; }); });
        std::optional<QList<RoomBackend::Posted>> second;
        bool answeredOnALaterTurn = false;
        QVERIFY(backend.startPostAll({said(u"after"_s)}, [&](const QList<RoomBackend::Posted> &posted) {
            second = posted;
            answeredOnALaterTurn = aTurnAfterTheRepair;
        }));
        QTRY_VERIFY(second.has_value());
        const auto *after = std::get_if<ChatMessage>(&second->constFirst());
        QVERIFY2(after, "the post refused for the old epoch was not sent again");
        QCOMPARE(after->text, u"after"_s);
        QVERIFY2(after->id > before->id, qPrintable(u"id %1 after %2"_s.arg(after->id).arg(before->id)));
        QVERIFY2(answeredOnALaterTurn, "the repair and the retry were waited for inside the refusal's completion");
    }

    // Stopping with a refused post waiting for the check: it is answered
    // (stored) before the users leave, as every post in flight is.
    void aRefusedPostIsSettledByFinishPosts()
    {
        auto opened = RedisMessageLog::open(m_fixture.address());
        QVERIFY(std::holds_alternative<std::unique_ptr<MessageLog>>(opened));
        ClusterRoomBackend backend(m_fixture.address(), kHeartbeatMsecs, 10,
                                   std::get<std::unique_ptr<MessageLog>>(std::move(opened)));
        QVERIFY(std::holds_alternative<RoomBackend::State>(backend.start()));
        QVERIFY(firstBeatCounted());
        std::optional<QList<RoomBackend::Posted>> first;
        QVERIFY(backend.startPostAll({said(u"before"_s)},
                                     [&first](const QList<RoomBackend::Posted> &posted) { first = posted; }));
        QTRY_VERIFY(first.has_value());

        m_fixture.redis().command({"FLUSHALL"});
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"was rolled back"_s));
        std::optional<QList<RoomBackend::Posted>> second;
        QVERIFY(backend.startPostAll({said(u"after"_s)},
                                     [&second](const QList<RoomBackend::Posted> &posted) { second = posted; }));
        backend.finishPosts();
        QVERIFY(second.has_value());
        QVERIFY(std::holds_alternative<ChatMessage>(second->constFirst()));
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestClusterRepair)
#include "tst_clusterrepair.moc"
