// SPDX-License-Identifier: MIT
// Resume tokens across instances (docs/protocol.md, "Taking a nickname
// back"; issue #16, fast recovery), against a real redis-server: a client
// of an instance killed with SIGKILL takes its nickname back through
// another instance at once, long before the dead instance's heartbeat
// runs out; a client of a living instance is taken over through another
// one (the old connection gets `bye` resumed); a wrong token is nick-taken
// on every instance.
#include "clustertest.h"
#include "serverprocess.h"
#include "spec.h"
#include "testharness.h"
#include "testserver.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// So long that no instance here is reaped during a test: a nickname that
// comes back did so through its token, not because its holder expired.
constexpr int kLongHeartbeatMsecs = 30000;

QJsonObject helloResuming(const QString &nick, const QString &token)
{
    QJsonObject hello = Spec::hello(nick);
    hello.insert(u"resume"_s, token);
    return hello;
}

} // namespace

class TestServerClusterResume final : public ClusterTest
{
    Q_OBJECT

    // `token` with its last character changed is refused on instance
    // `index` (nick-taken); `token` itself then takes `nick` back there
    // (welcome) on `back`, and `old` gets `bye` resumed.
    void onlyTheTokenTakesBack(int index, const QString &nick, const QString &token, TestClient &old, TestClient &back)
    {
        TestClient wrong;
        QVERIFY(wrong.connectToServer(port(index)));
        wrong.sendJson(helloResuming(nick.toLower(), token.left(31) + (token.endsWith(u'A') ? u'B' : u'A')));
        QCOMPARE(wrong.waitForFrame(u"error"_s).value(u"code"_s).toString(), u"nick-taken"_s);

        QVERIFY(back.connectToServer(port(index)));
        back.sendJson(helloResuming(nick, token));
        QCOMPARE(back.waitForFrame(u"welcome"_s).value(u"nick"_s).toString(), nick);
        QCOMPARE(old.waitForFrame(u"bye"_s).value(u"reason"_s).toString(), u"resumed"_s);
    }

private slots:
    void initTestCase()
    {
        ClusterTest::initTestCase();
        m_heartbeatMsecs = kLongHeartbeatMsecs;
    }

    void resumeThroughAnotherInstanceAfterSigkill()
    {
        ServerProcess doomed(QStringLiteral(QTCHAT_SERVER_BINARY),
                             {u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s, u"--threads"_s, u"2"_s, u"--redis"_s,
                              m_redis->url(), u"--cluster-heartbeat"_s, QString::number(kLongHeartbeatMsecs / 1000)});
        const quint16 doomedPort = doomed.start();
        QVERIFY2(doomedPort != 0, doomed.stderrText().constData());
        auto bob = joinOn(0, u"bob"_s);
        QVERIFY(bob);
        TestClient alice;
        const QString token = alice.join(doomedPort, u"alice"_s).value(u"resume"_s).toString();
        QVERIFY(!token.isEmpty());
        QCOMPARE(bob->waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"alice"_s);

        QVERIFY(doomed.kill());
        QElapsedTimer sinceKill;
        sinceKill.start();
        // The dead instance still holds the nickname...
        TestClient back;
        QVERIFY(back.connectToServer(port(1)));
        back.sendJson(Spec::hello(u"alice"_s));
        QCOMPARE(back.waitForFrame(u"error"_s).value(u"code"_s).toString(), u"nick-taken"_s);
        // ...but not against the token.
        back.sendJson(helloResuming(u"alice"_s, token));
        const QJsonObject welcome = back.waitForFrame(u"welcome"_s, kWaitMsecs);
        QCOMPARE(welcome.value(u"nick"_s).toString(), u"alice"_s);
        QVERIFY(sinceKill.elapsed() < kLongHeartbeatMsecs);
        const QString rotated = welcome.value(u"resume"_s).toString();
        QVERIFY(!rotated.isEmpty());
        QVERIFY(rotated != token);
        QCOMPARE(Spec::strings(welcome.value(u"users"_s)), (QStringList{u"alice"_s, u"bob"_s}));

        const QJsonObject left = bob->nextFrame();
        QCOMPARE(left.value(u"type"_s).toString(), u"left"_s);
        QCOMPARE(left.value(u"nick"_s).toString(), u"alice"_s);
        QCOMPARE(left.value(u"reason"_s).toString(), u"disconnected"_s);
        const QJsonObject joined = bob->nextFrame();
        QCOMPARE(joined.value(u"type"_s).toString(), u"joined"_s);
        QCOMPARE(joined.value(u"nick"_s).toString(), u"alice"_s);

        back.sendJson(Spec::say(u"back again"_s));
        QCOMPARE(bob->waitForFrame(u"message"_s).value(u"from"_s).toString(), u"alice"_s);

        // The used token is gone; the new one works, now from instance 2.
        TestClient third;
        QVERIFY(third.connectToServer(port(2)));
        third.sendJson(helloResuming(u"alice"_s, token));
        QCOMPARE(third.waitForFrame(u"error"_s).value(u"code"_s).toString(), u"nick-taken"_s);
        third.sendJson(helloResuming(u"alice"_s, rotated));
        QCOMPARE(third.waitForFrame(u"welcome"_s).value(u"nick"_s).toString(), u"alice"_s);
        QCOMPARE(back.waitForFrame(u"bye"_s).value(u"reason"_s).toString(), u"resumed"_s);
        QVERIFY(back.waitForDisconnected());
    }

    void resumeTakesOverFromALivingInstance()
    {
        TestClient alice;
        const QString token = alice.join(port(0), u"alice"_s).value(u"resume"_s).toString();
        QVERIFY(!token.isEmpty());
        auto carol = joinOn(2, u"carol"_s);
        QVERIFY(carol);

        TestClient back;
        onlyTheTokenTakesBack(1, u"Alice"_s, token, alice, back);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(alice.waitForDisconnected());

        const QJsonObject left = carol->waitForFrame(u"left"_s);
        QCOMPARE(left.value(u"nick"_s).toString(), u"alice"_s);
        QCOMPARE(left.value(u"reason"_s).toString(), u"disconnected"_s);
        const QJsonObject joined = carol->nextFrame();
        QCOMPARE(joined.value(u"type"_s).toString(), u"joined"_s);
        QCOMPARE(joined.value(u"nick"_s).toString(), u"Alice"_s);
        // The old instance released nothing it no longer holds: Alice stays.
        carol->sendJson(Spec::who());
        QCOMPARE(Spec::strings(carol->waitForFrame(u"users"_s).value(u"users"_s)),
                 (QStringList{u"Alice"_s, u"carol"_s}));
        back.sendJson(Spec::say(u"still here"_s));
        QCOMPARE(carol->waitForFrame(u"message"_s).value(u"from"_s).toString(), u"Alice"_s);
    }

    // A half-dead connection on the same instance: the token is judged
    // there (it follows a rename), and the others see the user come back.
    void resumeOnTheSameInstanceAfterARename()
    {
        TestClient alice;
        const QString token = alice.join(port(0), u"alice"_s).value(u"resume"_s).toString();
        QVERIFY(!token.isEmpty());
        auto carol = joinOn(2, u"carol"_s);
        QVERIFY(carol);
        alice.sendJson(QJsonObject{{u"type"_s, u"nick"_s}, {u"nick"_s, u"alicia"_s}});
        QCOMPARE(carol->waitForFrame(u"renamed"_s).value(u"to"_s).toString(), u"alicia"_s);

        TestClient back;
        onlyTheTokenTakesBack(0, u"alicia"_s, token, alice, back);
        if (QTest::currentTestFailed())
            return;
        const QJsonObject left = carol->waitForFrame(u"left"_s);
        QCOMPARE(left.value(u"nick"_s).toString(), u"alicia"_s);
        QCOMPARE(carol->waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"alicia"_s);
        back.sendJson(Spec::say(u"same place"_s));
        QCOMPARE(carol->waitForFrame(u"message"_s).value(u"from"_s).toString(), u"alicia"_s);
    }
};

QTCHAT_TEST_MAIN(TestServerClusterResume)
#include "tst_server_cluster_resume.moc"
