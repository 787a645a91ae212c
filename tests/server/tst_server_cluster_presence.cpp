// SPDX-License-Identifier: MIT
// Presence across a cluster (docs/protocol.md, "Presence", "Several
// instances"): chat-server instances sharing one private redis-server.
// `away` and `back` reach users on every instance, a whisper's sender on
// another instance hears the recipient is away, an instance that starts
// later reads the away users with the room, and Redis forgets an away
// message when its user leaves or is renamed.
#include "clustertest.h"
#include "spec.h"
#include "testharness.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
QJsonObject away(const QString &message)
{
    return {{u"type"_s, u"away"_s}, {u"message"_s, message}};
}

QJsonObject awayOf(const QJsonObject &frame)
{
    return frame.value(u"away"_s).toObject();
}
} // namespace

class TestServerClusterPresence final : public ClusterTest
{
    Q_OBJECT

private slots:
    void awayAndBackCrossInstances()
    {
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        QVERIFY(alice && bob);
        alice->sendJson(away(u"lunch"_s));
        const QJsonObject seen = bob->waitForFrame(u"away"_s, kWaitMsecs);
        QCOMPARE(seen.value(u"nick"_s).toString(), u"alice"_s);
        QCOMPARE(seen.value(u"message"_s).toString(), u"lunch"_s);
        QCOMPARE(alice->waitForFrame(u"away"_s, kWaitMsecs).value(u"nick"_s).toString(), u"alice"_s);

        // Instance 1 follows the stream: its lists and its whisper echo know.
        bob->sendJson(Spec::who());
        QCOMPARE(awayOf(bob->waitForFrame(u"users"_s, kWaitMsecs)), (QJsonObject{{u"alice"_s, u"lunch"_s}}));
        bob->sendJson(Spec::whisper(u"alice"_s, u"there?"_s));
        QCOMPARE(bob->waitForFrame(u"whisper"_s, kWaitMsecs).value(u"away"_s).toString(), u"lunch"_s);
        QCOMPARE(alice->waitForFrame(u"whisper"_s, kWaitMsecs).value(u"text"_s).toString(), u"there?"_s);
        TestClient carol;
        QCOMPARE(awayOf(carol.join(port(2), u"carol"_s)), (QJsonObject{{u"alice"_s, u"lunch"_s}}));

        // An instance that starts now reads the away users with the room.
        const int late = startInstance();
        QVERIFY(late >= 0);
        TestClient dave;
        QCOMPARE(awayOf(dave.join(port(late), u"dave"_s)), (QJsonObject{{u"alice"_s, u"lunch"_s}}));

        alice->sendJson(QJsonObject{{u"type"_s, u"back"_s}});
        QCOMPARE(bob->waitForFrame(u"back"_s, kWaitMsecs).value(u"nick"_s).toString(), u"alice"_s);
        QCOMPARE(dave.waitForFrame(u"back"_s, kWaitMsecs).value(u"nick"_s).toString(), u"alice"_s);
        dave.sendJson(Spec::who());
        QVERIFY(!dave.waitForFrame(u"users"_s, kWaitMsecs).contains(u"away"_s));
    }

    void redisForgetsAwayOnRenameAndLeave()
    {
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        QVERIFY(alice && bob);
        alice->sendJson(away(u"lunch"_s));
        QCOMPARE(bob->waitForFrame(u"away"_s, kWaitMsecs).value(u"nick"_s).toString(), u"alice"_s);
        alice->sendJson(Spec::nick(u"alicia"_s));
        QCOMPARE(bob->waitForFrame(u"renamed"_s, kWaitMsecs).value(u"to"_s).toString(), u"alicia"_s);
        bob->sendJson(Spec::who());
        QCOMPARE(awayOf(bob->waitForFrame(u"users"_s, kWaitMsecs)), (QJsonObject{{u"alicia"_s, u"lunch"_s}}));
        // Redis moved it too: a new instance lists the new name.
        const int late = startInstance();
        QVERIFY(late >= 0);
        TestClient carol;
        QCOMPARE(awayOf(carol.join(port(late), u"carol"_s)), (QJsonObject{{u"alicia"_s, u"lunch"_s}}));

        alice->disconnectFromServer();
        QCOMPARE(bob->waitForFrame(u"left"_s, kWaitMsecs).value(u"nick"_s).toString(), u"alicia"_s);
        QCOMPARE(carol.waitForFrame(u"left"_s, kWaitMsecs).value(u"nick"_s).toString(), u"alicia"_s);
        // Gone from Redis: a returning alicia is not away, not even for an
        // instance that starts after she came back.
        TestClient again;
        QVERIFY(!again.join(port(2), u"alicia"_s).contains(u"away"_s));
        QCOMPARE(bob->waitForFrame(u"joined"_s, kWaitMsecs).value(u"nick"_s).toString(), u"alicia"_s);
        const int later = startInstance();
        QVERIFY(later >= 0);
        TestClient dave;
        const QJsonObject welcome = dave.join(port(later), u"dave"_s);
        QVERIFY(Spec::strings(welcome.value(u"users"_s)).contains(u"alicia"_s));
        QVERIFY(!welcome.contains(u"away"_s));
    }
};

QTEST_GUILESS_MAIN(TestServerClusterPresence)
#include "tst_server_cluster_presence.moc"
