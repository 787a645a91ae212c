// SPDX-License-Identifier: MIT
// The client core comes back after a lost connection with `hello` `since`
// the last message id it saw, so it gets exactly what it missed: nothing
// lost, nothing twice; and with the resume token of its last `welcome`, so
// it takes its nickname back at once; it stays away when another session
// took the nickname over with that token (`bye` resumed).
#include "chatclient.h"
#include "clientfixture.h"
#include "serverfixture.h"
#include "testclient.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Protocol;
using namespace ClientFixture;

namespace {

std::unique_ptr<ChatClient> makeClient()
{
    return ClientFixture::makeClient(u"tst_chatclient_resume"_s, ClientFixture::Retry::Manual);
}

// Says each text and waits until `watcher` has received all of them.
bool post(ChatClient &sender, ChatClient &watcher, const QStringList &texts)
{
    QSignalSpy received(&watcher, &ChatClient::messageReceived);
    for (const QString &text : texts)
        sender.say(text);
    return QTest::qWaitFor([&] { return received.size() >= texts.size(); }, kWaitMsecs);
}

} // namespace

class TestChatClientResume final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { TestServer::quietLogs(); }

    // On the wire: no `since` on the first hello, the last id seen on the next.
    void helloCarriesSinceOnlyAfterRegistering()
    {
        QTcpServer fake;
        QVERIFY(fake.listen(QHostAddress::LocalHost, 0));
        auto alice = makeClient();
        alice->connectToServer(u"127.0.0.1"_s, fake.serverPort(), u"alice"_s);

        std::unique_ptr<QTcpSocket> first = nextConnection(fake);
        QVERIFY(first);
        const QJsonObject hello = readFrame(*first);
        QCOMPARE(hello.value(u"type"_s).toString(), u"hello"_s);
        QVERIFY(!hello.contains(u"since"_s));
        first->write(R"({"type":"welcome","nick":"alice","users":["alice"],"history":[)"
                     R"({"type":"message","id":41,"from":"bob","text":"old","ts":"2026-11-24T22:00:00.000Z"}],)"
                     R"("server":"fake","protocol":1})"
                     "\n"
                     R"({"type":"message","id":42,"from":"bob","text":"hi","ts":"2026-11-24T22:00:01.000Z"})"
                     "\n");
        QTRY_COMPARE_WITH_TIMEOUT(alice->lastMessageId(), 42, kWaitMsecs);

        QSignalSpy scheduled(alice.get(), &ChatClient::reconnectScheduled);
        first->abort();
        QVERIFY(scheduled.wait(kWaitMsecs));
        alice->reconnectNow();
        std::unique_ptr<QTcpSocket> second = nextConnection(fake);
        QVERIFY(second);
        const QJsonObject again = readFrame(*second);
        QCOMPARE(again.value(u"type"_s).toString(), u"hello"_s);
        QCOMPARE(again.value(u"since"_s), QJsonValue(42));
    }

    // On the wire: the token of the last welcome goes with every reconnect's
    // hello, never with the first, and each welcome's token replaces the last.
    void helloCarriesTheResumeTokenOnReconnect()
    {
        QTcpServer fake;
        QVERIFY(fake.listen(QHostAddress::LocalHost, 0));
        auto alice = makeClient();
        alice->connectToServer(u"127.0.0.1"_s, fake.serverPort(), u"alice"_s);
        std::unique_ptr<QTcpSocket> first = nextConnection(fake);
        QVERIFY(first);
        QVERIFY(!readFrame(*first).contains(u"resume"_s));
        QSignalSpy registered(alice.get(), &ChatClient::registered);
        first->write(R"({"type":"welcome","nick":"alice","users":["alice"],"history":[],"server":"fake",)"
                     R"("protocol":2,"resume":"token-one"})"
                     "\n");
        QVERIFY(registered.wait(kWaitMsecs));

        QSignalSpy scheduled(alice.get(), &ChatClient::reconnectScheduled);
        first->abort();
        QVERIFY(scheduled.wait(kWaitMsecs));
        alice->reconnectNow();
        std::unique_ptr<QTcpSocket> second = nextConnection(fake);
        QVERIFY(second);
        QCOMPARE(readFrame(*second).value(u"resume"_s), QJsonValue(u"token-one"_s));
        second->write(R"({"type":"welcome","nick":"alice","users":["alice"],"history":[],"server":"fake",)"
                      R"("protocol":2,"resume":"token-two"})"
                      "\n");
        QVERIFY(registered.wait(kWaitMsecs));

        second->abort();
        QVERIFY(scheduled.wait(kWaitMsecs));
        alice->reconnectNow();
        std::unique_ptr<QTcpSocket> third = nextConnection(fake);
        QVERIFY(third);
        QCOMPARE(readFrame(*third).value(u"resume"_s), QJsonValue(u"token-two"_s));
    }

    // On the wire: every `say` carries a cid; one refused with
    // `cluster-unavailable` (Redis away for a moment) goes again, same cid
    // and text, after a pause, without troubling the user; its echo settles it.
    void unavailableSayGoesAgainWithItsCid()
    {
        QTcpServer fake;
        QVERIFY(fake.listen(QHostAddress::LocalHost, 0));
        auto alice = makeClient();
        QSignalSpy registered(alice.get(), &ChatClient::registered);
        alice->connectToServer(u"127.0.0.1"_s, fake.serverPort(), u"alice"_s);
        std::unique_ptr<QTcpSocket> server = nextConnection(fake);
        QVERIFY(server);
        QCOMPARE(readFrame(*server).value(u"type"_s).toString(), u"hello"_s);
        server->write(R"({"type":"welcome","nick":"alice","users":["alice"],"history":[],"server":"fake",)"
                      R"("protocol":2})"
                      "\n");
        QVERIFY(registered.wait(kWaitMsecs));

        QSignalSpy errors(alice.get(), &ChatClient::errorReceived);
        QSignalSpy drained(alice.get(), &ChatClient::outboxDrained);
        alice->say(u"during the failover"_s);
        const QJsonObject first = readFrame(*server);
        QCOMPARE(first.value(u"type"_s).toString(), u"say"_s);
        const QString cid = first.value(u"cid"_s).toString();
        QVERIFY(!cid.isEmpty());
        server->write(R"({"type":"error","code":"cluster-unavailable","message":"later","ref":"say"})"
                      "\n");
        const QJsonObject again = readFrame(*server);
        QCOMPARE(again.value(u"type"_s).toString(), u"say"_s);
        QCOMPARE(again.value(u"text"_s).toString(), u"during the failover"_s);
        QCOMPARE(again.value(u"cid"_s).toString(), cid);
        server->write(R"({"type":"message","id":7,"from":"alice","text":"during the failover",)"
                      R"("ts":"2026-12-05T22:00:00.000Z"})"
                      "\n");
        QVERIFY(drained.wait(kWaitMsecs));
        QCOMPARE(alice->unconfirmedCount(), 0);
        QCOMPARE(errors.size(), 0);

        // The next message has a cid of its own.
        alice->say(u"after"_s);
        const QString next = readFrame(*server).value(u"cid"_s).toString();
        QVERIFY(!next.isEmpty());
        QVERIFY(next != cid);
    }

    // `server-busy` (the server's room has too much waiting) refused the
    // whisper before anyone saw it: it goes again after a pause, unreported.
    void busyWhisperGoesAgain()
    {
        QTcpServer fake;
        QVERIFY(fake.listen(QHostAddress::LocalHost, 0));
        auto alice = makeClient();
        QSignalSpy registered(alice.get(), &ChatClient::registered);
        alice->connectToServer(u"127.0.0.1"_s, fake.serverPort(), u"alice"_s);
        std::unique_ptr<QTcpSocket> server = nextConnection(fake);
        QVERIFY(server);
        QCOMPARE(readFrame(*server).value(u"type"_s).toString(), u"hello"_s);
        server->write(R"({"type":"welcome","nick":"alice","users":["alice","bob"],"history":[],"server":"fake",)"
                      R"("protocol":2})"
                      "\n");
        QVERIFY(registered.wait(kWaitMsecs));

        QSignalSpy errors(alice.get(), &ChatClient::errorReceived);
        QSignalSpy drained(alice.get(), &ChatClient::outboxDrained);
        alice->whisper(u"bob"_s, u"are you there"_s);
        QCOMPARE(readFrame(*server).value(u"type"_s).toString(), u"whisper"_s);
        server->write(R"({"type":"error","code":"server-busy","message":"later","ref":"whisper"})"
                      "\n");
        const QJsonObject again = readFrame(*server);
        QCOMPARE(again.value(u"type"_s).toString(), u"whisper"_s);
        QCOMPARE(again.value(u"text"_s).toString(), u"are you there"_s);
        server->write(R"({"type":"whisper","from":"alice","to":"bob","text":"are you there",)"
                      R"("ts":"2026-12-06T02:00:00.000Z"})"
                      "\n");
        QVERIFY(drained.wait(kWaitMsecs));
        QCOMPARE(alice->unconfirmedCount(), 0);
        QCOMPARE(errors.size(), 0);
    }

    // Against a real server: another connection takes alice's nickname over
    // with her token. Her client is told `bye` resumed and does not come
    // back to fight over the nickname.
    void noReconnectAfterTheNicknameWasTakenOver()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto alice = ClientFixture::makeClient(u"tst_chatclient_resume"_s, ClientFixture::Retry::Automatic);
        QSignalSpy registered(alice.get(), &ChatClient::registered);
        QVERIFY(connectAs(*alice, server.port(), u"alice"_s));
        const QString token = registered.first().first().value<Welcome>().resume;
        QVERIFY(!token.isEmpty());

        QSignalSpy closing(alice.get(), &ChatClient::serverClosing);
        QSignalSpy scheduled(alice.get(), &ChatClient::reconnectScheduled);
        TestClient other;
        QVERIFY(other.connectToServer(server.port()));
        QJsonObject hello{{u"type"_s, u"hello"_s}, {u"nick"_s, u"alice"_s}, {u"resume"_s, token}};
        other.sendJson(hello);
        QCOMPARE(other.waitForFrame(u"welcome"_s).value(u"nick"_s).toString(), u"alice"_s);
        QTRY_COMPARE_WITH_TIMEOUT(closing.size(), 1, kWaitMsecs);
        QCOMPARE(closing.first().first().toString(), u"resumed"_s);
        QTRY_COMPARE_WITH_TIMEOUT(alice->state(), ChatClient::State::Disconnected, kWaitMsecs);
        QVERIFY(scheduled.isEmpty());
        // The other session keeps the nickname: it is still answered.
        other.sendJson(QJsonObject{{u"type"_s, u"ping"_s}, {u"id"_s, 7}});
        QCOMPARE(other.waitForFrame(u"pong"_s).value(u"id"_s).toInt(), 7);
    }

    // Against a real server with a store, restarted while alice is away:
    // her next welcome carries exactly the messages she missed.
    void reconnectGetsExactlyTheMissedMessages()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ServerConfig config;
        config.store = dir.filePath(u"chat.db"_s);
        ServerFixture server(config);
        QVERIFY(server.start());

        auto alice = makeClient();
        auto bob = makeClient();
        QVERIFY(connectAs(*alice, server.port(), u"alice"_s));
        QVERIFY(connectAs(*bob, server.port(), u"bob"_s));
        QSignalSpy aliceLive(alice.get(), &ChatClient::messageReceived);
        QVERIFY(post(*bob, *alice, {u"m1"_s, u"m2"_s}));
        QCOMPARE(alice->lastMessageId(), 2);

        QSignalSpy aliceScheduled(alice.get(), &ChatClient::reconnectScheduled);
        QSignalSpy bobScheduled(bob.get(), &ChatClient::reconnectScheduled);
        server.kill();
        QVERIFY(aliceScheduled.wait(kWaitMsecs) || !aliceScheduled.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!bobScheduled.isEmpty(), kWaitMsecs);
        QVERIFY(server.start());

        QSignalSpy bobBack(bob.get(), &ChatClient::registered);
        bob->reconnectNow();
        QVERIFY(bobBack.wait(kWaitMsecs));
        // Posted while alice is away.
        QSignalSpy bobEchoes(bob.get(), &ChatClient::messageReceived);
        bob->say(u"m3"_s);
        bob->say(u"m4"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bobEchoes.size(), 2, kWaitMsecs);

        QSignalSpy aliceBack(alice.get(), &ChatClient::registered);
        alice->reconnectNow();
        QVERIFY(aliceBack.wait(kWaitMsecs));
        const auto welcome = aliceBack.first().first().value<Welcome>();
        QList<qint64> seen;
        for (const QList<QVariant> &args : aliceLive)
            seen.append(args.first().value<ChatMessage>().id);
        QStringList missed;
        for (const ChatMessage &m : welcome.history) {
            seen.append(m.id);
            missed.append(m.text);
        }
        QCOMPARE(missed, (QStringList{u"m3"_s, u"m4"_s}));
        QCOMPARE(seen, (QList<qint64>{1, 2, 3, 4})); // each once, in order
        QVERIFY(!welcome.truncated);
        QCOMPARE(alice->lastMessageId(), 4);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestChatClientResume)
#include "tst_chatclient_resume.moc"
