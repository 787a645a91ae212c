// SPDX-License-Identifier: MIT
// The rooms one is in, as a front end lists them: order, topics, unread
// counts and mentions.
#include "roomlistmodel.h"
#include "testharness.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace {

ChatMessage message(const QString &room, const QString &from, const QString &text)
{
    ChatMessage m;
    m.id = 1;
    m.room = room;
    m.from = from;
    m.text = text;
    return m;
}

QVariant at(const RoomListModel &model, const QString &room, int role)
{
    return model.data(model.index(model.indexOf(room)), role);
}

} // namespace

class TestRoomListModel final : public QObject
{
    Q_OBJECT

private slots:
    void listsRoomsInTheClientsOrder()
    {
        RoomListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy count(&model, &RoomListModel::countChanged);
        model.setRooms({u"#lobby"_s, u"#dev"_s, u"#수학-2반"_s});
        QCOMPARE(model.rooms(), (QStringList{u"#lobby"_s, u"#dev"_s, u"#수학-2반"_s}));
        QCOMPARE(model.count(), 3);
        QCOMPARE(count.size(), 1);
        QCOMPARE(model.data(model.index(1), Qt::DisplayRole).toString(), u"#dev"_s);
        QCOMPARE(model.data(model.index(1), RoomListModel::NameRole).toString(), u"#dev"_s);
        // Rooms compare like nicknames.
        QCOMPARE(model.indexOf(u"#DEV"_s), 1);
        QCOMPARE(model.indexOf(QString()), 0);
        QCOMPARE(model.indexOf(u"#ops"_s), -1);
        QCOMPARE(model.roleNames().value(RoomListModel::UnreadRole), QByteArray("unread"));
    }

    void roomsComeAndGoAsRowsNotResets()
    {
        RoomListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRooms({u"#lobby"_s, u"#dev"_s, u"#ops"_s});
        model.addMessage(message(u"#ops"_s, u"bob"_s, u"hi"_s), u"alice"_s);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        model.setRooms({u"#lobby"_s, u"#ops"_s, u"#qa"_s});
        QCOMPARE(model.rooms(), (QStringList{u"#lobby"_s, u"#ops"_s, u"#qa"_s}));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.first().at(1).toInt(), 1);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 2);
        QCOMPARE(reset.size(), 0);
        // A room that stays keeps what was unread in it.
        QCOMPARE(at(model, u"#ops"_s, RoomListModel::UnreadRole).toInt(), 1);

        // The server's spelling replaces the one asked for.
        model.setRooms({u"#lobby"_s, u"#OPS"_s, u"#qa"_s});
        QCOMPARE(model.rooms().at(1), u"#OPS"_s);
        QCOMPARE(at(model, u"#ops"_s, RoomListModel::UnreadRole).toInt(), 1);
    }

    void topicsAreShown()
    {
        RoomListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRooms({u"#lobby"_s, u"#dev"_s});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setTopic(u"#Dev"_s, u"release on Friday"_s);
        QCOMPARE(at(model, u"#dev"_s, RoomListModel::TopicRole).toString(), u"release on Friday"_s);
        QCOMPARE(at(model, u"#dev"_s, Qt::ToolTipRole).toString(), u"release on Friday"_s);
        QCOMPARE(changed.size(), 1);
        model.setTopic(u"#dev"_s, u"release on Friday"_s);
        QCOMPARE(changed.size(), 1); // unchanged: no signal
        model.setTopic(u"#elsewhere"_s, u"ignored"_s);
        QCOMPARE(changed.size(), 1);
    }

    void messagesElsewhereAreUnreadUntilTheRoomIsCurrent()
    {
        RoomListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRooms({u"#lobby"_s, u"#dev"_s});
        QCOMPARE(model.currentRoom(), u"#lobby"_s);
        QVERIFY(at(model, u"#lobby"_s, RoomListModel::IsCurrentRole).toBool());

        model.addMessage(message(u"#lobby"_s, u"bob"_s, u"seen at once"_s), u"alice"_s);
        model.addMessage(message(u"#dev"_s, u"bob"_s, u"one"_s), u"alice"_s);
        model.addMessage(message(u"#dev"_s, u"alice"_s, u"my own"_s), u"alice"_s);
        model.addMessage(message(u"#dev"_s, u"carol"_s, u"two"_s), u"alice"_s);
        QCOMPARE(at(model, u"#lobby"_s, RoomListModel::UnreadRole).toInt(), 0);
        QCOMPARE(at(model, u"#dev"_s, RoomListModel::UnreadRole).toInt(), 2);
        QVERIFY(!at(model, u"#dev"_s, RoomListModel::MentionedRole).toBool());

        QSignalSpy current(&model, &RoomListModel::currentRoomChanged);
        model.setCurrentRoom(u"#DEV"_s);
        QCOMPARE(current.size(), 1);
        QCOMPARE(at(model, u"#dev"_s, RoomListModel::UnreadRole).toInt(), 0);
        QVERIFY(at(model, u"#dev"_s, RoomListModel::IsCurrentRole).toBool());
        QVERIFY(!at(model, u"#lobby"_s, RoomListModel::IsCurrentRole).toBool());

        model.addMessage(message(QString(), u"bob"_s, u"lobby, said the version-1 way"_s), u"alice"_s);
        QCOMPARE(at(model, u"#lobby"_s, RoomListModel::UnreadRole).toInt(), 1);
        model.markRead(u"#lobby"_s);
        QCOMPARE(at(model, u"#lobby"_s, RoomListModel::UnreadRole).toInt(), 0);
    }

    void aMentionOfTheNicknameIsFlagged()
    {
        RoomListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRooms({u"#lobby"_s, u"#dev"_s});
        model.addMessage(message(u"#dev"_s, u"bob"_s, u"malice is not a mention"_s), u"alice"_s);
        QVERIFY(!at(model, u"#dev"_s, RoomListModel::MentionedRole).toBool());
        model.addMessage(message(u"#dev"_s, u"bob"_s, u"ping @Alice: the build"_s), u"alice"_s);
        QVERIFY(at(model, u"#dev"_s, RoomListModel::MentionedRole).toBool());
        QCOMPARE(at(model, u"#dev"_s, RoomListModel::UnreadRole).toInt(), 2);
        model.setCurrentRoom(u"#dev"_s);
        QVERIFY(!at(model, u"#dev"_s, RoomListModel::MentionedRole).toBool());
    }

    void mentionsAreWholeWords()
    {
        QVERIFY(RoomListModel::mentions(u"alice"_s, u"alice"_s));
        QVERIFY(RoomListModel::mentions(u"hi ALICE!"_s, u"alice"_s));
        QVERIFY(RoomListModel::mentions(u"민수, 안녕"_s, u"민수"_s));
        QVERIFY(RoomListModel::mentions(u"malice alice"_s, u"alice"_s));
        QVERIFY(!RoomListModel::mentions(u"malice"_s, u"alice"_s));
        QVERIFY(!RoomListModel::mentions(u"alice_2 is here"_s, u"alice"_s));
        QVERIFY(!RoomListModel::mentions(u"anything"_s, QString()));
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestRoomListModel)
#include "tst_roomlistmodel.moc"
