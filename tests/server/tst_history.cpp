// SPDX-License-Identifier: MIT
#include "history.h"

#include <QTest>

using namespace Qt::StringLiterals;
using Protocol::ChatMessage;

namespace {

ChatMessage message(qint64 id)
{
    return ChatMessage{id, u"alice"_s, u"message %1"_s.arg(id), QDateTime::fromMSecsSinceEpoch(id, Qt::UTC), false};
}

QList<qint64> ids(const QList<ChatMessage> &messages)
{
    QList<qint64> result;
    for (const ChatMessage &m : messages)
        result.append(m.id);
    return result;
}

QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> result;
    for (qint64 id = first; id <= last; ++id)
        result.append(id);
    return result;
}

} // namespace

class TestHistory final : public QObject
{
    Q_OBJECT

private slots:
    void keepsTheLastMessages_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("appended");
        QTest::addColumn<QList<qint64>>("kept");

        QTest::newRow("empty") << 100 << 0 << QList<qint64>{};
        QTest::newRow("under capacity") << 100 << 3 << range(1, 3);
        QTest::newRow("exactly full") << 3 << 3 << range(1, 3);
        QTest::newRow("oldest dropped") << 3 << 10 << range(8, 10);
        QTest::newRow("default 100 of 250") << 100 << 250 << range(151, 250);
        QTest::newRow("capacity 1") << 1 << 5 << QList<qint64>{5};
        QTest::newRow("capacity 0 keeps nothing") << 0 << 5 << QList<qint64>{};
        QTest::newRow("negative capacity keeps nothing") << -1 << 5 << QList<qint64>{};
    }

    void keepsTheLastMessages()
    {
        QFETCH(int, capacity);
        QFETCH(int, appended);
        QFETCH(QList<qint64>, kept);

        History history(capacity);
        for (int id = 1; id <= appended; ++id)
            history.append(message(id));
        QCOMPARE(ids(history.last()), kept); // oldest first
        QCOMPARE(history.size(), kept.size());
    }

    void lastCount_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<QList<qint64>>("expected");
        QTest::newRow("all") << -1 << range(1, 5);
        QTest::newRow("zero") << 0 << QList<qint64>{};
        QTest::newRow("two") << 2 << range(4, 5);
        QTest::newRow("more than kept") << 50 << range(1, 5);
    }

    void lastCount()
    {
        QFETCH(int, count);
        QFETCH(QList<qint64>, expected);
        History history(10);
        for (int id = 1; id <= 5; ++id)
            history.append(message(id));
        QCOMPARE(ids(history.last(count)), expected);
    }

    void keepsMessagesIntact()
    {
        History history(2);
        const ChatMessage action{7, u"민수"_s, u"waves\nand smiles"_s, QDateTime::currentDateTimeUtc(), true};
        history.append(action);
        QCOMPARE(history.last(), QList<ChatMessage>{action});
    }
};

QTEST_APPLESS_MAIN(TestHistory)
#include "tst_history.moc"
