// SPDX-License-Identifier: MIT
// The client core comes back after a lost connection with `hello` `since`
// the last message id it saw, so it gets exactly what it missed: nothing
// lost, nothing twice.
#include "chatclient.h"
#include "clientfixture.h"
#include "serverfixture.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonDocument>
#include <QJsonObject>
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
