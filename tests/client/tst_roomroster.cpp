// SPDX-License-Identifier: MIT
// The rooms the client core keeps: #lobby first, members per room, and the
// `hello.rooms` a reconnect sends, each room with its own last id.
#include "roomroster.h"
#include "testharness.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace {

RoomState roomState(const QString &room, const QStringList &users, const QList<qint64> &ids = {})
{
    RoomState state;
    state.room = room;
    state.users = users;
    for (const qint64 id : ids)
        state.history.append(ChatMessage{id, u"bob"_s, u"text"_s, {}, false, room});
    return state;
}

} // namespace

class TestRoomRoster final : public QObject
{
    Q_OBJECT

private slots:
    void lobbyIsAlwaysFirstAndCannotBeRemoved()
    {
        RoomRoster roster;
        QCOMPARE(roster.names(), QStringList{u"#lobby"_s});
        QVERIFY(roster.contains(QString()));
        QVERIFY(roster.contains(u"#Lobby"_s));
        QVERIFY(!roster.remove(u"#lobby"_s));
        QVERIFY(RoomRoster::isLobby(QString()));
        QVERIFY(RoomRoster::isLobby(u"#LOBBY"_s));
        QVERIFY(!RoomRoster::isLobby(u"#dev"_s));
    }

    void roomsKeepTheOrderTheyWereJoinedIn()
    {
        RoomRoster roster;
        roster.enter(roomState(u"#zeta"_s, {u"alice"_s}));
        roster.want(u"#alpha"_s);
        roster.enter(roomState(u"#Dev"_s, {u"bob"_s, u"alice"_s}));
        QCOMPARE(roster.names(), (QStringList{u"#lobby"_s, u"#zeta"_s, u"#alpha"_s, u"#Dev"_s}));
        // Found the way the server compares rooms, spelled the way it spells them.
        QCOMPARE(roster.find(u"#dev"_s)->name, u"#Dev"_s);
        QCOMPARE(roster.find(u"#dev"_s)->users, (QStringList{u"alice"_s, u"bob"_s}));
        QVERIFY(roster.remove(u"#ZETA"_s));
        QCOMPARE(roster.names(), (QStringList{u"#lobby"_s, u"#alpha"_s, u"#Dev"_s}));
    }

    void membersFollowJoinsPartsRenamesAndQuits()
    {
        RoomRoster roster;
        roster.lobbyRoom().users = {u"alice"_s, u"bob"_s, u"carol"_s};
        roster.enter(roomState(u"#dev"_s, {u"alice"_s, u"bob"_s}));
        roster.enter(roomState(u"#ops"_s, {u"alice"_s}));
        QVERIFY(roster.addUser(u"#ops"_s, u"carol"_s));
        QVERIFY(!roster.addUser(u"#nowhere"_s, u"carol"_s));
        QCOMPARE(roster.find(u"#ops"_s)->users, (QStringList{u"alice"_s, u"carol"_s}));

        QCOMPARE(roster.renameUser(u"Carol"_s, u"karol"_s), (QStringList{u"#lobby"_s, u"#ops"_s}));
        QCOMPARE(roster.find(u"#ops"_s)->users, (QStringList{u"alice"_s, u"karol"_s}));

        // Leaving the server is leaving every room.
        QCOMPARE(roster.removeUserEverywhere(u"bob"_s), (QStringList{u"#lobby"_s, u"#dev"_s}));
        QCOMPARE(roster.find(u"#dev"_s)->users, QStringList{u"alice"_s});
        QCOMPARE(roster.lobbyRoom().users, (QStringList{u"alice"_s, u"karol"_s}));
        QVERIFY(roster.removeUser(u"#ops"_s, u"karol"_s));
        QCOMPARE(roster.find(u"#ops"_s)->users, QStringList{u"alice"_s});
    }

    void helloResumesEachEnteredRoomAfterItsOwnLastId()
    {
        RoomRoster roster;
        roster.enter(roomState(u"#dev"_s, {u"alice"_s}, {3, 7}));
        roster.enter(roomState(u"#quiet"_s, {u"alice"_s}));
        roster.want(u"#new"_s);
        roster.noteMessage(u"#DEV"_s, 12);
        roster.noteMessage(u"#dev"_s, 9); // older: ignored
        roster.noteMessage(QString(), 11);
        QCOMPARE(roster.lobbyRoom().lastMessageId, 11);
        QCOMPARE(roster.helloRooms(), (QList<RoomRequest>{{u"#dev"_s, 12}, {u"#quiet"_s, 0}, {u"#new"_s}}));

        // A new session joins the same rooms afresh.
        roster.startOver();
        QCOMPARE(roster.helloRooms(), (QList<RoomRequest>{{u"#dev"_s}, {u"#quiet"_s}, {u"#new"_s}}));
    }
};

QTCHAT_TEST_APPLESS_MAIN(TestRoomRoster)
#include "tst_roomroster.moc"
