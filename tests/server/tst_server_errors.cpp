// SPDX-License-Identifier: MIT
// Every error code of PROTOCOL.md, with its `ref`, from a real server on port 0.
// A refused request leaves the connection open, except frame-too-large and
// server-full, which close it.
#include "chatserver.h"
#include "serverfixture.h"
#include "spec.h"
#include "testclient.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QByteArray line(const QJsonObject &frame)
{
    return QJsonDocument(frame).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

class TestServerErrors final : public QObject
{
    Q_OBJECT

private:
    ServerFixture m_fixture;

private slots:
    void initTestCase() { TestServer::quietLogs(); }
    void init() { QVERIFY(m_fixture.start(TestServer::config())); }
    void cleanup() { m_fixture.kill(); }

    void refused_data()
    {
        QTest::addColumn<bool>("registered");
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("ref");

        const QString notRegistered = u"not-registered"_s;
        QTest::newRow("say before hello") << false << line(Spec::say(u"hi"_s)) << notRegistered << u"say"_s;
        QTest::newRow("whisper before hello")
            << false << line(Spec::whisper(u"taken"_s, u"hi"_s)) << notRegistered << u"whisper"_s;
        QTest::newRow("nick before hello") << false << line(Spec::nick(u"x"_s)) << notRegistered << u"nick"_s;
        QTest::newRow("who before hello") << false << line(Spec::who()) << notRegistered << u"who"_s;

        QTest::newRow("second hello") << true << line(Spec::hello(u"other"_s)) << u"already-registered"_s << u"hello"_s;

        const QString nickInvalid = u"nick-invalid"_s;
        QTest::newRow("hello with space") << false << line(Spec::hello(u"bad nick"_s)) << nickInvalid << u"hello"_s;
        QTest::newRow("hello empty") << false << line(Spec::hello(QString())) << nickInvalid << u"hello"_s;
        QTest::newRow("hello 25 characters")
            << false << line(Spec::hello(u"a"_s.repeated(25))) << nickInvalid << u"hello"_s;
        QTest::newRow("hello emoji") << false << line(Spec::hello(u"😀"_s)) << nickInvalid << u"hello"_s;
        QTest::newRow("nick invalid") << true << line(Spec::nick(u"no/slash"_s)) << nickInvalid << u"nick"_s;

        QTest::newRow("hello taken") << false << line(Spec::hello(u"taken"_s)) << u"nick-taken"_s << u"hello"_s;
        QTest::newRow("hello taken, other case")
            << false << line(Spec::hello(u"TAKEN"_s)) << u"nick-taken"_s << u"hello"_s;
        QTest::newRow("nick taken") << true << line(Spec::nick(u"Taken"_s)) << u"nick-taken"_s << u"nick"_s;
        // As implemented: asking for the nick you already have is refused as nick-taken.
        QTest::newRow("nick unchanged") << true << line(Spec::nick(u"me"_s)) << u"nick-taken"_s << u"nick"_s;

        const QString bad = u"bad-frame"_s;
        QTest::newRow("not JSON") << true << "hello everyone\n"_ba << bad << QString();
        QTest::newRow("not an object") << true << "[1,2,3]\n"_ba << bad << QString();
        QTest::newRow("no type") << true << "{\"text\":\"hi\"}\n"_ba << bad << QString();
        QTest::newRow("type not a string") << true << "{\"type\":1}\n"_ba << bad << QString();
        QTest::newRow("say without text") << true << "{\"type\":\"say\"}\n"_ba << bad << u"say"_s;
        QTest::newRow("say text number") << true << "{\"type\":\"say\",\"text\":5}\n"_ba << bad << u"say"_s;
        QTest::newRow("say action string")
            << true << "{\"type\":\"say\",\"text\":\"a\",\"action\":\"y\"}\n"_ba << bad << u"say"_s;
        QTest::newRow("hello nick array") << false << "{\"type\":\"hello\",\"nick\":[\"a\"]}\n"_ba << bad << u"hello"_s;
        QTest::newRow("whisper without to")
            << true << "{\"type\":\"whisper\",\"text\":\"a\"}\n"_ba << bad << u"whisper"_s;
        QTest::newRow("invalid UTF-8") << true << "{\"type\":\"say\",\"text\":\"caf\xe9\"}\n"_ba << bad << QString();
        QTest::newRow("invalid UTF-8 before hello")
            << false << "{\"type\":\"hello\",\"nick\":\"\xff\"}\n"_ba << bad << QString();

        QTest::newRow("unknown type") << true << "{\"type\":\"dance\"}\n"_ba << u"unknown-type"_s << u"dance"_s;
        QTest::newRow("unknown type before hello")
            << false << "{\"type\":\"dance\",\"room\":\"#qt\"}\n"_ba << u"unknown-type"_s << u"dance"_s;

        const QString textInvalid = u"text-invalid"_s;
        QTest::newRow("say empty") << true << line(Spec::say(QString())) << textInvalid << u"say"_s;
        QTest::newRow("say whitespace") << true << line(Spec::say(u" \n\t "_s)) << textInvalid << u"say"_s;
        QTest::newRow("say 4001") << true << line(Spec::say(u"x"_s.repeated(4001))) << textInvalid << u"say"_s;
        QTest::newRow("say CR") << true << line(Spec::say(u"a\rb"_s)) << textInvalid << u"say"_s;
        QTest::newRow("say escape sequence") << true << line(Spec::say(u"\u001b[2J"_s)) << textInvalid << u"say"_s;
        QTest::newRow("say NUL") << true << line(Spec::say(u"a\u0000b"_s)) << textInvalid << u"say"_s;
        QTest::newRow("say unpaired surrogate")
            << true << "{\"type\":\"say\",\"text\":\"a\\ud800b\"}\n"_ba << textInvalid << u"say"_s;
        QTest::newRow("whisper empty") << true << line(Spec::whisper(u"taken"_s, u"  "_s)) << textInvalid
                                       << u"whisper"_s;

        QTest::newRow("whisper nobody") << true << line(Spec::whisper(u"nobody"_s, u"hi"_s)) << u"no-such-user"_s
                                        << u"whisper"_s;
    }

    // The request is refused with the code and ref; the connection stays open
    // and nobody else hears anything.
    void refused()
    {
        QFETCH(bool, registered);
        QFETCH(QByteArray, request);
        QFETCH(QString, code);
        QFETCH(QString, ref);

        TestClient taken;
        QVERIFY(!taken.join(m_fixture.port(), u"taken"_s).isEmpty());
        TestClient client;
        if (registered) {
            QVERIFY(!client.join(m_fixture.port(), u"me"_s).isEmpty());
            QCOMPARE(Spec::type(taken.nextFrame()), u"joined"_s);
        } else {
            QVERIFY(client.connectToServer(m_fixture.port()));
        }

        client.sendRaw(request);
        const QJsonObject error = client.nextFrame();
        QCOMPARE(Spec::type(error), u"error"_s);
        QCOMPARE(error.value(u"code"_s).toString(), code);
        QCOMPARE(error.contains(u"ref"_s), !ref.isEmpty());
        QCOMPARE(error.value(u"ref"_s).toString(), ref);
        QVERIFY(!error.value(u"message"_s).toString().isEmpty());

        client.sendJson(Spec::ping(u"still open"_s));
        QCOMPARE(client.nextFrame().value(u"id"_s).toString(), u"still open"_s);

        taken.sendJson(Spec::ping(u"quiet"_s));
        QCOMPARE(Spec::type(taken.nextFrame()), u"pong"_s);
        QVERIFY(!taken.receivedInvalidUtf8());
    }

    // On nick-invalid or nick-taken the client may send another hello.
    void helloAgainAfterRefusal_data()
    {
        QTest::addColumn<QString>("firstNick");
        QTest::addColumn<QString>("code");
        QTest::newRow("invalid") << u"no way"_s << u"nick-invalid"_s;
        QTest::newRow("taken") << u"Taken"_s << u"nick-taken"_s;
    }

    void helloAgainAfterRefusal()
    {
        QFETCH(QString, firstNick);
        QFETCH(QString, code);
        TestClient taken;
        QVERIFY(!taken.join(m_fixture.port(), u"taken"_s).isEmpty());
        TestClient client;
        QVERIFY(client.connectToServer(m_fixture.port()));
        client.sendJson(Spec::hello(firstNick));
        QCOMPARE(client.nextFrame().value(u"code"_s).toString(), code);

        client.sendJson(Spec::hello(u"민수"_s));
        const QJsonObject welcome = client.nextFrame();
        QCOMPARE(Spec::type(welcome), u"welcome"_s);
        QCOMPARE(welcome.value(u"nick"_s).toString(), u"민수"_s);
        const QJsonObject joined = taken.nextFrame();
        QCOMPARE(Spec::type(joined), u"joined"_s);
        QCOMPARE(joined.value(u"nick"_s).toString(), u"민수"_s);
    }

    // The nick is compared after NFC: the decomposed spelling of a taken nick is taken.
    void nickTakenAfterNormalization()
    {
        TestClient jose;
        const QJsonObject welcome = jose.join(m_fixture.port(), u"Jose\u0301"_s);
        QCOMPARE(welcome.value(u"nick"_s).toString(), u"José"_s);
        TestClient other;
        QVERIFY(other.connectToServer(m_fixture.port()));
        other.sendJson(Spec::hello(u"JOSÉ"_s));
        QCOMPARE(other.nextFrame().value(u"code"_s).toString(), u"nick-taken"_s);
    }

    void frameTooLarge_data()
    {
        QTest::addColumn<qsizetype>("frameBytes");
        QTest::addColumn<bool>("accepted");
        // LF included, as PROTOCOL.md counts.
        QTest::newRow("exactly 65536") << qsizetype(65536) << true;
        QTest::newRow("65537") << qsizetype(65537) << false;
        QTest::newRow("1 MiB") << qsizetype(1 << 20) << false;
    }

    void frameTooLarge()
    {
        QFETCH(qsizetype, frameBytes);
        QFETCH(bool, accepted);
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];

        // A say padded with an unknown field up to the size wanted.
        const QByteArray head = "{\"type\":\"say\",\"text\":\"big\",\"pad\":\""_ba;
        const QByteArray tail = "\"}\n"_ba;
        alice.sendRaw(head + QByteArray(frameBytes - head.size() - tail.size(), 'p') + tail);

        const QJsonObject reply = alice.nextFrame();
        if (accepted) {
            QCOMPARE(Spec::type(reply), u"message"_s);
            QCOMPARE(reply.value(u"text"_s).toString(), u"big"_s);
            QCOMPARE(bob.nextFrame().value(u"text"_s).toString(), u"big"_s);
            return;
        }
        QCOMPARE(Spec::type(reply), u"error"_s);
        QCOMPARE(reply.value(u"code"_s).toString(), u"frame-too-large"_s);
        QVERIFY(alice.waitForDisconnected());
        const QJsonObject left = bob.nextFrame();
        QCOMPARE(Spec::type(left), u"left"_s);
        QCOMPARE(left.value(u"nick"_s).toString(), u"alice"_s);
    }

    // A frame that never ends is cut off at the limit, not buffered forever.
    void endlessFrameIsCutOff()
    {
        TestClient client;
        QVERIFY(client.connectToServer(m_fixture.port()));
        client.sendRaw("{\"type\":\"say\",\"text\":\""_ba + QByteArray(70000, 'x'));
        const QJsonObject error = client.nextFrame();
        QCOMPARE(error.value(u"code"_s).toString(), u"frame-too-large"_s);
        QVERIFY(client.waitForDisconnected());
    }

    void frameLimitIsAnOption()
    {
        ServerConfig config = TestServer::config();
        config.maxFrameBytes = 100;
        QVERIFY(m_fixture.start(config));
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        alice.sendJson(Spec::say(u"x"_s.repeated(100)));
        QCOMPARE(alice.nextFrame().value(u"code"_s).toString(), u"frame-too-large"_s);
        QVERIFY(alice.waitForDisconnected());
    }

    void serverFull()
    {
        ServerConfig config = TestServer::config();
        config.maxClients = 2;
        QVERIFY(m_fixture.start(config));
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());

        TestClient third;
        QVERIFY(third.connectToServer(m_fixture.port()));
        const QJsonObject error = third.nextFrame();
        QCOMPARE(Spec::type(error), u"error"_s);
        QCOMPARE(error.value(u"code"_s).toString(), u"server-full"_s);
        QVERIFY(!error.value(u"message"_s).toString().isEmpty());
        QVERIFY(third.waitForDisconnected());

        // Once someone leaves there is room again.
        clients[1]->sendJson(Spec::bye());
        QCOMPARE(Spec::type(clients[0]->nextFrame()), u"left"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.server()->connectionCount(), 1, TestClient::kTimeoutMsecs);
        TestClient fourth;
        QVERIFY(!fourth.join(m_fixture.port(), u"dave"_s).isEmpty());
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestServerErrors)
#include "tst_server_errors.moc"
