// SPDX-License-Identifier: MIT
// How chat-console ends, as scripts and health checks see it: --check
// answers without joining and fails clearly on a dead or silent server, and
// each failure has its own exit status (docs/console.md).
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

class TestChatConsoleExit final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { TestServer::quietLogs(); }
    void checkAnswersWithoutRegistering();
    void checkFailsOnADeadPort();
    void checkFailsWhenTheServerNeverAnswers();
    void connectionRefusedExitsOne();
    void unknownHostExitsThree();
    void takenNicknameInAScriptExitsFour();
    void unusableNicknameExitsFourBeforeConnecting();
    void fullServerExitsFive();
    void serverShutdownExitsSix();
    void badOptionsExitTwo();
};

void TestChatConsoleExit::checkAnswersWithoutRegistering()
{
    ServerFixture server;
    QVERIFY(server.start());
    auto alice = joinWatcher(server.port());
    QVERIFY(alice);
    QSignalSpy joined(alice.get(), &ChatClient::userJoined);
    QSignalSpy left(alice.get(), &ChatClient::userLeft);

    ConsoleProcess console;
    console.start({u"--check"_s, u"--port"_s, QString::number(server.port())});
    QVERIFY(console.waitForExit());
    QCOMPARE(console.exitCode(), 0);
    QVERIFY2(console.out().contains(u"answered in"_s), qPrintable(console.out()));

    // A round trip after the probe: had it joined or left, we would know by now.
    QSignalSpy list(alice.get(), &ChatClient::userListReceived);
    alice->requestUsers();
    QVERIFY(list.wait(kWaitMsecs));
    QCOMPARE(joined.size(), 0);
    QCOMPARE(left.size(), 0);
    QCOMPARE(alice->users(), QStringList{u"watcher"_s});
    QTRY_COMPARE_WITH_TIMEOUT(server.server()->connectionCount(), 1, kWaitMsecs);
}

void TestChatConsoleExit::checkFailsOnADeadPort()
{
    const ReservedPort refused;
    QVERIFY(refused.port() != 0);
    ConsoleProcess console;
    console.start({u"--check"_s, u"--host"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(refused.port())});
    QVERIFY(console.waitForExit());
    QCOMPARE(console.exitCode(), 1);
    QVERIFY2(console.err().contains(u"refused"_s), qPrintable(console.err()));
}

// A server that takes the connection and then says nothing (hung, stopped,
// another service on the port) fails the probe with a line naming the
// problem, rather than hanging it until the container runtime kills it.
void TestChatConsoleExit::checkFailsWhenTheServerNeverAnswers()
{
    QTcpServer silent; // the kernel completes the handshake; nobody ever writes
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QSignalSpy accepted(&silent, &QTcpServer::newConnection);
    const QString address = u"127.0.0.1:%1"_s.arg(silent.serverPort());

    ConsoleProcess console;
    console.start({u"--check"_s, u"--host"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(silent.serverPort())});
    QVERIFY2(console.waitForExit(kCheckGivesUpMsecs), "--check did not give up on a silent server");
    QCOMPARE(console.exitCode(), 1);
    QVERIFY2(console.err().contains(address + u" did not answer within 4 seconds"_s), qPrintable(console.err()));
    QVERIFY2(console.out().isEmpty(), qPrintable(console.out()));
    // It was the silence that failed it: the connection itself was made.
    QTRY_COMPARE_WITH_TIMEOUT(accepted.size(), 1, kWaitMsecs);
}

void TestChatConsoleExit::connectionRefusedExitsOne()
{
    const ReservedPort refused;
    QVERIFY(refused.port() != 0);
    ConsoleProcess console;
    console.start({u"--nick"_s, u"bot"_s, u"--host"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(refused.port())});
    QVERIFY(console.waitForExit());
    QCOMPARE(console.exitCode(), 1);
    QVERIFY2(console.err().contains(u"Connection refused"_s), qPrintable(console.err()));
}

void TestChatConsoleExit::unknownHostExitsThree()
{
    ConsoleProcess console;
    console.start({u"--nick"_s, u"bot"_s, u"--host"_s, kUnresolvableHost});
    QVERIFY(console.waitForExit());
    QCOMPARE(console.exitCode(), 3);
    QVERIFY2(console.err().contains(u"Unknown host \"%1\""_s.arg(kUnresolvableHost)), qPrintable(console.err()));
}

// A script's --nick has nobody to ask for another one, so a refusal by the
// server ends the run with status 4 (docs/console.md), without a welcome.
void TestChatConsoleExit::takenNicknameInAScriptExitsFour()
{
    ServerFixture server;
    QVERIFY(server.start());
    auto alice = joinWatcher(server.port(), u"alice"_s);
    QVERIFY(alice);

    ConsoleProcess console;
    console.start({u"--nick"_s, u"alice"_s, u"--port"_s, QString::number(server.port())});
    console.write(u"not posted\n"_s);
    console.closeInput();
    QVERIFY(console.waitForExit());
    QCOMPARE(console.exitCode(), 4);
    QVERIFY2(console.err().contains(u"the server refused the nickname"_s), qPrintable(console.err()));
    QVERIFY2(!console.out().contains(u"Welcome"_s), qPrintable(console.out()));
}

// The other two ways to status 4 are decided before connecting: on a port
// where connections are refused they still exit 4, not 1.
void TestChatConsoleExit::unusableNicknameExitsFourBeforeConnecting()
{
    const ReservedPort refused;
    QVERIFY(refused.port() != 0);
    const QStringList address{u"--host"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(refused.port())};

    ConsoleProcess invalid;
    invalid.start(QStringList{u"--nick"_s, u"two words"_s} + address);
    invalid.closeInput();
    QVERIFY(invalid.waitForExit());
    QCOMPARE(invalid.exitCode(), 4);
    QVERIFY2(invalid.err().contains(u"invalid nickname \"two words\""_s), qPrintable(invalid.err()));

    ConsoleProcess noInput; // no --nick, and input ends before a nickname
    noInput.start(address);
    noInput.closeInput();
    QVERIFY(noInput.waitForExit());
    QCOMPARE(noInput.exitCode(), 4);
    QVERIFY2(noInput.err().contains(u"no nickname given"_s), qPrintable(noInput.err()));
}

void TestChatConsoleExit::fullServerExitsFive()
{
    ServerConfig config;
    config.maxClients = 1;
    ServerFixture server(config);
    QVERIFY(server.start());
    auto alice = joinWatcher(server.port());
    QVERIFY(alice);

    ConsoleProcess console;
    console.start({u"--nick"_s, u"bot"_s, u"--port"_s, QString::number(server.port())});
    QVERIFY(console.waitForExit());
    QCOMPARE(console.exitCode(), 5);
    QVERIFY2(console.err().contains(u"full"_s), qPrintable(console.err()));
}

void TestChatConsoleExit::serverShutdownExitsSix()
{
    ServerFixture server;
    QVERIFY(server.start());
    ConsoleProcess console;
    console.start({u"--nick"_s, u"bot"_s, u"--port"_s, QString::number(server.port())});
    QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"Welcome, bot!"_s), kWaitMsecs);
    QVERIFY(server.stop());
    QVERIFY(console.waitForExit());
    QCOMPARE(console.exitCode(), 6);
    QVERIFY2(console.out().contains(u"shutting down"_s), qPrintable(console.out()));
}

void TestChatConsoleExit::badOptionsExitTwo()
{
    ConsoleProcess unknown;
    unknown.start({u"--colour"_s});
    QVERIFY(unknown.waitForExit());
    QCOMPARE(unknown.exitCode(), 2);
    QVERIFY(unknown.err().contains(u"--help"_s));

    ConsoleProcess badPort;
    badPort.start({u"--port"_s, u"70000"_s});
    QVERIFY(badPort.waitForExit());
    QCOMPARE(badPort.exitCode(), 2);
    QVERIFY(badPort.err().contains(u"70000"_s));
}

QTCHAT_TEST_GUILESS_MAIN(TestChatConsoleExit)
#include "tst_chatconsole_exit.moc"
