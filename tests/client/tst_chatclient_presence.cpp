// SPDX-License-Identifier: MIT
// The client core's presence (docs/protocol.md, "Presence") against a real
// server: /away and /back, the away users from events, `who` and `welcome`,
// following renames and leaves into the user list models, the whisper
// echo's notice, and an away that survives a reconnect.
#include "chatclient.h"
#include "clientfixture.h"
#include "conversationlistmodel.h"
#include "messagelogmodel.h"
#include "serverfixture.h"
#include "testharness.h"
#include "testserver.h"
#include "userlistmodel.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Protocol;
using namespace ClientFixture;

namespace {

std::unique_ptr<ChatClient> makeClient()
{
    return ClientFixture::makeClient(u"tst_chatclient_presence"_s, ClientFixture::Retry::Manual);
}

// alice and bob, both online on `port`; null when one could not join.
std::pair<std::unique_ptr<ChatClient>, std::unique_ptr<ChatClient>> aliceAndBob(quint16 port)
{
    auto alice = makeClient();
    auto bob = makeClient();
    if (!connectAs(*alice, port, u"alice"_s) || !connectAs(*bob, port, u"bob"_s))
        return {};
    return {std::move(alice), std::move(bob)};
}

} // namespace

class TestChatClientPresence final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { TestServer::quietLogs(); }

    void awayAndBackReachTheOthersAndTheirModels()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto [alice, bob] = aliceAndBob(server.port());
        QVERIFY(alice && bob);
        UserListModel bobsList;
        bobsList.setUsers({u"alice"_s, u"bob"_s});
        QObject::connect(bob.get(), &ChatClient::awayUsersChanged, &bobsList, &UserListModel::setAwayUsers);

        QCOMPARE(alice->submitInput(u"/away out for lunch"_s).kind, ChatClient::InputResult::Kind::Sent);
        QTRY_COMPARE_WITH_TIMEOUT(bob->awayUsers(), (AwayMessages{{u"alice"_s, u"out for lunch"_s}}), kWaitMsecs);
        QTRY_VERIFY_WITH_TIMEOUT(alice->isAway(), kWaitMsecs);
        QCOMPARE(alice->awayMessage(), u"out for lunch"_s);
        QVERIFY(!bob->isAway());
        const QModelIndex aliceRow = bobsList.index(bobsList.indexOf(u"alice"_s));
        QVERIFY(aliceRow.data(UserListModel::IsAwayRole).toBool());
        QCOMPARE(aliceRow.data(UserListModel::AwayMessageRole).toString(), u"out for lunch"_s);
        QCOMPARE(aliceRow.data(Qt::ToolTipRole).toString(), u"alice is away: out for lunch"_s);
        QVERIFY(!bobsList.index(bobsList.indexOf(u"bob"_s)).data(UserListModel::IsAwayRole).toBool());

        // A message that breaks the rules never leaves the client.
        const ChatClient::InputResult refused = alice->submitInput(u"/away "_s + QString(301, u'x'));
        QCOMPARE(refused.kind, ChatClient::InputResult::Kind::Invalid);
        QVERIFY(refused.text.contains(u"300"_s));

        QCOMPARE(alice->submitInput(u"/back"_s).kind, ChatClient::InputResult::Kind::Sent);
        QTRY_VERIFY_WITH_TIMEOUT(bob->awayUsers().isEmpty(), kWaitMsecs);
        QTRY_VERIFY_WITH_TIMEOUT(!alice->isAway(), kWaitMsecs);
        QVERIFY(alice->awayMessage().isEmpty());
        QVERIFY(!aliceRow.data(UserListModel::IsAwayRole).toBool());
        QVERIFY(aliceRow.data(Qt::ToolTipRole).isNull());
    }

    void welcomeAndWhoCarryTheAwayUsers()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto alice = makeClient();
        QVERIFY(connectAs(*alice, server.port(), u"alice"_s));
        QVERIFY(alice->setAway().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(alice->isAway(), kWaitMsecs);

        auto carol = makeClient();
        QVERIFY(connectAs(*carol, server.port(), u"carol"_s));
        QCOMPARE(carol->awayUsers(), (AwayMessages{{u"alice"_s, QString()}}));

        QSignalSpy listed(carol.get(), &ChatClient::userListReceived);
        carol->requestUsers();
        QVERIFY(listed.wait(kWaitMsecs));
        QCOMPARE(carol->awayUsers(), (AwayMessages{{u"alice"_s, QString()}}));
    }

    // A room's frame names its away members, and a room's own user list
    // (the sidebar's rooms in chat-gui) dims them like #lobby's.
    void roomsListTheirAwayMembers()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto [alice, bob] = aliceAndBob(server.port());
        QVERIFY(alice && bob);
        QVERIFY(join(*alice, u"#dev"_s));
        QVERIFY(alice->setAway(u"lunch"_s).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(alice->isAway(), kWaitMsecs);

        MessageLogModel lobbyLog;
        UserListModel lobbyUsers;
        ConversationListModel conversations(&lobbyLog, &lobbyUsers);
        conversations.follow(bob.get());
        QSignalSpy entered(bob.get(), &ChatClient::roomEntered);
        QVERIFY(bob->joinRoom(u"#dev"_s).isEmpty());
        QVERIFY(entered.wait(kWaitMsecs));
        QCOMPARE(entered.first().first().value<RoomState>().away, (AwayMessages{{u"alice"_s, u"lunch"_s}}));
        const int dev = conversations.indexOf(u"#dev"_s);
        QVERIFY(dev > 0);
        UserListModel *devUsers = conversations.users(dev);
        QTRY_COMPARE_WITH_TIMEOUT(devUsers->count(), 2, kWaitMsecs);
        QVERIFY(devUsers->index(devUsers->indexOf(u"alice"_s)).data(UserListModel::IsAwayRole).toBool());
        QVERIFY(!devUsers->index(devUsers->indexOf(u"bob"_s)).data(UserListModel::IsAwayRole).toBool());

        QVERIFY(alice->setBack().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!devUsers->awayMessage(u"alice"_s), kWaitMsecs);
    }

    void awayFollowsRenamesAndLeaves()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto [alice, bob] = aliceAndBob(server.port());
        QVERIFY(alice && bob);
        QVERIFY(alice->setAway(u"lunch"_s).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(bob->awayUsers().value(u"alice"_s), u"lunch"_s, kWaitMsecs);

        alice->changeNick(u"alicia"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bob->awayUsers(), (AwayMessages{{u"alicia"_s, u"lunch"_s}}), kWaitMsecs);
        QVERIFY(alice->isAway());

        alice->disconnectFromServer();
        QTRY_VERIFY_WITH_TIMEOUT(!bob->users().contains(u"alicia"_s), kWaitMsecs);
        QVERIFY(bob->awayUsers().isEmpty());
    }

    void aWhisperToAnAwayUserLeavesANotice()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto [alice, bob] = aliceAndBob(server.port());
        QVERIFY(alice && bob);
        MessageLogModel bobsLog;
        bobsLog.setSelf(u"bob"_s);
        QObject::connect(bob.get(), &ChatClient::whisperReceived, &bobsLog, &MessageLogModel::appendWhisper);
        QVERIFY(alice->setAway(u"lunch"_s).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(bob->awayUsers().value(u"alice"_s), u"lunch"_s, kWaitMsecs);

        QSignalSpy echoes(bob.get(), &ChatClient::whisperReceived);
        bob->whisper(u"alice"_s, u"there?"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bobsLog.rowCount(), 2, kWaitMsecs);
        QCOMPARE(bobsLog.entry(0).kind, MessageLogModel::Kind::Whisper);
        QCOMPARE(bobsLog.entry(1).text, u"alice is away: lunch"_s);
        QCOMPARE(echoes.count(), 1);
        QCOMPARE(echoes.first().first().value<WhisperMessage>().away, std::optional<QString>(u"lunch"_s));

        // Back: the next echo carries nothing, and no notice follows.
        QVERIFY(alice->setBack().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(bob->awayUsers().isEmpty(), kWaitMsecs);
        bob->whisper(u"alice"_s, u"ah, there you are"_s);
        QTRY_COMPARE_WITH_TIMEOUT(echoes.count(), 2, kWaitMsecs);
        QVERIFY(!echoes.last().first().value<WhisperMessage>().away);
        QCOMPARE(bobsLog.rowCount(), 3);
    }

    // Away belongs to the server's connection: after a reconnect the client
    // says so again by itself, and the others see it. alice is in a room,
    // so the resume waits for its frame before anything is sent.
    void awayIsSentAgainAfterAReconnect()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto alice = makeClient();
        QVERIFY(connectAs(*alice, server.port(), u"alice"_s));
        QVERIFY(join(*alice, u"#dev"_s));
        QVERIFY(alice->setAway(u"lunch"_s).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(alice->isAway(), kWaitMsecs);

        server.kill();
        QTRY_COMPARE_WITH_TIMEOUT(alice->state(), ChatClient::State::Reconnecting, kWaitMsecs);
        QVERIFY(server.start());
        auto bob = makeClient();
        QVERIFY(connectAs(*bob, server.port(), u"bob"_s));
        alice->reconnectNow();
        QTRY_COMPARE_WITH_TIMEOUT(bob->awayUsers(), (AwayMessages{{u"alice"_s, u"lunch"_s}}), kWaitMsecs);
        QVERIFY(alice->isAway());
        QVERIFY(alice->isInRoom(u"#dev"_s));
    }

    // Connecting anew (not a reconnect) starts a session that is not away.
    void aNewConnectionStartsPresent()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto [alice, bob] = aliceAndBob(server.port());
        QVERIFY(alice && bob);
        QVERIFY(alice->setAway(u"lunch"_s).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(alice->isAway(), kWaitMsecs);
        alice->disconnectFromServer();
        QTRY_COMPARE_WITH_TIMEOUT(alice->state(), ChatClient::State::Disconnected, kWaitMsecs);
        QTRY_VERIFY_WITH_TIMEOUT(!bob->users().contains(u"alice"_s), kWaitMsecs);

        QVERIFY(connectAs(*alice, server.port(), u"alice"_s));
        QVERIFY(!alice->isAway());
        QVERIFY(alice->awayUsers().isEmpty());
        // Had alice asked to be away, bob would hear it before this line.
        QSignalSpy said(bob.get(), &ChatClient::messageReceived);
        alice->say(u"hello again"_s);
        QVERIFY(said.wait(kWaitMsecs));
        QVERIFY(bob->awayUsers().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestChatClientPresence)
#include "tst_chatclient_presence.moc"
