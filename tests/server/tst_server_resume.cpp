// SPDX-License-Identifier: MIT
// Resume tokens on one server (docs/protocol.md, "Taking a nickname back"),
// against a real server on port 0: `welcome` hands out a token; a `hello`
// with it takes the nickname over from a connection that still holds it
// (the old one gets `bye` resumed, the others see `left` then `joined`); a
// wrong or missing token is nick-taken; a token works once, follows a
// rename, and a token that is not a string is a bad-frame.
#include "serverfixture.h"
#include "spec.h"
#include "testclient.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QJsonObject helloResuming(const QString &nick, const QJsonValue &token)
{
    QJsonObject hello = Spec::hello(nick);
    hello.insert(u"resume"_s, token);
    return hello;
}

QString tokenOf(const QJsonObject &welcome)
{
    return welcome.value(u"resume"_s).toString();
}

} // namespace

class TestServerResume final : public QObject
{
    Q_OBJECT

private:
    ServerFixture m_fixture;

    // `client` is still registered: its ping is answered.
    static bool stillThere(TestClient &client)
    {
        client.sendJson(Spec::ping(u"there"_s));
        return client.waitForFrame(u"pong"_s).value(u"id"_s).toString() == u"there"_s;
    }

private slots:
    void initTestCase() { TestServer::quietLogs(); }
    void init() { QVERIFY(m_fixture.start(TestServer::config())); }
    void cleanup() { m_fixture.kill(); }

    void welcomeCarriesAFreshToken()
    {
        TestClient alice;
        const QString first = tokenOf(alice.join(m_fixture.port(), u"alice"_s));
        QVERIFY(QRegularExpression(u"^[A-Za-z0-9_-]{32}$"_s).match(first).hasMatch());
        TestClient bob;
        const QString second = tokenOf(bob.join(m_fixture.port(), u"bob"_s));
        QVERIFY(QRegularExpression(u"^[A-Za-z0-9_-]{32}$"_s).match(second).hasMatch());
        QVERIFY(first != second);
    }

    void tokenTakesTheNicknameOver()
    {
        TestClient alice;
        const QString token = tokenOf(alice.join(m_fixture.port(), u"alice"_s));
        TestClient bob;
        QVERIFY(!bob.join(m_fixture.port(), u"bob"_s).isEmpty());
        QCOMPARE(alice.waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"bob"_s);

        // alice's old connection is half dead as far as the server can tell:
        // still open. Her new one comes with the token.
        TestClient back;
        QVERIFY(back.connectToServer(m_fixture.port()));
        back.sendJson(helloResuming(u"Alice"_s, token));
        const QJsonObject welcome = back.waitForFrame(u"welcome"_s);
        QCOMPARE(welcome.value(u"nick"_s).toString(), u"Alice"_s);
        QCOMPARE(welcome.value(u"users"_s).toVariant().toStringList(), (QStringList{u"Alice"_s, u"bob"_s}));
        QVERIFY(!tokenOf(welcome).isEmpty());
        QVERIFY(tokenOf(welcome) != token);

        const QJsonObject bye = alice.waitForFrame(u"bye"_s);
        QCOMPARE(bye.value(u"reason"_s).toString(), u"resumed"_s);
        QVERIFY(alice.waitForDisconnected());

        const QJsonObject left = bob.nextFrame();
        QCOMPARE(left.value(u"type"_s).toString(), u"left"_s);
        QCOMPARE(left.value(u"nick"_s).toString(), u"alice"_s);
        QCOMPARE(left.value(u"reason"_s).toString(), u"disconnected"_s);
        const QJsonObject joined = bob.nextFrame();
        QCOMPARE(joined.value(u"type"_s).toString(), u"joined"_s);
        QCOMPARE(joined.value(u"nick"_s).toString(), u"Alice"_s);

        back.sendJson(Spec::say(u"I am back"_s));
        QCOMPARE(bob.waitForFrame(u"message"_s).value(u"from"_s).toString(), u"Alice"_s);
    }

    void wrongOrMissingTokenIsNickTaken()
    {
        TestClient alice;
        const QString token = tokenOf(alice.join(m_fixture.port(), u"alice"_s));
        TestClient other;
        QVERIFY(other.connectToServer(m_fixture.port()));
        other.sendJson(helloResuming(u"alice"_s, QString(token).replace(0, 1, token.at(0) == u'A' ? u'B' : u'A')));
        QCOMPARE(other.waitForFrame(u"error"_s).value(u"code"_s).toString(), u"nick-taken"_s);
        other.sendJson(Spec::hello(u"alice"_s));
        QCOMPARE(other.waitForFrame(u"error"_s).value(u"code"_s).toString(), u"nick-taken"_s);
        other.sendJson(helloResuming(u"alice"_s, u""_s));
        QCOMPARE(other.waitForFrame(u"error"_s).value(u"code"_s).toString(), u"nick-taken"_s);
        // Another user's token is no key to alice.
        TestClient bob;
        const QString bobs = tokenOf(bob.join(m_fixture.port(), u"bob"_s));
        other.sendJson(helloResuming(u"alice"_s, bobs));
        QCOMPARE(other.waitForFrame(u"error"_s).value(u"code"_s).toString(), u"nick-taken"_s);
        QVERIFY(stillThere(alice));
        QVERIFY(stillThere(bob));
    }

    void tokenWorksOnceAndFollowsARename()
    {
        TestClient first;
        const QString token = tokenOf(first.join(m_fixture.port(), u"alice"_s));
        TestClient second;
        QVERIFY(second.connectToServer(m_fixture.port()));
        second.sendJson(helloResuming(u"alice"_s, token));
        const QString rotated = tokenOf(second.waitForFrame(u"welcome"_s));
        QVERIFY(!rotated.isEmpty());

        // The first token was used up: it no longer takes alice back.
        TestClient third;
        QVERIFY(third.connectToServer(m_fixture.port()));
        third.sendJson(helloResuming(u"alice"_s, token));
        QCOMPARE(third.waitForFrame(u"error"_s).value(u"code"_s).toString(), u"nick-taken"_s);
        QVERIFY(stillThere(second));

        // The token belongs to the user, under the nickname they have now.
        second.sendJson(Spec::nick(u"alicia"_s));
        QCOMPARE(second.waitForFrame(u"renamed"_s).value(u"to"_s).toString(), u"alicia"_s);
        third.sendJson(helloResuming(u"alicia"_s, rotated));
        QCOMPARE(third.waitForFrame(u"welcome"_s).value(u"nick"_s).toString(), u"alicia"_s);
        QCOMPARE(second.waitForFrame(u"bye"_s).value(u"reason"_s).toString(), u"resumed"_s);
    }

    void tokenOfAFreeNicknameIsAPlainHello()
    {
        TestClient alice;
        const QString token = tokenOf(alice.join(m_fixture.port(), u"alice"_s));
        alice.sendJson(Spec::bye());
        QVERIFY(alice.waitForDisconnected());
        TestClient back;
        QVERIFY(back.connectToServer(m_fixture.port()));
        back.sendJson(helloResuming(u"alice"_s, token));
        const QJsonObject welcome = back.waitForFrame(u"welcome"_s);
        QCOMPARE(welcome.value(u"nick"_s).toString(), u"alice"_s);
        QVERIFY(tokenOf(welcome) != token);
    }

    void tokenThatIsNotAStringIsABadFrame()
    {
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        TestClient other;
        QVERIFY(other.connectToServer(m_fixture.port()));
        other.sendJson(helloResuming(u"alice"_s, 42));
        const QJsonObject error = other.waitForFrame(u"error"_s);
        QCOMPARE(error.value(u"code"_s).toString(), u"bad-frame"_s);
        QCOMPARE(error.value(u"ref"_s).toString(), u"hello"_s);
        QVERIFY(stillThere(alice));
    }

    void textModeGetsNoToken()
    {
        TestClient guest;
        QVERIFY(guest.connectToServer(m_fixture.port()));
        guest.sendLine(u"hello"_s);
        QVERIFY(guest.waitForTextLine([](const QString &line) { return line.contains(u"guest1"_s); }));
        for (const QByteArray &line : guest.history())
            QVERIFY2(!line.contains("resume"), line.constData());
    }
};

QTCHAT_TEST_MAIN(TestServerResume)
#include "tst_server_resume.moc"
