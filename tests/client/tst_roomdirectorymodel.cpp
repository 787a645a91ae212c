// SPDX-License-Identifier: MIT
// The server's rooms as a "join a room" list shows them.
#include "roomdirectorymodel.h"
#include "testharness.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Protocol;

class TestRoomDirectoryModel final : public QObject
{
    Q_OBJECT

private slots:
    void listsTheAnswerAndFindsRoomsAsTheServerCompares()
    {
        RoomDirectoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setList(RoomList{{RoomInfo{u"#Dev"_s, 2, u"release on Friday"_s}, RoomInfo{u"#lobby"_s, 1, {}}}});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.indexOf(u"#dev"_s), 0);
        QCOMPARE(model.indexOf(u"#LOBBY"_s), 1);
        QCOMPARE(model.indexOf(u"#ops"_s), -1);
        QCOMPARE(model.data(model.index(0), RoomDirectoryModel::NameRole).toString(), u"#Dev"_s);
        QCOMPARE(model.data(model.index(0), RoomDirectoryModel::UsersRole).toInt(), 2);
        QCOMPARE(model.data(model.index(0), RoomDirectoryModel::TopicRole).toString(), u"release on Friday"_s);
        QVERIFY(model.data(model.index(0)).toString().startsWith(u"#Dev"_s));
        QVERIFY(model.data(model.index(0)).toString().contains(u"release on Friday"_s));
        QVERIFY(!model.data(model.index(1)).toString().contains(u':'));

        model.setList({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestRoomDirectoryModel)
#include "tst_roomdirectorymodel.moc"
