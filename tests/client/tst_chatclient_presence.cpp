// SPDX-License-Identifier: MIT
// The client core's presence (docs/protocol.md, "Presence") against a real
// server: /away and /back, the away users from events, `who` and `welcome`,
// following renames and leaves into the user list models, the whisper
// echo's notice, and an away that survives a reconnect.
#include "chatclient.h"
#include "clientfixture.h"
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

        bob->whisper(u"alice"_s, u"there?"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bobsLog.rowCount(), 2, kWaitMsecs);
        QCOMPARE(bobsLog.entry(0).kind, MessageLogModel::Kind::Whisper);
        QCOMPARE(bobsLog.entry(1).text, u"alice is away: lunch"_s);
    }

    // Away belongs to the server's connection: after a reconnect the client
    // says so again by itself, and the others see it.
    void awayIsSentAgainAfterAReconnect()
    {
        ServerFixture server;
        QVERIFY(server.start());
        auto alice = makeClient();
        QVERIFY(connectAs(*alice, server.port(), u"alice"_s));
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
    }
};

QTEST_GUILESS_MAIN(TestChatClientPresence)
#include "tst_chatclient_presence.moc"
