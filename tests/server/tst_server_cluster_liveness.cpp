// SPDX-License-Identifier: MIT
// Liveness in the cluster (issue #16): a Redis that pauses for longer than
// three heartbeats (a long fork, a stalled disk; here DEBUG SLEEP) removes
// nobody once it is back, and posting resumes by itself. With keys that
// expire by the wall clock every instance's would have expired during the
// pause, and the first instance to beat afterwards would have removed all
// the others' users (tst_server_cluster_outages checks that an instance
// that really stops is still removed).
//
// And a room whose thread is held up (a write waiting for Redis, a long
// computation) keeps its users: the heartbeat beats on its own thread.
//
// And an instance that others removed although it lives (judged silent
// while it was still reconnecting after a failover) claims its users again
// at its next heartbeat, so nobody else can take their nicknames.
#include "clustertest.h"
#include "livenesstracker.h"
#include "redisconnection.h"
#include "roomstream.h"
#include "serverprocess.h"
#include "spec.h"
#include "testharness.h"
#include "testserver.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;

namespace {

// Long enough that a pause of a few heartbeats is longer than the old time
// to live, short enough to keep the suite quick.
constexpr int kSlowHeartbeatMsecs = 1500;
constexpr int kPauseSeconds = 6; // four heartbeats: the old TTL (three) expires
constexpr int kLongWaitMsecs = 60000;
// How often the held-up thread looks whether the observer has beaten enough.
constexpr int kStallPollMsecs = 100;

} // namespace

class TestServerClusterLiveness final : public ClusterTest
{
    Q_OBJECT

private:
    // Every instance's heartbeat counter in Redis.
    QHash<QByteArray, qint64> beatCounters() const
    {
        RedisConnection redis(m_redis->address());
        const RedisConnection::Result result = redis.command({"HGETALL", RoomStream::Keys{}.beats()});
        QHash<QByteArray, qint64> counters;
        if (!RedisConnection::errorOf(result).isEmpty())
            return counters;
        const QList<RedisReply> &pairs = std::get<RedisReply>(result).elements;
        for (qsizetype i = 0; i + 1 < pairs.size(); i += 2)
            counters.insert(pairs.at(i).string, pairs.at(i + 1).string.toLongLong());
        return counters;
    }

    // Whether every instance of `since` has beaten `beats` more times.
    bool everyOneBeat(const QHash<QByteArray, qint64> &since, int beats) const
    {
        const QHash<QByteArray, qint64> now = beatCounters();
        for (auto it = since.cbegin(); it != since.cend(); ++it) {
            if (now.value(it.key()) < it.value() + beats)
                return false;
        }
        return true;
    }

    // The types of the frames `client` gets until the message `text` (which is not included).
    static QStringList framesUntilMessage(TestClient &client, const QString &text)
    {
        QStringList types;
        for (;;) {
            const QJsonObject frame = client.nextFrame(kLongWaitMsecs);
            if (frame.isEmpty())
                return types << u"(timed out)"_s;
            if (Spec::type(frame) == u"message"_s && frame.value(u"text"_s).toString() == text)
                return types;
            types << Spec::type(frame);
        }
    }

    // Holds up this thread (the in-process instances' rooms) without
    // running its event loop until the instance `observer` has beaten
    // `beats` more times, as a room's thread is held up by a write that
    // waits. The sleeping here is the stall under test, not a wait for a
    // result.
    bool holdUpUntilBeaten(const QByteArray &observer, int beats) const
    {
        const qint64 from = beatCounters().value(observer);
        QDeadlineTimer deadline(kLongWaitMsecs);
        while (!deadline.hasExpired()) {
            if (beatCounters().value(observer) >= from + beats)
                return true;
            QThread::msleep(kStallPollMsecs);
        }
        return false;
    }

private slots:
    void init()
    {
        m_heartbeatMsecs = kSlowHeartbeatMsecs;
        ClusterTest::init();
    }

    void redisPauseRemovesNobody()
    {
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        auto carol = joinOn(2, u"carol"_s);
        QVERIFY(alice && bob && carol);
        QCOMPARE(alice->waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"bob"_s);
        QCOMPARE(alice->waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"carol"_s);
        QCOMPARE(bob->waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"carol"_s);

        // Redis sleeps; it answers this command when it wakes up.
        QTcpSocket pause;
        pause.connectToHost(m_redis->address().host, m_redis->address().port);
        QVERIFY(pause.waitForConnected(kLongWaitMsecs));
        const QByteArray seconds = QByteArray::number(kPauseSeconds);
        pause.write("*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$" + QByteArray::number(seconds.size()) + "\r\n" + seconds +
                    "\r\n");
        QSignalSpy woke(&pause, &QTcpSocket::readyRead);
        QVERIFY(woke.wait(kLongWaitMsecs));
        QCOMPARE(pause.readAll(), QByteArray("+OK\r\n"));

        // Every instance beats LivenessTracker::kSilentBeats + 1 more times:
        // by then each has judged the others on as many heartbeats as it
        // takes to find one silent, and removed any it found.
        const QHash<QByteArray, qint64> woken = beatCounters();
        QCOMPARE(woken.size(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(everyOneBeat(woken, LivenessTracker::kSilentBeats + 1), kLongWaitMsecs);

        // Posting resumes by itself, and what was removed would come before it.
        UntilAvailable posted(*carol, Spec::say(u"after the pause"_s), u"message"_s);
        QTRY_VERIFY_WITH_TIMEOUT(posted(), kLongWaitMsecs);
        QCOMPARE(Spec::type(posted.answer), u"message"_s);
        QVERIFY(!framesUntilMessage(*alice, u"after the pause"_s).contains(u"left"_s));
        QVERIFY(!framesUntilMessage(*bob, u"after the pause"_s).contains(u"left"_s));
        alice->sendJson(Spec::who());
        QCOMPARE(Spec::strings(alice->waitForFrame(u"users"_s).value(u"users"_s)),
                 (QStringList{u"alice"_s, u"bob"_s, u"carol"_s}));
    }

    void heldUpRoomKeepsItsUsers()
    {
        auto alice = joinOn(0, u"alice"_s);
        QVERIFY(alice);
        // Each instance counted its first beat when it joined.
        const QHash<QByteArray, qint64> inProcess = beatCounters();
        QCOMPARE(inProcess.size(), 3);

        // The observer is another process, so that its room is not held up
        // with this one's; same heartbeat, as a cluster's instances have.
        ServerProcess observer(QStringLiteral(QTCHAT_SERVER_BINARY),
                               {u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s, u"--threads"_s, u"1"_s, u"--redis"_s,
                                m_redis->url(), u"--cluster-heartbeat"_s,
                                QString::number(kSlowHeartbeatMsecs / 1000.0)});
        const quint16 observerPort = observer.start();
        QVERIFY2(observerPort != 0, observer.stderrText().constData());
        TestClient bob;
        const QJsonObject welcome = bob.join(observerPort, u"bob"_s);
        QVERIFY(Spec::strings(welcome.value(u"users"_s)).contains(u"alice"_s));
        QByteArray observerId;
        QTRY_VERIFY_WITH_TIMEOUT(!(observerId = newInstance(inProcess)).isEmpty(), kLongWaitMsecs);

        // Long enough for the observer to judge alice's instance on more
        // heartbeats than it takes to find a silent one.
        QVERIFY(holdUpUntilBeaten(observerId, LivenessTracker::kSilentBeats + 2));

        bob.sendJson(Spec::who());
        QStringList types;
        QJsonObject frame;
        while (Spec::type(frame = bob.nextFrame(kLongWaitMsecs)) != u"users"_s && !frame.isEmpty())
            types << Spec::type(frame);
        QVERIFY2(!types.contains(u"left"_s), qPrintable(types.join(u' ')));
        QCOMPARE(Spec::strings(frame.value(u"users"_s)), (QStringList{u"alice"_s, u"bob"_s}));
    }

    void removedInstanceClaimsItsUsersAgain()
    {
        auto alice = joinOn(0, u"alice"_s);
        QVERIFY(alice);
        const RoomStream::Keys keys;
        RedisConnection redis(m_redis->address());
        const RedisConnection::Result held = redis.command({"HGET", keys.claims(), "alice"});
        QVERIFY(RedisConnection::errorOf(held).isEmpty());
        const QByteArray instance = std::get<RedisReply>(held).string;
        QVERIFY(!instance.isEmpty());

        // What another instance's reap does to one it found silent
        // (reap.lua), while this one is alive and keeps alice connected.
        for (const QList<QByteArray> &command :
             {QList<QByteArray>{"HDEL", keys.claims(), "alice"}, QList<QByteArray>{"HDEL", keys.roster(), "alice"},
              QList<QByteArray>{"DEL", keys.usersOf(instance)}, QList<QByteArray>{"SREM", keys.instances(), instance},
              QList<QByteArray>{"HDEL", keys.beats(), instance}})
            QVERIFY(RedisConnection::errorOf(redis.command(command)).isEmpty());

        // Its next heartbeat finds it unlisted, and its room claims alice back.
        QTRY_COMPARE_WITH_TIMEOUT(std::get<RedisReply>(redis.command({"HGET", keys.claims(), "alice"})).string,
                                  instance, kLongWaitMsecs);
        TestClient impostor;
        QVERIFY(impostor.connectToServer(port(1)));
        impostor.sendJson(Spec::hello(u"alice"_s));
        QCOMPARE(impostor.waitForFrame(u"error"_s).value(u"code"_s).toString(), u"nick-taken"_s);
        // She is still in the room for the others.
        auto bob = joinOn(1, u"bob"_s);
        QVERIFY(bob);
        bob->sendJson(Spec::who());
        QCOMPARE(Spec::strings(bob->waitForFrame(u"users"_s).value(u"users"_s)), (QStringList{u"alice"_s, u"bob"_s}));
    }

private:
    // The instance in Redis that is not one of `known` ('' while there is none).
    QByteArray newInstance(const QHash<QByteArray, qint64> &known) const
    {
        const QHash<QByteArray, qint64> now = beatCounters();
        for (auto it = now.cbegin(); it != now.cend(); ++it) {
            if (!known.contains(it.key()))
                return it.key();
        }
        return {};
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestServerClusterLiveness)
#include "tst_server_cluster_liveness.moc"
