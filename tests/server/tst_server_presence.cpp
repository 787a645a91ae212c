// SPDX-License-Identifier: MIT
// Presence (docs/protocol.md, "Presence") against a real server on port 0:
// `away` and `back` reach everyone, user lists carry the away messages, a
// whisper's sender hears that the recipient is away, the state follows a
// rename and ends with the connection, bad messages are refused, requests
// that change nothing are answered to the sender alone, and text-mode users
// have /away and /back.
#include "serverfixture.h"
#include "spec.h"
#include "testclient.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr int kOutOfReachMsecs = 10 * 60 * 1000;

QJsonObject away(const QString &message = {})
{
    QJsonObject frame{{u"type"_s, u"away"_s}};
    if (!message.isNull())
        frame.insert(u"message"_s, message);
    return frame;
}

QJsonObject back()
{
    return {{u"type"_s, u"back"_s}};
}

QJsonObject awayOf(const QJsonObject &frame)
{
    return frame.value(u"away"_s).toObject();
}

auto containing(const QString &needle)
{
    return [needle](const QString &line) { return line.contains(needle); };
}

} // namespace

class TestServerPresence final : public QObject
{
    Q_OBJECT

private:
    // `sender` says `marker` and `watcher` waits for it: everything the
    // server published before it (one order) has reached `watcher` by then.
    static bool settled(TestClient &sender, TestClient &watcher, const QString &marker)
    {
        sender.sendJson(Spec::say(marker));
        return watcher.waitForFrame(u"message"_s).value(u"text"_s).toString() == marker;
    }

    // Whether `client` got a frame of `type` since its history held `from` lines.
    static bool sawTypeSince(const TestClient &client, const QByteArray &type, qsizetype from)
    {
        const QList<QByteArray> &lines = client.history();
        for (qsizetype i = from; i < lines.size(); ++i) {
            if (lines.at(i).contains(QByteArray("\"type\":\"" + type + '"')))
                return true;
        }
        return false;
    }

    ServerFixture m_fixture;

private slots:
    void initTestCase() { TestServer::quietLogs(); }
    void init()
    {
        ServerConfig config = TestServer::config();
        // Text-mode timers are real time; no test here is about them.
        config.partialLineMsecs = kOutOfReachMsecs;
        config.greetingDelayMsecs = kOutOfReachMsecs;
        QVERIFY(m_fixture.start(config));
    }
    void cleanup() { m_fixture.kill(); }

    void awayReachesEveryoneAndIsListed()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QCOMPARE(clients.size(), 2u);
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        bob.sendJson(Spec::who());
        QVERIFY(!bob.waitForFrame(u"users"_s).contains(u"away"_s)); // nobody away: no field

        alice.sendJson(away(u"  out for lunch "_s));
        const QJsonObject seen = bob.waitForFrame(u"away"_s);
        QCOMPARE(seen.value(u"nick"_s).toString(), u"alice"_s);
        QCOMPARE(seen.value(u"message"_s).toString(), u"out for lunch"_s);
        QVERIFY(!seen.value(u"ts"_s).toString().isEmpty());
        QCOMPARE(alice.waitForFrame(u"away"_s).value(u"message"_s).toString(), u"out for lunch"_s);

        bob.sendJson(Spec::who());
        QCOMPARE(awayOf(bob.waitForFrame(u"users"_s)), (QJsonObject{{u"alice"_s, u"out for lunch"_s}}));
        TestClient carol;
        QCOMPARE(awayOf(carol.join(m_fixture.port(), u"carol"_s)), (QJsonObject{{u"alice"_s, u"out for lunch"_s}}));

        // A room's `room` and `users` list its away members only.
        alice.sendJson(QJsonObject{{u"type"_s, u"join"_s}, {u"room"_s, u"#dev"_s}});
        QVERIFY(!alice.waitForFrame(u"room"_s).isEmpty());
        bob.sendJson(QJsonObject{{u"type"_s, u"join"_s}, {u"room"_s, u"#dev"_s}});
        QCOMPARE(awayOf(bob.waitForFrame(u"room"_s)), (QJsonObject{{u"alice"_s, u"out for lunch"_s}}));
        carol.sendJson(QJsonObject{{u"type"_s, u"join"_s}, {u"room"_s, u"#empty"_s}});
        QVERIFY(!carol.waitForFrame(u"room"_s).contains(u"away"_s));

        // Away without a message: listed with "", the event without `message`.
        carol.sendJson(away());
        const QJsonObject plain = bob.waitForFrame(u"away"_s);
        QCOMPARE(plain.value(u"nick"_s).toString(), u"carol"_s);
        QVERIFY(!plain.contains(u"message"_s));
        bob.sendJson(Spec::who());
        QCOMPARE(awayOf(bob.waitForFrame(u"users"_s)),
                 (QJsonObject{{u"alice"_s, u"out for lunch"_s}, {u"carol"_s, u""_s}}));

        alice.sendJson(back());
        QCOMPARE(bob.waitForFrame(u"back"_s).value(u"nick"_s).toString(), u"alice"_s);
        QCOMPARE(alice.waitForFrame(u"back"_s).value(u"nick"_s).toString(), u"alice"_s);
        bob.sendJson(Spec::who());
        QCOMPARE(awayOf(bob.waitForFrame(u"users"_s)), (QJsonObject{{u"carol"_s, u""_s}}));
    }

    void aNewMessageIsAnnouncedTheSameOneAnsweredAlone()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QCOMPARE(clients.size(), 2u);
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        alice.sendJson(away(u"lunch"_s));
        QCOMPARE(bob.waitForFrame(u"away"_s).value(u"message"_s).toString(), u"lunch"_s);
        QCOMPARE(alice.waitForFrame(u"away"_s).value(u"message"_s).toString(), u"lunch"_s);

        alice.sendJson(away(u"meeting"_s));
        QCOMPARE(bob.waitForFrame(u"away"_s).value(u"message"_s).toString(), u"meeting"_s);
        QCOMPARE(alice.waitForFrame(u"away"_s).value(u"message"_s).toString(), u"meeting"_s);

        // Nothing changes: alice hears so, bob hears nothing.
        qsizetype mark = bob.history().size();
        alice.sendJson(away(u"meeting"_s));
        QCOMPARE(alice.waitForFrame(u"away"_s).value(u"message"_s).toString(), u"meeting"_s);
        QVERIFY(settled(alice, bob, u"marker 1"_s));
        QVERIFY(!sawTypeSince(bob, "away", mark));

        alice.sendJson(back());
        QCOMPARE(bob.waitForFrame(u"back"_s).value(u"nick"_s).toString(), u"alice"_s);
        QCOMPARE(alice.waitForFrame(u"back"_s).value(u"nick"_s).toString(), u"alice"_s);
        mark = bob.history().size();
        alice.sendJson(back());
        QCOMPARE(alice.waitForFrame(u"back"_s).value(u"nick"_s).toString(), u"alice"_s);
        QVERIFY(settled(alice, bob, u"marker 2"_s));
        QVERIFY(!sawTypeSince(bob, "back", mark));
    }

    void badAwayMessagesAreRefused_data()
    {
        QTest::addColumn<QString>("message");
        QTest::newRow("tab") << u"out\tnow"_s;
        QTest::newRow("two lines") << u"out\nnow"_s;
        QTest::newRow("too long") << QString(301, u'x');
    }

    void badAwayMessagesAreRefused()
    {
        QFETCH(QString, message);
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        alice.sendJson(away(message));
        const QJsonObject error = alice.waitForFrame(u"error"_s);
        QCOMPARE(error.value(u"code"_s).toString(), u"text-invalid"_s);
        QCOMPARE(error.value(u"ref"_s).toString(), u"away"_s);
        QVERIFY(error.value(u"message"_s).toString().contains(u"away message"_s));
        alice.sendJson(Spec::who());
        QVERIFY(!alice.waitForFrame(u"users"_s).contains(u"away"_s));
    }

    void exactlyThreeHundredCharactersAreAccepted()
    {
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        const QString longest(300, u'가');
        alice.sendJson(away(longest));
        QCOMPARE(alice.waitForFrame(u"away"_s).value(u"message"_s).toString(), longest);
    }

    void awayNeedsRegistration()
    {
        TestClient stranger;
        QVERIFY(stranger.connectToServer(m_fixture.port()));
        stranger.sendJson(away(u"lunch"_s));
        const QJsonObject error = stranger.waitForFrame(u"error"_s);
        QCOMPARE(error.value(u"code"_s).toString(), u"not-registered"_s);
        QCOMPARE(error.value(u"ref"_s).toString(), u"away"_s);
    }

    void aWhisperTellsTheSenderTheRecipientIsAway()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QCOMPARE(clients.size(), 2u);
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        bob.sendJson(Spec::whisper(u"alice"_s, u"there?"_s));
        QVERIFY(!bob.waitForFrame(u"whisper"_s).contains(u"away"_s)); // not away: no field
        QVERIFY(!alice.waitForFrame(u"whisper"_s).contains(u"away"_s));

        alice.sendJson(away(u"lunch"_s));
        QCOMPARE(bob.waitForFrame(u"away"_s).value(u"nick"_s).toString(), u"alice"_s);
        bob.sendJson(Spec::whisper(u"ALICE"_s, u"still there?"_s));
        const QJsonObject echo = bob.waitForFrame(u"whisper"_s);
        QCOMPARE(echo.value(u"text"_s).toString(), u"still there?"_s);
        QCOMPARE(echo.value(u"away"_s).toString(), u"lunch"_s);
        // Delivered all the same, and the recipient's copy says nothing of it.
        const QJsonObject delivered = alice.waitForFrame(u"whisper"_s);
        QCOMPARE(delivered.value(u"text"_s).toString(), u"still there?"_s);
        QVERIFY(!delivered.contains(u"away"_s));

        // Away without a message: the field is there, empty.
        alice.sendJson(away());
        QVERIFY(!bob.waitForFrame(u"away"_s).contains(u"message"_s));
        bob.sendJson(Spec::whisper(u"alice"_s, u"ok"_s));
        const QJsonObject plain = bob.waitForFrame(u"whisper"_s);
        QVERIFY(plain.value(u"away"_s).isString());
        QCOMPARE(plain.value(u"away"_s).toString(), QString());
    }

    void awayFollowsARenameAndEndsWithTheConnection()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QCOMPARE(clients.size(), 2u);
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        alice.sendJson(away(u"lunch"_s));
        QCOMPARE(bob.waitForFrame(u"away"_s).value(u"nick"_s).toString(), u"alice"_s);
        alice.sendJson(Spec::nick(u"alicia"_s));
        QCOMPARE(bob.waitForFrame(u"renamed"_s).value(u"to"_s).toString(), u"alicia"_s);
        bob.sendJson(Spec::who());
        QCOMPARE(awayOf(bob.waitForFrame(u"users"_s)), (QJsonObject{{u"alicia"_s, u"lunch"_s}}));

        alice.disconnectFromServer();
        QCOMPARE(bob.waitForFrame(u"left"_s).value(u"nick"_s).toString(), u"alicia"_s);
        TestClient again;
        QVERIFY(!again.join(m_fixture.port(), u"alicia"_s).contains(u"away"_s));
        bob.sendJson(Spec::who());
        QVERIFY(!bob.waitForFrame(u"users"_s).contains(u"away"_s));
    }

    void textModeHasAwayAndBack()
    {
        TestClient bob;
        QVERIFY(!bob.join(m_fixture.port(), u"bob"_s).isEmpty());
        TestClient text;
        QVERIFY(text.connectToServer(m_fixture.port()));
        text.sendLine(u"/away 밥 먹으러 갑니다"_s);
        QVERIFY(text.waitForTextLine(containing(u"* guest1 is away: 밥 먹으러 갑니다"_s)));
        const QJsonObject seen = bob.waitForFrame(u"away"_s);
        QCOMPARE(seen.value(u"nick"_s).toString(), u"guest1"_s);
        QCOMPARE(seen.value(u"message"_s).toString(), u"밥 먹으러 갑니다"_s);

        bob.sendJson(away());
        QVERIFY(text.waitForTextLine(containing(u"* bob is away"_s)));
        text.sendLine(u"/who"_s);
        QVERIFY(text.waitForTextLine(containing(u"* 2 users online: bob (away), guest1 (away: 밥 먹으러 갑니다)"_s)));
        text.sendLine(u"/msg bob are you there?"_s);
        QVERIFY(text.waitForTextLine(containing(u"-> *bob* are you there?"_s)));
        QVERIFY(text.waitForTextLine(containing(u"* bob is away"_s)));

        text.sendLine(u"/back now"_s);
        QVERIFY(text.waitForTextLine(containing(u"* usage: /back"_s)));
        text.sendLine(u"/back"_s);
        QVERIFY(text.waitForTextLine(containing(u"* guest1 is back"_s)));
        QCOMPARE(bob.waitForFrame(u"back"_s).value(u"nick"_s).toString(), u"guest1"_s);
    }
};

QTEST_GUILESS_MAIN(TestServerPresence)
#include "tst_server_presence.moc"
