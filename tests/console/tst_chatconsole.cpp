// SPDX-License-Identifier: MIT
// chat-console driven as a process through its stdin and stdout, against a
// real server in this test's event loop: the prompt, pipe mode, --json,
// signals, reconnecting, moderation and TLS pinning. How it ends (--check
// and the exit statuses scripts depend on): tst_chatconsole_exit.
#include "chatclient.h"
#include "chatserver.h"
#include "consoleprocess.h"
#include "reservedport.h"
#include "serverfixture.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Protocol;

using namespace ConsoleTest;

class TestChatConsole final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void pipedLinesArriveExactlyOnceThenExitZero();
    void longPipeIsPacedNotRefused();
    void promptAsksAgainWhenTheNicknameIsTaken();
    void slowNicknameChoiceConnectsAgain();
    void refusedLinesMakeAScriptFail();
    void jsonPrintsOneFramePerLine();
    void sigtermLeavesPolitely();
    void environmentGivesHostAndPort();
    void reconnectShowsMissedMessagesOnce();
    void moderationEventsAreShownAndKickEnds();
    void operatorCommandsFromTheConsole();
    void kickedClientDoesNotReconnect();
    void tlsPinsThenRefusesAChangedCertificate();
};

void TestChatConsole::initTestCase()
{
    TestServer::quietLogs();
}

void TestChatConsole::pipedLinesArriveExactlyOnceThenExitZero()
{
    ServerFixture server;
    QVERIFY(server.start());
    auto alice = joinWatcher(server.port());
    QVERIFY(alice);
    QSignalSpy messages(alice.get(), &ChatClient::messageReceived);
    QSignalSpy left(alice.get(), &ChatClient::userLeft);

    ConsoleProcess console;
    console.start({u"--nick"_s, u"bot"_s, u"--port"_s, QString::number(server.port())});
    console.write(u"hi\nbye\n"_s);
    console.closeInput();
    QVERIFY(console.waitForExit());
    QCOMPARE(console.exitCode(), 0);

    // "bye" is a message like any other; only `exit` and /quit leave. Its
    // `left` is the last thing the room tells about bot, after all of bot's
    // messages, so once it is here every message that will come has come.
    QTRY_COMPARE_WITH_TIMEOUT(left.size(), 1, kWaitMsecs);
    QCOMPARE(textsFrom(messages, u"bot"_s), (QStringList{u"hi"_s, u"bye"_s}));
    QCOMPARE(left.first().first().value<Left>().reason, LeaveReason::Quit);
    // The script saw its own lines come back, in plain text (stdout is a pipe).
    QVERIFY2(console.out().contains(u"<bot> hi"_s), qPrintable(console.out()));
    QVERIFY(console.out().contains(u"<bot> bye"_s));
    QVERIFY(!console.out().contains(u'\x1b'));
}

void TestChatConsole::longPipeIsPacedNotRefused()
{
    ServerFixture server; // default rate limit: 10 frames/s, bursts of 20
    QVERIFY(server.start());
    auto alice = joinWatcher(server.port());
    QVERIFY(alice);
    QSignalSpy messages(alice.get(), &ChatClient::messageReceived);

    constexpr int kLines = 30;
    QStringList lines;
    for (int i = 1; i <= kLines; ++i)
        lines.append(u"안녕 %1"_s.arg(i));
    ConsoleProcess console;
    console.start({u"--nick"_s, u"bot"_s, u"--port"_s, QString::number(server.port())});
    console.write(lines.join(u'\n') + u'\n');
    console.closeInput();
    QVERIFY(console.waitForExit());
    QCOMPARE(console.exitCode(), 0);
    QVERIFY2(!console.err().contains(u"error"_s), qPrintable(console.err()));
    QTRY_COMPARE_WITH_TIMEOUT(textsFrom(messages, u"bot"_s).size(), kLines, kWaitMsecs);
    QCOMPARE(textsFrom(messages, u"bot"_s), lines);
}

void TestChatConsole::promptAsksAgainWhenTheNicknameIsTaken()
{
    ServerFixture server;
    QVERIFY(server.start());
    auto alice = joinWatcher(server.port(), u"alice"_s);
    QVERIFY(alice);
    QSignalSpy messages(alice.get(), &ChatClient::messageReceived);
    QSignalSpy left(alice.get(), &ChatClient::userLeft);

    ConsoleProcess console;
    console.start({u"--port"_s, QString::number(server.port())});
    QTRY_VERIFY_WITH_TIMEOUT(console.out().startsWith(u"Nickname: "_s), kWaitMsecs);
    console.write(u"Alice\n"_s);
    // Says why, then asks again.
    QTRY_VERIFY_WITH_TIMEOUT(console.err().contains(u"refused the nickname"_s), kWaitMsecs);
    QTRY_COMPARE_WITH_TIMEOUT(console.out().count(u"Nickname: "_s), 2, kWaitMsecs);
    console.write(u"민수\n"_s);
    QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"Welcome, 민수!"_s), kWaitMsecs);

    console.write(u"안녕하세요\n"_s);
    QTRY_COMPARE_WITH_TIMEOUT(textsFrom(messages, u"민수"_s), QStringList{u"안녕하세요"_s}, kWaitMsecs);
    console.write(u"exit\n"_s);
    QVERIFY(console.waitForExit());
    QCOMPARE(console.exitCode(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(left.size(), 1, kWaitMsecs);
    QCOMPARE(left.first().first().value<Left>().reason, LeaveReason::Quit);
}

// After a refused nickname the server closes the connection if no other
// comes within --register-timeout; a person who takes longer still gets in.
void TestChatConsole::slowNicknameChoiceConnectsAgain()
{
    ServerConfig config;
    config.registerTimeoutMsecs = 300;
    ServerFixture server(config);
    QVERIFY(server.start());
    auto alice = joinWatcher(server.port(), u"alice"_s);
    QVERIFY(alice);

    ConsoleProcess console;
    console.start({u"--port"_s, QString::number(server.port())});
    QTRY_VERIFY_WITH_TIMEOUT(console.out().startsWith(u"Nickname: "_s), kWaitMsecs);
    console.write(u"alice\n"_s);
    QTRY_VERIFY_WITH_TIMEOUT(console.err().contains(u"refused the nickname"_s), kWaitMsecs);
    // The notice and the new prompt may arrive in separate reads: wait for both.
    QTRY_VERIFY2_WITH_TIMEOUT(console.out().contains(u"stopped waiting for a nickname"_s) &&
                                  console.out().endsWith(u"Nickname: "_s),
                              qPrintable(console.out()), kWaitMsecs);
    QCOMPARE(console.process().state(), QProcess::Running);

    console.write(u"bob\n"_s);
    QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"Welcome, bob!"_s), kWaitMsecs);
    console.write(u"exit\n"_s);
    QVERIFY(console.waitForExit());
    QCOMPARE(console.exitCode(), 0);
    // Checked once the process is gone and all of stderr is read: the
    // server's timeout was told as the notice above, not as an error.
    QVERIFY2(!console.err().contains(u"error"_s), qPrintable(console.err()));
}

void TestChatConsole::refusedLinesMakeAScriptFail()
{
    ServerFixture server;
    QVERIFY(server.start());
    ConsoleProcess console;
    console.start({u"--nick"_s, u"bot"_s, u"--port"_s, QString::number(server.port())});
    console.write(u"/msg nobody are you there?\nstill here\n"_s);
    console.closeInput();
    QVERIFY(console.waitForExit());
    QCOMPARE(console.exitCode(), 7);
    QVERIFY(console.err().contains(u"nobody"_s));
    QVERIFY(console.out().contains(u"<bot> still here"_s));
}

void TestChatConsole::jsonPrintsOneFramePerLine()
{
    ServerFixture server;
    QVERIFY(server.start());
    ConsoleProcess console;
    console.start({u"--json"_s, u"--nick"_s, u"bot"_s, u"--port"_s, QString::number(server.port())});
    console.write(u"hello\n"_s);
    console.closeInput();
    QVERIFY(console.waitForExit());
    QCOMPARE(console.exitCode(), 0);

    QStringList types;
    const QStringList lines = console.out().split(u'\n', Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        const QJsonDocument document = QJsonDocument::fromJson(line.toUtf8());
        QVERIFY2(document.isObject(), qPrintable(line));
        types.append(document.object().value(u"type"_s).toString());
    }
    QCOMPARE(types, (QStringList{u"welcome"_s, u"message"_s}));
}

void TestChatConsole::sigtermLeavesPolitely()
{
    ServerFixture server;
    QVERIFY(server.start());
    auto alice = joinWatcher(server.port());
    QVERIFY(alice);
    QSignalSpy left(alice.get(), &ChatClient::userLeft);

    ConsoleProcess console;
    console.start({u"--nick"_s, u"bot"_s, u"--port"_s, QString::number(server.port())});
    QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"Welcome, bot!"_s), kWaitMsecs);
    console.process().terminate();
    QVERIFY(console.waitForExit());
    QCOMPARE(console.exitCode(), 128 + 15);
    QTRY_COMPARE_WITH_TIMEOUT(left.size(), 1, kWaitMsecs);
    QCOMPARE(left.first().first().value<Left>().reason, LeaveReason::Quit);
}

void TestChatConsole::environmentGivesHostAndPort()
{
    ServerFixture server;
    QVERIFY(server.start());
    ConsoleProcess console;
    QProcessEnvironment env = console.process().processEnvironment();
    env.insert(u"CHAT_HOST"_s, u"127.0.0.1"_s);
    env.insert(u"CHAT_PORT"_s, QString::number(server.port()));
    console.process().setProcessEnvironment(env);
    console.start({u"--check"_s});
    QVERIFY(console.waitForExit());
    QCOMPARE(console.exitCode(), 0);
    QVERIFY2(console.out().contains(u"127.0.0.1:%1"_s.arg(server.port())), qPrintable(console.out()));
}

// The server dies under a running console and comes back on the same store;
// the console reconnects (with `since`) and shows every message exactly once,
// whether it arrived before, during or after the outage.
void TestChatConsole::reconnectShowsMissedMessagesOnce()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ServerConfig config;
    config.store = dir.filePath(u"chat.db"_s);
    ServerFixture server(config);
    QVERIFY(server.start());
    ConsoleProcess console;
    console.start({u"--nick"_s, u"carol"_s, u"--port"_s, QString::number(server.port())});
    QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"Welcome, carol!"_s), kWaitMsecs);

    ChatClient bob;
    bob.setBackoff(Backoff(60 * 1000, 60 * 1000, 0.0)); // bob returns when the test says so
    QSignalSpy bobRegistered(&bob, &ChatClient::registered);
    bob.connectToServer(u"127.0.0.1"_s, server.port(), u"bob"_s);
    QVERIFY(bobRegistered.wait(kWaitMsecs));
    bob.say(u"m1"_s);
    bob.say(u"m2"_s);
    QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"<bob> m2"_s), kWaitMsecs);

    QSignalSpy bobScheduled(&bob, &ChatClient::reconnectScheduled);
    server.kill();
    QVERIFY(!bobScheduled.isEmpty() || bobScheduled.wait(kWaitMsecs));
    QVERIFY(server.start());
    bob.reconnectNow();
    QVERIFY(bobRegistered.wait(kWaitMsecs));
    bob.say(u"m3"_s);
    bob.say(u"m4"_s);
    QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"<bob> m4"_s), kWaitMsecs);
    QVERIFY2(console.out().contains(u"Reconnecting"_s), qPrintable(console.out()));
    for (const QString &text : {u"m1"_s, u"m2"_s, u"m3"_s, u"m4"_s})
        QVERIFY2(console.out().count(u"<bob> "_s + text + u'\n') == 1, qPrintable(console.out()));
}

// `clock`, when given, stands in for the server's moderation clock.
ServerConfig moderatedConfig(const std::shared_ptr<qint64> &clock = {})
{
    ServerConfig config;
    config.adminPassword = u"letmein"_s;
    if (clock)
        config.moderationClock = [clock] { return *clock; };
    return config;
}

void TestChatConsole::moderationEventsAreShownAndKickEnds()
{
    ServerFixture server(moderatedConfig());
    QVERIFY(server.start());
    auto alice = joinWatcher(server.port(), u"alice"_s);
    QVERIFY(alice);
    QSignalSpy operators(alice.get(), &ChatClient::operatorsChanged);
    alice->becomeOperator(u"letmein"_s);
    QVERIFY(operators.wait(kWaitMsecs));
    QCOMPARE(alice->operators(), QStringList{u"alice"_s});
    QVERIFY(alice->isOperator(u"ALICE"_s));

    ConsoleProcess console;
    console.start({u"--nick"_s, u"bot"_s, u"--port"_s, QString::number(server.port())});
    // The operator is marked in the welcome's user list.
    QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"2 users online: @alice, bot"_s), kWaitMsecs);

    alice->setSlowMode(5);
    QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"* alice turned slow mode on: one message per 5 seconds"_s),
                             kWaitMsecs);
    alice->mute(u"bot"_s, 2);
    QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"* bot was muted by alice for 2 minutes"_s), kWaitMsecs);
    console.write(u"let me speak\n"_s);
    QTRY_VERIFY_WITH_TIMEOUT(console.err().contains(u"error: you are muted for another 2 min"_s), kWaitMsecs);
    alice->unmute(u"bot"_s);
    QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"* bot was unmuted by alice"_s), kWaitMsecs);

    QSignalSpy left(alice.get(), &ChatClient::userLeft);
    alice->kick(u"bot"_s, u"enough for today"_s);
    QVERIFY(console.waitForExit());
    QCOMPARE(console.exitCode(), 6);
    QVERIFY2(console.err().contains(u"* You were kicked by alice: enough for today"_s), qPrintable(console.err()));
    QTRY_COMPARE_WITH_TIMEOUT(left.size(), 1, kWaitMsecs);
    const Left gone = left.first().first().value<Left>();
    QCOMPARE(gone.reason, LeaveReason::Kicked);
    QCOMPARE(gone.by, u"alice"_s);
    QCOMPARE(gone.message, u"enough for today"_s);
}

void TestChatConsole::operatorCommandsFromTheConsole()
{
    auto clock = std::make_shared<qint64>(0);
    ServerFixture server(moderatedConfig(clock));
    QVERIFY(server.start());
    auto bob = joinWatcher(server.port(), u"bob"_s);
    QVERIFY(bob);
    QSignalSpy slow(bob.get(), &ChatClient::slowModeChanged);
    QSignalSpy muted(bob.get(), &ChatClient::userMuted);

    ConsoleProcess console;
    console.start({u"--nick"_s, u"mod"_s, u"--port"_s, QString::number(server.port())});
    QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"Welcome, mod!"_s), kWaitMsecs);
    console.write(u"/op wrong\n"_s);
    QTRY_VERIFY_WITH_TIMEOUT(console.err().contains(u"wrong operator password"_s), kWaitMsecs);
    console.write(u"/kick bob\n"_s);
    QTRY_VERIFY_WITH_TIMEOUT(console.err().contains(u"only operators can use /kick"_s), kWaitMsecs);
    console.write(u"/slow soon\n"_s);
    QTRY_VERIFY_WITH_TIMEOUT(console.err().contains(u"Usage: /slow SECONDS"_s), kWaitMsecs);

    ServerFixture open; // no admin password
    QVERIFY(open.start());
    ConsoleProcess other;
    other.start({u"--nick"_s, u"x"_s, u"--port"_s, QString::number(open.port())});
    QTRY_VERIFY_WITH_TIMEOUT(other.out().contains(u"Welcome, x!"_s), kWaitMsecs);
    other.write(u"/op letmein\n"_s);
    QTRY_VERIFY_WITH_TIMEOUT(other.err().contains(u"no operators"_s), kWaitMsecs);

    // Past the retry delay that follows a wrong password.
    *clock += 60 * 1000;
    console.write(u"/op letmein\n/slow 10\n/mute bob\n"_s);
    QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"* mod is now an operator"_s), kWaitMsecs);
    QTRY_COMPARE_WITH_TIMEOUT(slow.size(), 1, kWaitMsecs);
    QCOMPARE(slow.first().first().value<SlowMode>().seconds, 10);
    QTRY_COMPARE_WITH_TIMEOUT(muted.size(), 1, kWaitMsecs);
    QCOMPARE(muted.first().first().value<Muted>().minutes, 10);
    QCOMPARE(bob->operators(), QStringList{u"mod"_s});
}

void TestChatConsole::kickedClientDoesNotReconnect()
{
    ServerFixture server(moderatedConfig());
    QVERIFY(server.start());
    auto alice = joinWatcher(server.port(), u"alice"_s);
    auto bob = joinWatcher(server.port(), u"bob"_s);
    QVERIFY(alice && bob);
    QSignalSpy opped(bob.get(), &ChatClient::userOpped);
    alice->becomeOperator(u"letmein"_s);
    QVERIFY(opped.wait(kWaitMsecs));

    QSignalSpy kicked(bob.get(), &ChatClient::kicked);
    QSignalSpy states(bob.get(), &ChatClient::stateChanged);
    QSignalSpy scheduled(bob.get(), &ChatClient::reconnectScheduled);
    alice->kick(u"bob"_s);
    QVERIFY(kicked.wait(kWaitMsecs));
    QCOMPARE(kicked.first().at(0).toString(), u"alice"_s);
    QVERIFY(kicked.first().at(1).toString().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(bob->state(), ChatClient::State::Disconnected, kWaitMsecs);
    QCOMPARE(scheduled.size(), 0);
}

void TestChatConsole::tlsPinsThenRefusesAChangedCertificate()
{
    QTCHAT_REQUIRE(QSslSocket::supportsSsl(), "a TLS backend in Qt (Debian: libssl3, with Qt's OpenSSL plugin)");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto tlsServer = [&dir](const QString &name, quint16 port) {
        ServerConfig config;
        config.host = QHostAddress(QHostAddress::LocalHost);
        config.port = port;
        config.tlsSelfSigned = true;
        config.tlsDirectory = dir.filePath(name);
        auto server = std::make_unique<ChatServer>(config);
        return server->listen() ? std::move(server) : nullptr;
    };
    // The pins go to a fresh config directory, not the user's.
    const auto run = [&dir](quint16 port, const QStringList &extra) {
        auto console = std::make_unique<ConsoleProcess>();
        QProcessEnvironment env = console->process().processEnvironment();
        env.insert(u"XDG_CONFIG_HOME"_s, dir.filePath(u"config"_s));
        console->process().setProcessEnvironment(env);
        console->start(QStringList{u"--tls"_s, u"--nick"_s, u"tina"_s, u"--host"_s, u"127.0.0.1"_s, u"--port"_s,
                                   QString::number(port)} +
                       extra);
        console->write(u"hi\n"_s);
        console->closeInput();
        return console;
    };

    // The second server takes the first one's port; nobody else can meanwhile.
    const ReservedPort reserved(ReservedPort::Use::Shared);
    QVERIFY(reserved.port() != 0);
    const quint16 port = reserved.port();
    auto first = tlsServer(u"a"_s, port);
    QVERIFY(first);
    const QString firstFingerprint = first->tlsFingerprint();
    {
        auto console = run(port, {});
        QVERIFY(console->waitForExit());
        QCOMPARE(console->exitCode(), 0);
        QVERIFY2(console->out().contains(u"First TLS connection"_s) && console->out().contains(firstFingerprint),
                 qPrintable(console->out()));
    }
    first.reset();

    auto second = tlsServer(u"b"_s, port);
    QVERIFY(second);
    {
        auto console = run(port, {});
        QVERIFY(console->waitForExit());
        QCOMPARE(console->exitCode(), 1);
        QVERIFY2(console->err().contains(firstFingerprint) && console->err().contains(second->tlsFingerprint()),
                 qPrintable(console->err()));
        QVERIFY2(console->err().contains(u"--accept-new-cert"_s), qPrintable(console->err()));
    }
    {
        auto console = run(port, {u"--accept-new-cert"_s});
        QVERIFY(console->waitForExit());
        QCOMPARE(console->exitCode(), 0);
    }
    auto console = run(port, {});
    QVERIFY(console->waitForExit());
    QCOMPARE(console->exitCode(), 0);

    // The health probe speaks TLS too (a container's check of a TLS server),
    // and plain --check on the TLS port fails rather than hanging.
    ConsoleProcess check;
    check.start({u"--check"_s, u"--tls"_s, u"--host"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(port)});
    QVERIFY(check.waitForExit());
    QCOMPARE(check.exitCode(), 0);
    QVERIFY2(check.out().contains(u"answered in"_s), qPrintable(check.out()));
    ConsoleProcess plainCheck;
    plainCheck.start({u"--check"_s, u"--host"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(port)});
    QVERIFY(plainCheck.waitForExit());
    QCOMPARE(plainCheck.exitCode(), 1);
}

QTCHAT_TEST_GUILESS_MAIN(TestChatConsole)
#include "tst_chatconsole.moc"
