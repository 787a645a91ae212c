// SPDX-License-Identifier: MIT
// The client core against a real server on a free port: what both front ends
// rely on (registration, events, the user list, nothing typed is ever lost,
// reconnection with backoff, clear reasons when it cannot connect).
#include "chatclient.h"
#include "clientfixture.h"
#include "reservedport.h"
#include "serverfixture.h"
#include "testharness.h"
#include "testserver.h"

#include <QHostAddress>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Protocol;
using namespace ClientFixture;

namespace {

// Long enough that a test decides when to retry (reconnectNow), not the timer.
constexpr int kManualBackoffMsecs = 60 * 1000;
// silentServerIsTreatedAsDead: ping soon, give up a while later.
constexpr int kSilentPingMsecs = 100;
constexpr int kSilentIdleMsecs = 1000;

std::unique_ptr<ChatClient> makeClient()
{
    return ClientFixture::makeClient(u"tst_chatclient"_s);
}

QStringList texts(const QSignalSpy &spy)
{
    QStringList result;
    for (const QList<QVariant> &args : spy)
        result.append(args.at(0).value<ChatMessage>().text);
    return result;
}

} // namespace

class TestChatClient final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void registersAndSeesItsOwnMessage();
    void refusedNicknameCanBeRetried();
    void eventsKeepTheUserListCurrent();
    void whisperIsEchoedAndUnknownUserIsAnError();
    void slashCommandsAreHandled();
    void burstOfInputIsPacedNotRefused();
    void politeQuitIsSeenAsQuit();
    void reconnectsAfterRestartAndDeliversQueuedMessages();
    void backoffDelaysFollowTheInjectedRandomSource();
    void silentServerIsTreatedAsDead();
    void connectionRefusedIsFinalBeforeRegistering();
    void unknownHostIsReported();
    void fullServerRefusesRegistration();
};

void TestChatClient::initTestCase()
{
    TestServer::quietLogs();
}

void TestChatClient::registersAndSeesItsOwnMessage()
{
    ServerFixture server;
    QVERIFY(server.start());
    auto alice = makeClient();
    QSignalSpy states(alice.get(), &ChatClient::stateChanged);
    QSignalSpy registered(alice.get(), &ChatClient::registered);
    alice->connectToServer(u"127.0.0.1"_s, server.port(), u"alice"_s);
    QVERIFY(registered.wait(kWaitMsecs));

    const auto welcome = registered.first().first().value<Welcome>();
    QCOMPARE(welcome.nick, u"alice"_s);
    QCOMPARE(alice->users(), QStringList{u"alice"_s});
    QCOMPARE(alice->state(), ChatClient::State::Online);
    QCOMPARE(states.first().first().value<ChatClient::State>(), ChatClient::State::Connecting);

    QSignalSpy messages(alice.get(), &ChatClient::messageReceived);
    QSignalSpy drained(alice.get(), &ChatClient::outboxDrained);
    alice->say(u"안녕하세요"_s);
    QCOMPARE(alice->unconfirmedCount(), 1);
    QVERIFY(drained.wait(kWaitMsecs));
    QCOMPARE(texts(messages), QStringList{u"안녕하세요"_s});
    QCOMPARE(messages.first().first().value<ChatMessage>().from, u"alice"_s);
    QCOMPARE(alice->unconfirmedCount(), 0);
    QVERIFY(alice->lastMessageId() > 0);
}

void TestChatClient::refusedNicknameCanBeRetried()
{
    ServerFixture server;
    QVERIFY(server.start());
    auto alice = makeClient();
    QVERIFY(connectAs(*alice, server.port(), u"alice"_s));

    auto second = makeClient();
    QSignalSpy refused(second.get(), &ChatClient::registrationRefused);
    QSignalSpy registered(second.get(), &ChatClient::registered);
    second->connectToServer(u"127.0.0.1"_s, server.port(), u"ALICE"_s);
    QVERIFY(refused.wait(kWaitMsecs));
    QCOMPARE(refused.first().first().value<Error>().code, ErrorCode::NickTaken);
    QCOMPARE(second->state(), ChatClient::State::Registering);

    // Same connection, another name.
    second->registerAs(u"bob"_s);
    QVERIFY(registered.wait(kWaitMsecs));
    QCOMPARE(second->nick(), u"bob"_s);
    QCOMPARE(second->users(), (QStringList{u"alice"_s, u"bob"_s}));
}

void TestChatClient::eventsKeepTheUserListCurrent()
{
    ServerFixture server;
    QVERIFY(server.start());
    auto alice = makeClient();
    QVERIFY(connectAs(*alice, server.port(), u"alice"_s));
    QSignalSpy joined(alice.get(), &ChatClient::userJoined);
    QSignalSpy renamed(alice.get(), &ChatClient::userRenamed);
    QSignalSpy left(alice.get(), &ChatClient::userLeft);

    auto bob = makeClient();
    QVERIFY(connectAs(*bob, server.port(), u"Bob"_s));
    QTRY_COMPARE_WITH_TIMEOUT(joined.size(), 1, kWaitMsecs);
    QCOMPARE(alice->users(), (QStringList{u"alice"_s, u"Bob"_s}));

    QSignalSpy bobNick(bob.get(), &ChatClient::nickChanged);
    bob->changeNick(u"민수"_s);
    QVERIFY(renamed.wait(kWaitMsecs));
    QTRY_COMPARE_WITH_TIMEOUT(bobNick.size(), 1, kWaitMsecs);
    QCOMPARE(bob->nick(), u"민수"_s);
    QCOMPARE(alice->users(), (QStringList{u"alice"_s, u"민수"_s}));

    bob.reset(); // gone without a bye
    QVERIFY(left.wait(kWaitMsecs));
    QCOMPARE(left.first().first().value<Left>().nick, u"민수"_s);
    QCOMPARE(alice->users(), QStringList{u"alice"_s});
}

void TestChatClient::whisperIsEchoedAndUnknownUserIsAnError()
{
    ServerFixture server;
    QVERIFY(server.start());
    auto alice = makeClient();
    auto bob = makeClient();
    QVERIFY(connectAs(*alice, server.port(), u"alice"_s));
    QVERIFY(connectAs(*bob, server.port(), u"bob"_s));

    QSignalSpy bobWhispers(bob.get(), &ChatClient::whisperReceived);
    QSignalSpy aliceWhispers(alice.get(), &ChatClient::whisperReceived);
    QSignalSpy errors(alice.get(), &ChatClient::errorReceived);
    QSignalSpy drained(alice.get(), &ChatClient::outboxDrained);
    alice->whisper(u"bob"_s, u"psst"_s);
    alice->whisper(u"carol"_s, u"hello?"_s);
    QVERIFY(drained.wait(kWaitMsecs));
    // Both are answered, so a script waiting for its messages does not hang.
    QCOMPARE(aliceWhispers.size(), 1);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().first().value<Error>().code, ErrorCode::NoSuchUser);
    QTRY_COMPARE_WITH_TIMEOUT(bobWhispers.size(), 1, kWaitMsecs);
    const auto whisper = bobWhispers.first().first().value<WhisperMessage>();
    QCOMPARE(whisper.from, u"alice"_s);
    QCOMPARE(whisper.text, u"psst"_s);
}

void TestChatClient::slashCommandsAreHandled()
{
    ServerFixture server;
    QVERIFY(server.start());
    auto alice = makeClient();
    QVERIFY(connectAs(*alice, server.port(), u"alice"_s));
    QSignalSpy messages(alice.get(), &ChatClient::messageReceived);
    QSignalSpy users(alice.get(), &ChatClient::usersChanged);

    QCOMPARE(alice->submitInput(u"/me waves"_s).kind, ChatClient::InputResult::Kind::Sent);
    QVERIFY(messages.wait(kWaitMsecs));
    QVERIFY(messages.first().first().value<ChatMessage>().action);

    QCOMPARE(alice->submitInput(u"/who"_s).kind, ChatClient::InputResult::Kind::Sent);
    QVERIFY(users.wait(kWaitMsecs));

    const auto help = alice->submitInput(u"/help"_s);
    QCOMPARE(help.kind, ChatClient::InputResult::Kind::Local);
    QVERIFY(help.text.contains(u"/msg"_s));

    const auto bad = alice->submitInput(u"/frobnicate"_s);
    QCOMPARE(bad.kind, ChatClient::InputResult::Kind::Invalid);
    QVERIFY(!bad.text.isEmpty());

    QSignalSpy closed(alice.get(), &ChatClient::closed);
    QCOMPARE(alice->submitInput(u"/quit bye all"_s).kind, ChatClient::InputResult::Kind::Quit);
    QVERIFY(closed.wait(kWaitMsecs));
    QCOMPARE(alice->state(), ChatClient::State::Disconnected);
}

void TestChatClient::burstOfInputIsPacedNotRefused()
{
    // The server's default limit: 10 frames/s, bursts of 20.
    ServerFixture server;
    QVERIFY(server.start());
    auto bot = makeClient();
    QVERIFY(connectAs(*bot, server.port(), u"bot"_s));
    QSignalSpy messages(bot.get(), &ChatClient::messageReceived);
    QSignalSpy errors(bot.get(), &ChatClient::errorReceived);
    QSignalSpy drained(bot.get(), &ChatClient::outboxDrained);

    constexpr int kLines = 30;
    QStringList sent;
    for (int i = 1; i <= kLines; ++i) {
        sent.append(u"line %1"_s.arg(i));
        bot->submitInput(sent.last());
    }
    QVERIFY(drained.wait(kWaitMsecs));
    QCOMPARE(texts(messages), sent);
    QCOMPARE(errors.size(), 0);
}

void TestChatClient::politeQuitIsSeenAsQuit()
{
    ServerFixture server;
    QVERIFY(server.start());
    auto alice = makeClient();
    auto bob = makeClient();
    QVERIFY(connectAs(*alice, server.port(), u"alice"_s));
    QVERIFY(connectAs(*bob, server.port(), u"bob"_s));
    QSignalSpy left(alice.get(), &ChatClient::userLeft);
    QSignalSpy closed(bob.get(), &ChatClient::closed);

    bob->disconnectFromServer(u"lunch"_s);
    QVERIFY(closed.wait(kWaitMsecs));
    QTRY_COMPARE_WITH_TIMEOUT(left.size(), 1, kWaitMsecs);
    const auto event = left.first().first().value<Left>();
    QCOMPARE(event.nick, u"bob"_s);
    QCOMPARE(event.reason, LeaveReason::Quit);
}

void TestChatClient::reconnectsAfterRestartAndDeliversQueuedMessages()
{
    ServerFixture server;
    QVERIFY(server.start());
    auto alice = makeClient();
    alice->setBackoff(Backoff(kManualBackoffMsecs, kManualBackoffMsecs, 0.0));
    QVERIFY(connectAs(*alice, server.port(), u"alice"_s));
    QSignalSpy closing(alice.get(), &ChatClient::serverClosing);
    QSignalSpy scheduled(alice.get(), &ChatClient::reconnectScheduled);

    QVERIFY(server.stop());
    // The client may notice while stop() still waits for the server to finish.
    QTRY_VERIFY_WITH_TIMEOUT(!scheduled.isEmpty(), kWaitMsecs);
    QCOMPARE(closing.size(), 1);
    QCOMPARE(closing.first().first().toString(), u"shutdown"_s);
    QCOMPARE(alice->state(), ChatClient::State::Reconnecting);
    QVERIFY(alice->msecsUntilReconnect() > 0);

    // Typed while the server is away: kept, not lost.
    const auto result = alice->submitInput(u"are you back?"_s);
    QCOMPARE(result.kind, ChatClient::InputResult::Kind::Sent);
    QVERIFY(result.queued);
    alice->submitInput(u"/me knocks"_s);
    QCOMPARE(alice->unconfirmedCount(), 2);

    QVERIFY(server.start());
    auto bob = makeClient();
    QVERIFY(connectAs(*bob, server.port(), u"bob"_s));
    QSignalSpy bobMessages(bob.get(), &ChatClient::messageReceived);
    QSignalSpy registered(alice.get(), &ChatClient::registered);
    QSignalSpy drained(alice.get(), &ChatClient::outboxDrained);

    alice->reconnectNow();
    QVERIFY(registered.wait(kWaitMsecs));
    // The same nickname as before.
    QCOMPARE(registered.first().first().value<Welcome>().nick, u"alice"_s);
    QTRY_COMPARE_WITH_TIMEOUT(drained.size(), 1, kWaitMsecs);
    QTRY_COMPARE_WITH_TIMEOUT(bobMessages.size(), 2, kWaitMsecs);
    QCOMPARE(texts(bobMessages), (QStringList{u"are you back?"_s, u"knocks"_s}));
    QVERIFY(bobMessages.at(1).first().value<ChatMessage>().action);
    QCOMPARE(alice->unconfirmedCount(), 0);
}

void TestChatClient::backoffDelaysFollowTheInjectedRandomSource()
{
    ServerFixture server;
    QVERIFY(server.start());
    auto alice = makeClient();
    // Jitter of 50 % at a fixed random 0.5: every delay is base * 1.25.
    alice->setBackoff(Backoff(kManualBackoffMsecs, 8 * kManualBackoffMsecs, 0.5, [] { return 0.5; }));
    QVERIFY(connectAs(*alice, server.port(), u"alice"_s));
    QSignalSpy scheduled(alice.get(), &ChatClient::reconnectScheduled);
    QSignalSpy errors(alice.get(), &ChatClient::connectionError);

    server.kill();
    QVERIFY(scheduled.wait(kWaitMsecs));
    // Each failed attempt doubles the wait (the test skips the waiting).
    for (int i = 0; i < 3; ++i) {
        alice->reconnectNow();
        QTRY_COMPARE_WITH_TIMEOUT(scheduled.size(), i + 2, kWaitMsecs);
    }
    QList<int> delays;
    for (const QList<QVariant> &args : scheduled)
        delays.append(args.first().toInt());
    const int base = kManualBackoffMsecs * 5 / 4;
    QCOMPARE(delays, (QList<int>{base, 2 * base, 4 * base, 8 * base}));
    QVERIFY(errors.last().first().toString().contains(u"refused"_s));
    QCOMPARE(alice->lastSocketError(), QAbstractSocket::ConnectionRefusedError);

    // A successful registration starts the sequence over.
    QVERIFY(server.start());
    QSignalSpy registered(alice.get(), &ChatClient::registered);
    alice->reconnectNow();
    QVERIFY(registered.wait(kWaitMsecs));
    server.kill();
    QTRY_COMPARE_WITH_TIMEOUT(scheduled.size(), 5, kWaitMsecs);
    QCOMPARE(scheduled.last().first().toInt(), base);
}

void TestChatClient::silentServerIsTreatedAsDead()
{
    // A server that welcomes and then never says anything again, not even
    // to a ping: a dead peer behind a connection that looks open.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    std::unique_ptr<QTcpSocket> peer;
    QByteArray received;
    connect(&silent, &QTcpServer::newConnection, this, [&] {
        peer.reset(silent.nextPendingConnection());
        connect(peer.get(), &QTcpSocket::readyRead, this, [&] {
            const bool first = received.isEmpty();
            received += peer->readAll();
            if (first)
                peer->write(R"({"type":"welcome","nick":"alice","users":["alice"],"history":[],"protocol":1})"
                            "\n");
        });
    });

    auto alice = makeClient();
    // ChatClient's timers are real: the idle timeout leaves the ping plenty of
    // time to be written before the connection is given up.
    alice->setPingInterval(kSilentPingMsecs);
    alice->setIdleTimeout(kSilentIdleMsecs);
    alice->setBackoff(Backoff(kManualBackoffMsecs, kManualBackoffMsecs, 0.0));
    QSignalSpy scheduled(alice.get(), &ChatClient::reconnectScheduled);
    QVERIFY(connectAs(*alice, silent.serverPort(), u"alice"_s));
    // The ping reaches the peer through this thread's event loop: wait for it too.
    QTRY_VERIFY_WITH_TIMEOUT(received.contains(R"("type":"ping")"), kWaitMsecs);
    QVERIFY(!scheduled.isEmpty() || scheduled.wait(kWaitMsecs));
    QCOMPARE(alice->state(), ChatClient::State::Reconnecting);
    QCOMPARE(alice->lastSocketError(), QAbstractSocket::SocketTimeoutError);
}

void TestChatClient::connectionRefusedIsFinalBeforeRegistering()
{
    auto alice = makeClient();
    QSignalSpy errors(alice.get(), &ChatClient::connectionError);
    QSignalSpy scheduled(alice.get(), &ChatClient::reconnectScheduled);
    const ReservedPort refused;
    QVERIFY(refused.port() != 0);
    alice->connectToServer(u"127.0.0.1"_s, refused.port(), u"alice"_s);
    QVERIFY(errors.wait(kWaitMsecs));
    QVERIFY(errors.first().first().toString().contains(u"refused"_s));
    QCOMPARE(alice->lastSocketError(), QAbstractSocket::ConnectionRefusedError);
    QCOMPARE(alice->state(), ChatClient::State::Disconnected);
    QCOMPARE(scheduled.size(), 0);

    // Whatever was typed meanwhile is still there for the next attempt.
    alice->say(u"kept"_s);
    QCOMPARE(alice->unconfirmedCount(), 1);
}

void TestChatClient::unknownHostIsReported()
{
    // Qt refuses a name with an empty label before asking any resolver, so
    // this fails at once and for sure, with or without DNS, through the same
    // HostNotFoundError as a name DNS does not know.
    const QString unresolvable = u"no-such-host..invalid"_s;
    auto alice = makeClient();
    QSignalSpy errors(alice.get(), &ChatClient::connectionError);
    alice->connectToServer(unresolvable, 55555, u"alice"_s);
    QVERIFY(errors.wait(kWaitMsecs));
    QCOMPARE(alice->lastSocketError(), QAbstractSocket::HostNotFoundError);
    QVERIFY(errors.first().first().toString().contains(unresolvable));
    QCOMPARE(alice->state(), ChatClient::State::Disconnected);
}

void TestChatClient::fullServerRefusesRegistration()
{
    ServerConfig config;
    config.maxClients = 1;
    ServerFixture server(config);
    QVERIFY(server.start());
    auto alice = makeClient();
    QVERIFY(connectAs(*alice, server.port(), u"alice"_s));

    auto bob = makeClient();
    QSignalSpy refused(bob.get(), &ChatClient::registrationRefused);
    bob->connectToServer(u"127.0.0.1"_s, server.port(), u"bob"_s);
    QVERIFY(refused.wait(kWaitMsecs));
    QCOMPARE(refused.first().first().value<Error>().code, ErrorCode::ServerFull);
    QTRY_COMPARE_WITH_TIMEOUT(bob->state(), ChatClient::State::Disconnected, kWaitMsecs);
}

QTCHAT_TEST_GUILESS_MAIN(TestChatClient)
#include "tst_chatclient.moc"
