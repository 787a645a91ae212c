// SPDX-License-Identifier: MIT
// The client core's rooms (ROOMS.md): joining, talking in a room, topics,
// the list of rooms, parting, and a reconnect that rejoins every room and
// resumes each after its own last message id. Against a real server on a
// free port, and (for the bytes of `hello`) a fake one.
#include "chatclient.h"
#include "clientfixture.h"
#include "serverfixture.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonArray>
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
    return ClientFixture::makeClient(u"tst_chatclient_rooms"_s, ClientFixture::Retry::Manual);
}

// The texts of a messageReceived spy's messages, each "ROOM TEXT".
QStringList roomTexts(const QSignalSpy &spy)
{
    QStringList result;
    for (const QList<QVariant> &args : spy) {
        const auto message = args.first().value<ChatMessage>();
        result.append(roomOrLobby(message.room) + u' ' + message.text);
    }
    return result;
}

} // namespace

class TestChatClientRooms final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { TestServer::quietLogs(); }

    // No server needed: bad names and topics never leave the client.
    void badRoomNamesAndTopicsAreRefusedBeforeSending()
    {
        auto alice = makeClient();
        QVERIFY(alice->joinRoom(u"#a b"_s).contains(u"space"_s));
        QVERIFY(!alice->joinRoom(u"dev"_s).isEmpty()); // the API takes names, not what /join accepts
        QVERIFY(!alice->partRoom(u"#lobby"_s).isEmpty());
        QVERIFY(!alice->partRoom(QString()).isEmpty());
        QVERIFY(alice->setTopic(u"#dev"_s, QString(301, u'x')).contains(u"300"_s));
        QCOMPARE(alice->rooms(), QStringList{u"#lobby"_s});
        // Offline: a room asked for is joined by the next `hello`.
        QVERIFY(alice->joinRoom(u"#dev"_s).isEmpty());
        QCOMPARE(alice->rooms(), (QStringList{u"#lobby"_s, u"#dev"_s}));
        QVERIFY(alice->partRoom(u"#DEV"_s).isEmpty());
        QCOMPARE(alice->rooms(), QStringList{u"#lobby"_s});
    }

    // The bytes of `hello`: rooms asked for before connecting are joined
    // plainly; after a lost connection every room is resumed after its own
    // last id, and nothing queued goes out before the rooms are back.
    void helloRejoinsEachRoomAfterItsOwnLastId()
    {
        QTcpServer fake;
        QVERIFY(fake.listen(QHostAddress::LocalHost, 0));
        auto alice = makeClient();
        QVERIFY(alice->joinRoom(u"#dev"_s).isEmpty());
        alice->connectToServer(u"127.0.0.1"_s, fake.serverPort(), u"alice"_s);

        std::unique_ptr<QTcpSocket> first = nextConnection(fake);
        QVERIFY(first);
        const QJsonObject hello = readFrame(*first);
        QCOMPARE(hello.value(u"type"_s).toString(), u"hello"_s);
        QVERIFY(!hello.contains(u"since"_s));
        QCOMPARE(hello.value(u"rooms"_s).toArray(), (QJsonArray{u"#dev"_s}));

        QSignalSpy entered(alice.get(), &ChatClient::roomEntered);
        first->write(
            R"({"type":"welcome","nick":"alice","users":["alice","bob"],"history":[)"
            R"({"type":"message","id":4,"room":"#lobby","from":"bob","text":"l4","ts":"2026-12-04T10:00:00.000Z"}],)"
            R"("server":"fake","protocol":2})"
            "\n"
            R"({"type":"room","room":"#Dev","topic":"release","users":["alice","bob"],"history":[)"
            R"({"type":"message","id":5,"room":"#Dev","from":"bob","text":"d5","ts":"2026-12-04T10:00:00.000Z"}]})"
            "\n"
            R"({"type":"message","id":9,"room":"#Dev","from":"bob","text":"d9","ts":"2026-12-04T10:00:01.000Z"})"
            "\n"
            R"({"type":"message","id":7,"room":"#lobby","from":"bob","text":"l7","ts":"2026-12-04T10:00:01.000Z"})"
            "\n");
        QTRY_COMPARE_WITH_TIMEOUT(alice->lastMessageId(u"#dev"_s), 9, kWaitMsecs);
        QTRY_COMPARE_WITH_TIMEOUT(alice->lastMessageId(), 7, kWaitMsecs);
        QCOMPARE(entered.size(), 1);
        QCOMPARE(alice->rooms(), (QStringList{u"#lobby"_s, u"#Dev"_s})); // spelled as the server does
        QCOMPARE(alice->topic(u"#dev"_s), u"release"_s);
        QCOMPARE(alice->roomUsers(u"#dev"_s), (QStringList{u"alice"_s, u"bob"_s}));

        QSignalSpy scheduled(alice.get(), &ChatClient::reconnectScheduled);
        first->abort();
        QVERIFY(scheduled.wait(kWaitMsecs));
        alice->say(u"typed while away"_s, false, u"#dev"_s);
        alice->reconnectNow();
        std::unique_ptr<QTcpSocket> second = nextConnection(fake);
        QVERIFY(second);
        const QJsonObject again = readFrame(*second);
        QCOMPARE(again.value(u"since"_s), QJsonValue(7));
        QCOMPARE(again.value(u"rooms"_s).toArray(), (QJsonArray{QJsonObject{{u"room"_s, u"#Dev"_s}, {u"since"_s, 9}}}));

        second->write(R"({"type":"welcome","nick":"alice","users":["alice","bob"],"history":[],)"
                      R"("server":"fake","protocol":2})"
                      "\n");
        // The say waits for #dev to be back: a ping (which is not queued)
        // sent once alice is online comes first.
        QTRY_COMPARE_WITH_TIMEOUT(alice->state(), ChatClient::State::Online, kWaitMsecs);
        alice->ping();
        QCOMPARE(readFrame(*second).value(u"type"_s).toString(), u"ping"_s);
        second->write(R"({"type":"room","room":"#Dev","topic":"release","users":["alice","bob"],"history":[]})"
                      "\n");
        QJsonObject say;
        for (int i = 0; i < 5 && say.value(u"type"_s) != u"say"_s; ++i)
            say = readFrame(*second);
        QCOMPARE(say.value(u"type"_s).toString(), u"say"_s);
        QCOMPARE(say.value(u"room"_s).toString(), u"#dev"_s);
        QCOMPARE(say.value(u"text"_s).toString(), u"typed while away"_s);
    }

    // A `hello` whose rooms the server refuses (too-many-rooms) leaves the
    // client unregistered: it says so, gives the rooms up and registers in
    // #lobby alone rather than not at all.
    void refusedHelloRoomsRegisterInTheLobbyAlone()
    {
        QTcpServer fake;
        QVERIFY(fake.listen(QHostAddress::LocalHost, 0));
        auto alice = makeClient();
        QVERIFY(alice->joinRoom(u"#dev"_s).isEmpty());
        QSignalSpy errors(alice.get(), &ChatClient::errorReceived);
        QSignalSpy left(alice.get(), &ChatClient::roomLeft);
        alice->connectToServer(u"127.0.0.1"_s, fake.serverPort(), u"alice"_s);
        std::unique_ptr<QTcpSocket> socket = nextConnection(fake);
        QVERIFY(socket);
        QCOMPARE(readFrame(*socket).value(u"rooms"_s).toArray().size(), 1);
        socket->write(R"({"type":"error","code":"too-many-rooms","message":"at most 32 rooms","ref":"hello"})"
                      "\n");
        const QJsonObject again = readFrame(*socket);
        QCOMPARE(again.value(u"type"_s).toString(), u"hello"_s);
        QVERIFY(!again.contains(u"rooms"_s));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().first().value<Error>().code, ErrorCode::TooManyRooms);
        QCOMPARE(left.size(), 1);
        QCOMPARE(left.first().first().toString(), u"#dev"_s);
        QCOMPARE(alice->rooms(), QStringList{u"#lobby"_s});
    }

    void messagesOfARoomReachOnlyItsMembers()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto alice = makeClient();
        auto bob = makeClient();
        auto carol = makeClient();
        QVERIFY(connectAs(*alice, server.port(), u"alice"_s));
        QVERIFY(connectAs(*bob, server.port(), u"bob"_s));
        QVERIFY(connectAs(*carol, server.port(), u"carol"_s));

        QSignalSpy roomsChanged(alice.get(), &ChatClient::roomsChanged);
        QVERIFY(join(*alice, u"#dev"_s));
        QCOMPARE(alice->rooms(), (QStringList{u"#lobby"_s, u"#dev"_s}));
        QVERIFY(!roomsChanged.isEmpty());
        QCOMPARE(roomsChanged.last().first().toStringList(), (QStringList{u"#lobby"_s, u"#dev"_s}));

        QSignalSpy aliceJoined(alice.get(), &ChatClient::userJoined);
        QVERIFY(join(*bob, u"#dev"_s));
        QTRY_COMPARE_WITH_TIMEOUT(aliceJoined.size(), 1, kWaitMsecs);
        QCOMPARE(aliceJoined.first().first().value<Joined>().room, u"#dev"_s);
        QCOMPARE(aliceJoined.first().first().value<Joined>().nick, u"bob"_s);
        QCOMPARE(alice->roomUsers(u"#dev"_s), (QStringList{u"alice"_s, u"bob"_s}));
        QCOMPARE(bob->roomUsers(u"#dev"_s), (QStringList{u"alice"_s, u"bob"_s}));

        QSignalSpy aliceMessages(alice.get(), &ChatClient::messageReceived);
        QSignalSpy carolMessages(carol.get(), &ChatClient::messageReceived);
        bob->say(u"빌드 통과했어요"_s, false, u"#DEV"_s);
        bob->say(u"to everyone"_s);
        QTRY_COMPARE_WITH_TIMEOUT(aliceMessages.size(), 2, kWaitMsecs);
        QTRY_COMPARE_WITH_TIMEOUT(carolMessages.size(), 1, kWaitMsecs);
        QCOMPARE(aliceMessages.first().first().value<ChatMessage>().room, u"#dev"_s);
        QCOMPARE(roomTexts(carolMessages), QStringList{u"#lobby to everyone"_s});
        QVERIFY(alice->lastMessageId(u"#dev"_s) > 0);

        // /who of a room answers with the room.
        QSignalSpy list(alice.get(), &ChatClient::userListReceived);
        alice->requestUsers(u"#dev"_s);
        QVERIFY(list.wait(kWaitMsecs));
        QCOMPARE(list.first().at(0).toStringList(), (QStringList{u"alice"_s, u"bob"_s}));
        QCOMPARE(list.first().at(1).toString(), u"#dev"_s);
    }

    void topicsAndTheListOfRooms()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto alice = makeClient();
        auto bob = makeClient();
        QVERIFY(connectAs(*alice, server.port(), u"alice"_s));
        QVERIFY(connectAs(*bob, server.port(), u"bob"_s));
        QVERIFY(join(*alice, u"#dev"_s));
        QVERIFY(join(*bob, u"#dev"_s));

        QSignalSpy bobTopics(bob.get(), &ChatClient::topicChanged);
        QVERIFY(alice->setTopic(u"#dev"_s, u"  release on Friday "_s).isEmpty());
        QVERIFY(bobTopics.wait(kWaitMsecs));
        const auto topic = bobTopics.first().first().value<TopicChanged>();
        QCOMPARE(topic.room, u"#dev"_s);
        QCOMPARE(topic.topic, u"release on Friday"_s);
        QCOMPARE(topic.by, u"alice"_s);
        QCOMPARE(bob->topic(u"#dev"_s), u"release on Friday"_s);
        const ChatClient::InputResult shown = bob->submitInput(u"/topic"_s, u"#dev"_s);
        QCOMPARE(shown.kind, ChatClient::InputResult::Kind::Local);
        QVERIFY2(shown.text.contains(u"release on Friday"_s), qPrintable(shown.text));

        QSignalSpy lists(alice.get(), &ChatClient::roomListReceived);
        QVERIFY(alice->requestRooms().isEmpty());
        QVERIFY(lists.wait(kWaitMsecs));
        const auto rooms = lists.first().first().value<RoomList>().rooms;
        QCOMPARE(rooms.size(), 2);
        QCOMPARE(rooms.at(0).room, u"#dev"_s); // sorted like nicknames
        QCOMPARE(rooms.at(0).users, 2);
        QCOMPARE(rooms.at(0).topic, u"release on Friday"_s);
        QCOMPARE(rooms.at(1).room, u"#lobby"_s);
    }

    void partingLeavesOnlyThatRoom()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto alice = makeClient();
        auto bob = makeClient();
        QVERIFY(connectAs(*alice, server.port(), u"alice"_s));
        QVERIFY(connectAs(*bob, server.port(), u"bob"_s));
        QVERIFY(join(*alice, u"#dev"_s));
        QVERIFY(join(*bob, u"#dev"_s));
        QVERIFY(join(*bob, u"#ops"_s));

        QSignalSpy bobLeftRoom(bob.get(), &ChatClient::roomLeft);
        QSignalSpy aliceLeft(alice.get(), &ChatClient::userLeft);
        // Typed in #dev: "/part" alone is about the current room.
        QCOMPARE(bob->submitInput(u"/part see you"_s, u"#dev"_s).kind, ChatClient::InputResult::Kind::Sent);
        QVERIFY(bobLeftRoom.wait(kWaitMsecs));
        QCOMPARE(bobLeftRoom.first().first().toString(), u"#dev"_s);
        QCOMPARE(bob->rooms(), (QStringList{u"#lobby"_s, u"#ops"_s}));
        QTRY_COMPARE_WITH_TIMEOUT(aliceLeft.size(), 1, kWaitMsecs);
        const auto left = aliceLeft.first().first().value<Left>();
        QCOMPARE(left.reason, LeaveReason::Part);
        QCOMPARE(left.room, u"#dev"_s);
        QCOMPARE(left.message, u"see you"_s);
        QCOMPARE(alice->roomUsers(u"#dev"_s), QStringList{u"alice"_s});
        QCOMPARE(alice->users(), (QStringList{u"alice"_s, u"bob"_s})); // still online

        // #lobby cannot be left; the client says so without asking.
        const ChatClient::InputResult lobbyPart = bob->submitInput(u"/part"_s);
        QCOMPARE(lobbyPart.kind, ChatClient::InputResult::Kind::Invalid);
        QVERIFY(!lobbyPart.text.isEmpty());
    }

    void leavingTheServerLeavesEveryRoom()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto alice = makeClient();
        auto bob = makeClient();
        QVERIFY(connectAs(*alice, server.port(), u"alice"_s));
        QVERIFY(connectAs(*bob, server.port(), u"bob"_s));
        QVERIFY(join(*alice, u"#dev"_s));
        QVERIFY(join(*bob, u"#dev"_s));
        QTRY_COMPARE_WITH_TIMEOUT(alice->roomUsers(u"#dev"_s).size(), 2, kWaitMsecs);

        QSignalSpy roomUsers(alice.get(), &ChatClient::roomUsersChanged);
        QSignalSpy left(alice.get(), &ChatClient::userLeft);
        bob->disconnectFromServer();
        QTRY_COMPARE_WITH_TIMEOUT(left.size(), 1, kWaitMsecs);
        QVERIFY(left.first().first().value<Left>().room.isEmpty());
        QCOMPARE(alice->roomUsers(u"#dev"_s), QStringList{u"alice"_s});
        QCOMPARE(alice->users(), QStringList{u"alice"_s});
        QVERIFY(!roomUsers.isEmpty());
        QCOMPARE(roomUsers.last().at(0).toString(), u"#dev"_s);
    }

    // With a store the rooms' histories outlive the server: alice comes
    // back to both her rooms with exactly what she missed in each, and a
    // line she typed for #dev while away is posted there.
    void reconnectRejoinsEveryRoomWithWhatWasMissed()
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
        for (ChatClient *client : {alice.get(), bob.get()}) {
            QVERIFY(join(*client, u"#dev"_s));
            QVERIFY(join(*client, u"#ops"_s));
        }
        QSignalSpy aliceLive(alice.get(), &ChatClient::messageReceived);
        bob->say(u"d1"_s, false, u"#dev"_s);
        bob->say(u"o1"_s, false, u"#ops"_s);
        bob->say(u"l1"_s);
        QTRY_COMPARE_WITH_TIMEOUT(aliceLive.size(), 3, kWaitMsecs);

        QSignalSpy aliceScheduled(alice.get(), &ChatClient::reconnectScheduled);
        QSignalSpy bobScheduled(bob.get(), &ChatClient::reconnectScheduled);
        server.kill();
        QTRY_VERIFY_WITH_TIMEOUT(!aliceScheduled.isEmpty() && !bobScheduled.isEmpty(), kWaitMsecs);
        QVERIFY(server.start());
        alice->say(u"typed while away"_s, false, u"#dev"_s);

        QSignalSpy bobEntered(bob.get(), &ChatClient::roomEntered);
        bob->reconnectNow();
        QTRY_COMPARE_WITH_TIMEOUT(bobEntered.size(), 2, kWaitMsecs);
        QCOMPARE(bob->rooms(), (QStringList{u"#lobby"_s, u"#dev"_s, u"#ops"_s}));
        QSignalSpy bobEchoes(bob.get(), &ChatClient::messageReceived);
        bob->say(u"d2"_s, false, u"#dev"_s);
        bob->say(u"o2"_s, false, u"#ops"_s);
        bob->say(u"l2"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bobEchoes.size(), 3, kWaitMsecs);

        QSignalSpy aliceBack(alice.get(), &ChatClient::registered);
        QSignalSpy aliceEntered(alice.get(), &ChatClient::roomEntered);
        alice->reconnectNow();
        QTRY_COMPARE_WITH_TIMEOUT(aliceEntered.size(), 2, kWaitMsecs);
        QCOMPARE(aliceBack.size(), 1);
        QStringList missed;
        for (const ChatMessage &m : aliceBack.first().first().value<Welcome>().history)
            missed.append(roomOrLobby(m.room) + u' ' + m.text);
        for (const QList<QVariant> &args : aliceEntered) {
            for (const ChatMessage &m : args.first().value<RoomState>().history)
                missed.append(roomOrLobby(m.room) + u' ' + m.text);
        }
        QCOMPARE(missed, (QStringList{u"#lobby l2"_s, u"#dev d2"_s, u"#ops o2"_s}));
        QCOMPARE(alice->rooms(), (QStringList{u"#lobby"_s, u"#dev"_s, u"#ops"_s}));

        QTRY_VERIFY_WITH_TIMEOUT(roomTexts(bobEchoes).contains(u"#dev typed while away"_s), kWaitMsecs);
        QTRY_COMPARE_WITH_TIMEOUT(alice->unconfirmedCount(), 0, kWaitMsecs);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestChatClientRooms)
#include "tst_chatclient_rooms.moc"
