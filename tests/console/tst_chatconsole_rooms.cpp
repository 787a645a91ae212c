// SPDX-License-Identifier: MIT
// chat-console's rooms (ROOMS.md, docs/console.md): a current room where
// lines go, /join /part /topic /rooms /who, --room for scripts, and the
// rooms coming back after the server does.
#include "chatclient.h"
#include "consoleprocess.h"
#include "serverfixture.h"
#include "testharness.h"
#include "testserver.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Protocol;

using namespace ConsoleTest;

namespace {

// The messages from `from` among a messageReceived spy, each "ROOM TEXT".
QStringList roomTextsFrom(const QSignalSpy &spy, const QString &from)
{
    QStringList result;
    for (const QList<QVariant> &args : spy) {
        const auto message = args.at(0).value<ChatMessage>();
        if (message.from == from)
            result.append(roomOrLobby(message.room) + u' ' + message.text);
    }
    return result;
}

// A watcher (joinWatcher) that is also in `room`; nullptr when it could not join.
std::unique_ptr<ChatClient> watcherIn(quint16 port, const QString &nick, const QString &room)
{
    auto client = joinWatcher(port, nick);
    if (!client)
        return nullptr;
    QSignalSpy entered(client.get(), &ChatClient::roomEntered);
    if (!client->joinRoom(room).isEmpty() || !entered.wait(kWaitMsecs))
        return nullptr;
    return client;
}

} // namespace

class TestChatConsoleRooms final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { TestServer::quietLogs(); }

    void helpMentionsRooms()
    {
        ConsoleProcess console;
        console.start({u"--help"_s});
        QVERIFY(console.waitForExit());
        QCOMPARE(console.exitCode(), 0);
        for (const QString &word : {u"--room"_s, u"CHAT_ROOM"_s, u"/join"_s, u"/part"_s})
            QVERIFY2(console.out().contains(word), qPrintable(word));
    }

    void badRoomOptionIsAUsageError()
    {
        ConsoleProcess console;
        console.start({u"--nick"_s, u"bot"_s, u"--room"_s, u"#a/b"_s});
        QVERIFY(console.waitForExit());
        QCOMPARE(console.exitCode(), 2);
        QVERIFY2(console.err().contains(u"--room #a/b"_s), qPrintable(console.err()));
        QVERIFY(console.err().contains(u"--help"_s));
    }

    // /join makes the room current: the next line goes there, and only
    // its members see it. /part goes back to #lobby.
    void linesGoToTheCurrentRoom()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto alice = watcherIn(server.port(), u"alice"_s, u"#dev"_s);
        QVERIFY(alice);
        auto carol = joinWatcher(server.port(), u"carol"_s);
        QVERIFY(carol);
        QSignalSpy aliceMessages(alice.get(), &ChatClient::messageReceived);
        QSignalSpy carolMessages(carol.get(), &ChatClient::messageReceived);
        QSignalSpy carolLeft(carol.get(), &ChatClient::userLeft);

        ConsoleProcess console;
        console.start({u"--nick"_s, u"bot"_s, u"--port"_s, QString::number(server.port())});
        console.write(u"/join dev\nin dev\n/me waves in dev\n/part done here\nin the lobby\n"_s);
        console.closeInput();
        QVERIFY(console.waitForExit());
        QCOMPARE(console.exitCode(), 0);

        // bot's `left` (quit) is the last carol hears of bot.
        QTRY_VERIFY_WITH_TIMEOUT(!carolLeft.isEmpty() && carolLeft.last().first().value<Left>().room.isEmpty(),
                                 kWaitMsecs);
        QCOMPARE(roomTextsFrom(carolMessages, u"bot"_s), QStringList{u"#lobby in the lobby"_s});
        QTRY_COMPARE_WITH_TIMEOUT(roomTextsFrom(aliceMessages, u"bot"_s),
                                  (QStringList{u"#dev in dev"_s, u"#dev waves in dev"_s, u"#lobby in the lobby"_s}),
                                  kWaitMsecs);
        // Lines about #dev name it; the lobby's read as in version 1.
        const QString out = console.out();
        QVERIFY2(out.contains(u"You are in #dev."_s), qPrintable(out));
        QVERIFY2(out.contains(u"#dev <bot> in dev\n"_s), qPrintable(out));
        QVERIFY2(out.contains(u"bot left #dev (done here)"_s), qPrintable(out));
        QVERIFY2(out.contains(u"] <bot> in the lobby\n"_s), qPrintable(out));
    }

    void topicRoomsAndWho()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto alice = watcherIn(server.port(), u"alice"_s, u"#dev"_s);
        QVERIFY(alice);

        ConsoleProcess console;
        console.start({u"--nick"_s, u"bot"_s, u"--port"_s, QString::number(server.port())});
        console.write(u"/join #dev\n/topic release on Friday\n"_s);
        QTRY_VERIFY_WITH_TIMEOUT(
            console.out().contains(u"bot set the topic to \u201crelease on Friday\u201d in #dev"_s), kWaitMsecs);
        // alice hears of it on her own connection, maybe after bot has.
        QTRY_COMPARE_WITH_TIMEOUT(alice->topic(u"#dev"_s), u"release on Friday"_s, kWaitMsecs);
        console.write(u"/topic\n/rooms\n/who\n/who #lobby\n"_s);
        // The welcome said it once; /who #lobby, the last of them, says it again.
        QTRY_COMPARE_WITH_TIMEOUT(console.out().count(u"2 users online: alice, bot"_s), 2, kWaitMsecs);
        console.write(u"exit\n"_s);
        QVERIFY(console.waitForExit());
        QCOMPARE(console.exitCode(), 0);
        const QString out = console.out();
        QVERIFY2(out.contains(u"The topic of #dev: release on Friday"_s), qPrintable(out));
        QVERIFY2(out.contains(u"#dev (2): release on Friday"_s), qPrintable(out));
        QVERIFY2(out.contains(u"#lobby (2)"_s), qPrintable(out));
        QCOMPARE(out.count(u"2 users in #dev: alice, bot"_s), 2); // on joining, and for /who
    }

    // A bot posts to its room: --room joins it with `hello` and makes it current.
    void roomOptionPostsThereFromAPipe()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto alice = watcherIn(server.port(), u"alice"_s, u"#수학-2반"_s);
        QVERIFY(alice);
        QSignalSpy messages(alice.get(), &ChatClient::messageReceived);
        QSignalSpy joined(alice.get(), &ChatClient::userJoined);

        ConsoleProcess console;
        console.start({u"--nick"_s, u"bot"_s, u"--port"_s, QString::number(server.port()), u"--room"_s, u"수학-2반"_s});
        console.write(u"숙제 있어요\n"_s);
        console.closeInput();
        QVERIFY(console.waitForExit());
        QCOMPARE(console.exitCode(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(roomTextsFrom(messages, u"bot"_s), QStringList{u"#수학-2반 숙제 있어요"_s},
                                  kWaitMsecs);
        bool joinedTheRoom = false;
        for (const QList<QVariant> &args : joined)
            joinedTheRoom |= args.first().value<Joined>().room == u"#수학-2반"_s;
        QVERIFY(joinedTheRoom);
    }

    // The server goes away and comes back (with its store): the console
    // rejoins #dev by itself, shows what was said there meanwhile once, and
    // #dev is still where its lines go.
    void roomsAreRejoinedAfterTheServerReturns()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ServerConfig config;
        config.store = dir.filePath(u"chat.db"_s);
        ServerFixture server(config);
        QVERIFY(server.start());
        ConsoleProcess console;
        console.start({u"--nick"_s, u"carol"_s, u"--port"_s, QString::number(server.port())});
        console.write(u"/join #dev\n"_s);
        QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"You are in #dev."_s), kWaitMsecs);

        ChatClient bob;
        bob.setBackoff(Backoff(60 * 1000, 60 * 1000, 0.0)); // bob returns when the test says so
        QSignalSpy bobRegistered(&bob, &ChatClient::registered);
        QSignalSpy bobEntered(&bob, &ChatClient::roomEntered);
        bob.joinRoom(u"#dev"_s);
        bob.connectToServer(u"127.0.0.1"_s, server.port(), u"bob"_s);
        QVERIFY(bobEntered.wait(kWaitMsecs));
        bob.say(u"d1"_s, false, u"#dev"_s);
        QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"#dev <bob> d1"_s), kWaitMsecs);

        QSignalSpy bobScheduled(&bob, &ChatClient::reconnectScheduled);
        server.kill();
        QVERIFY(!bobScheduled.isEmpty() || bobScheduled.wait(kWaitMsecs));
        QVERIFY(server.start());
        bob.reconnectNow();
        QTRY_COMPARE_WITH_TIMEOUT(bobEntered.size(), 2, kWaitMsecs);
        bob.say(u"d2"_s, false, u"#dev"_s);
        QSignalSpy bobMessages(&bob, &ChatClient::messageReceived);
        QTRY_COMPARE_WITH_TIMEOUT(console.out().count(u"You are in #dev."_s), 2, kWaitMsecs);
        QTRY_VERIFY_WITH_TIMEOUT(console.out().contains(u"#dev <bob> d2"_s), kWaitMsecs);

        console.write(u"still in dev\n"_s);
        QTRY_COMPARE_WITH_TIMEOUT(roomTextsFrom(bobMessages, u"carol"_s), QStringList{u"#dev still in dev"_s},
                                  kWaitMsecs);
        const QString out = console.out();
        QVERIFY2(out.contains(u"Reconnecting"_s), qPrintable(out));
        for (const QString &text : {u"d1"_s, u"d2"_s})
            QVERIFY2(out.count(u"#dev <bob> "_s + text + u'\n') == 1, qPrintable(out));
        console.write(u"exit\n"_s);
        QVERIFY(console.waitForExit());
        QCOMPARE(console.exitCode(), 0);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestChatConsoleRooms)
#include "tst_chatconsole_rooms.moc"
