// SPDX-License-Identifier: MIT
#include "testharness.h"
#include "userlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class TestUserListModel final : public QObject
{
    Q_OBJECT

private slots:
    void sortsCaseInsensitively()
    {
        UserListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setUsers({u"carol"_s, u"Bob"_s, u"alice"_s, u"민수"_s});
        QCOMPARE(model.users(), (QStringList{u"alice"_s, u"Bob"_s, u"carol"_s, u"민수"_s}));
        QCOMPARE(model.count(), 4);
    }

    void updatesAreMinimal()
    {
        UserListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setUsers({u"alice"_s, u"bob"_s, u"carol"_s});
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy count(&model, &UserListModel::countChanged);

        model.setUsers({u"alice"_s, u"bob"_s, u"carol"_s, u"dave"_s});
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 3);
        QCOMPARE(count.size(), 1);
        QCOMPARE(count.first().first().toInt(), 4);

        model.setUsers({u"alice"_s, u"carol"_s, u"dave"_s});
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.first().at(1).toInt(), 1);

        // A rename is one removal and one insertion at the new place.
        model.setUsers({u"aaron"_s, u"alice"_s, u"dave"_s});
        QCOMPARE(model.users(), (QStringList{u"aaron"_s, u"alice"_s, u"dave"_s}));
        QCOMPARE(removed.size(), 2);
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(reset.size(), 0);

        // Same list: no signal at all.
        count.clear();
        inserted.clear();
        removed.clear();
        model.setUsers({u"dave"_s, u"alice"_s, u"aaron"_s});
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(removed.size(), 0);
        QCOMPARE(count.size(), 0);
    }

    void selfAndLookup()
    {
        UserListModel model;
        model.setUsers({u"Alice"_s, u"bob"_s});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setSelf(u"alice"_s);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.index(0).data(UserListModel::IsSelfRole).toBool(), true);
        QCOMPARE(model.index(1).data(UserListModel::IsSelfRole).toBool(), false);
        QCOMPARE(model.indexOf(u"ALICE"_s), 0);
        QCOMPARE(model.indexOf(u"nobody"_s), -1);
        QCOMPARE(model.index(1).data().toString(), u"bob"_s);
    }

    void emptyList()
    {
        UserListModel model;
        QSignalSpy count(&model, &UserListModel::countChanged);
        model.setUsers({u"a"_s});
        model.setUsers({});
        QCOMPARE(model.count(), 0);
        QCOMPARE(count.size(), 2);
    }

    // Operators are marked by identity, whatever the spelling, and the
    // mark follows the list as people come and go.
    void operators()
    {
        UserListModel model;
        QAbstractItemModelTester tester(&model);
        model.setUsers({u"Alice"_s, u"bob"_s, u"민수"_s});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setOperators({u"ALICE"_s, u"민수"_s});
        QCOMPARE(changed.size(), 1);
        QVERIFY(model.index(0).data(UserListModel::IsOperatorRole).toBool());
        QVERIFY(!model.index(1).data(UserListModel::IsOperatorRole).toBool());
        QVERIFY(model.index(2).data(UserListModel::IsOperatorRole).toBool());
        QCOMPARE(model.index(0).data(Qt::AccessibleTextRole).toString(), u"Alice, operator"_s);
        QCOMPARE(model.index(0).data().toString(), u"Alice"_s); // the nick itself is unchanged
        model.setOperators({u"민수"_s, u"alice"_s});            // same set: no signal
        QCOMPARE(changed.size(), 1);
        model.setOperators({});
        QVERIFY(!model.isOperator(u"Alice"_s));
        QCOMPARE(model.roleNames().value(UserListModel::IsOperatorRole), "isOperator");
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestUserListModel)
#include "tst_userlistmodel.moc"
