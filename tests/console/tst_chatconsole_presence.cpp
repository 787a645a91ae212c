// SPDX-License-Identifier: MIT
// Presence in chat-console (docs/protocol.md, "Presence"; docs/console.md):
// a terminal has no user list to dim, so away and back print as lines,
// /who names away users with their message, and a whisper to one says so.
#include "chatclient.h"
#include "consoleprocess.h"
#include "serverfixture.h"
#include "testharness.h"
#include "testserver.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Protocol;

using namespace ConsoleTest;

class TestChatConsolePresence final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { TestServer::quietLogs(); }

    void presenceLinesWhoAndWhispers()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto alice = joinWatcher(server.port(), u"alice"_s);
        QVERIFY(alice);
        QVERIFY(alice->setAway(u"lunch"_s).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(alice->isAway(), kWaitMsecs);

        ConsoleProcess console;
        console.start({u"--nick"_s, u"bot"_s, u"--port"_s, QString::number(server.port())});
        console.write(u"/who\n/msg alice are you there?\n/away brb\n"_s);
        QTRY_COMPARE_WITH_TIMEOUT(alice->awayUsers().value(u"bot"_s, u"(not away)"_s), u"brb"_s, kWaitMsecs);
        QVERIFY(alice->setBack().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"* alice is back"_s), kWaitMsecs);
        console.write(u"/back\n"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!alice->awayUsers().contains(u"bot"_s), kWaitMsecs);
        // The server tells alice and the console apart: alice hearing it
        // says nothing of whether the console has printed its own line yet,
        // and closing its input ends it.
        QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"* bot is back\n"_s), kWaitMsecs);
        console.closeInput();
        QVERIFY(console.waitForExit());
        QCOMPARE(console.exitCode(), 0);

        const QString out = console.out();
        QVERIFY2(out.contains(u"2 users online: alice (away: lunch), bot"_s), qPrintable(out));
        QVERIFY2(out.contains(u"-> *alice* are you there?\n"_s), qPrintable(out));
        QVERIFY2(out.contains(u"* alice is away: lunch\n"_s), qPrintable(out));
        QVERIFY2(out.contains(u"* bot is away: brb\n"_s), qPrintable(out));
        QVERIFY2(out.contains(u"* bot is back\n"_s), qPrintable(out));
    }

    // Two people at two terminals: what one says of themselves, the other
    // reads as a line, in /who and under a whisper; the first reads the
    // server's confirmation.
    void awayInOneConsoleIsSeenInAnother()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto watcher = joinWatcher(server.port());
        QVERIFY(watcher);
        ConsoleProcess alice;
        alice.start({u"--nick"_s, u"alice"_s, u"--port"_s, QString::number(server.port())});
        ConsoleProcess bob;
        bob.start({u"--nick"_s, u"bob"_s, u"--port"_s, QString::number(server.port())});
        QTRY_VERIFY_WITH_TIMEOUT(watcher->users().contains(u"alice"_s) && watcher->users().contains(u"bob"_s),
                                 kWaitMsecs);

        alice.write(u"/away out for lunch\n"_s);
        QTRY_VERIFY_WITH_TIMEOUT(bob.out().contains(u"* alice is away: out for lunch\n"_s), kWaitMsecs);
        QTRY_VERIFY_WITH_TIMEOUT(alice.out().contains(u"* alice is away: out for lunch\n"_s), kWaitMsecs);
        bob.write(u"/who\n/msg alice back soon?\n"_s);
        QTRY_VERIFY_WITH_TIMEOUT(bob.out().contains(u"-> *alice* back soon?\n"_s), kWaitMsecs);
        QTRY_VERIFY_WITH_TIMEOUT(alice.out().contains(u"back soon?"_s), kWaitMsecs);

        alice.write(u"/back\n"_s);
        QTRY_VERIFY_WITH_TIMEOUT(bob.out().contains(u"* alice is back\n"_s), kWaitMsecs);
        alice.closeInput();
        bob.closeInput();
        QVERIFY(alice.waitForExit());
        QVERIFY(bob.waitForExit());
        QCOMPARE(bob.exitCode(), 0);

        const QString out = bob.out();
        QVERIFY2(out.contains(u"3 users online: alice (away: out for lunch), bob, watcher"_s), qPrintable(out));
        // The whisper's echo, then the notice under it.
        QVERIFY2(out.contains(u"-> *alice* back soon?\n* alice is away: out for lunch\n"_s), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestChatConsolePresence)
#include "tst_chatconsole_presence.moc"
