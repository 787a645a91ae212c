// SPDX-License-Identifier: MIT
#include "messagelogmodel.h"
#include "testharness.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using Kind = MessageLogModel::Kind;

namespace {

QDateTime at(int second)
{
    return QDateTime(QDate(2026, 11, 24), QTime(22, 0, second), Qt::UTC);
}

Protocol::ChatMessage message(qint64 id, const QString &from, const QString &text, int second = 0)
{
    Protocol::ChatMessage m;
    m.id = id;
    m.from = from;
    m.text = text;
    m.ts = at(second);
    return m;
}

QList<Protocol::ChatMessage> messages(qint64 firstId, qint64 lastId)
{
    QList<Protocol::ChatMessage> list;
    for (qint64 id = firstId; id <= lastId; ++id)
        list.append(message(id, u"bob"_s, u"line %1"_s.arg(id), int(id % 60)));
    return list;
}

} // namespace

class TestMessageLogModel final : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_model = std::make_unique<MessageLogModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
    }

    void appendsEveryKindWithRoles()
    {
        m_model->setSelf(u"alice"_s);
        QVERIFY(m_model->appendMessage(message(1, u"bob"_s, u"hello"_s)));
        Protocol::ChatMessage action = message(2, u"alice"_s, u"waves"_s);
        action.action = true;
        QVERIFY(m_model->appendMessage(action));
        m_model->appendWhisper({u"bob"_s, u"alice"_s, u"psst"_s, at(3)});
        m_model->appendJoined({u"carol"_s, at(4)});
        m_model->appendLeft({u"carol"_s, Protocol::LeaveReason::Timeout, at(5), {}});
        m_model->appendRenamed({u"bob"_s, u"bobby"_s, at(6)});
        m_model->appendError(u"no user named dave"_s, at(7));
        m_model->appendNotice(u"reconnected"_s, at(8));
        QCOMPARE(m_model->rowCount(), 8);

        const auto kindAt = [this](int row) {
            return m_model->index(row).data(MessageLogModel::KindRole).value<Kind>();
        };
        QCOMPARE(kindAt(0), Kind::Message);
        QCOMPARE(kindAt(1), Kind::Action);
        QCOMPARE(kindAt(2), Kind::Whisper);
        QCOMPARE(kindAt(3), Kind::Joined);
        QCOMPARE(kindAt(4), Kind::Left);
        QCOMPARE(kindAt(5), Kind::Renamed);
        QCOMPARE(kindAt(6), Kind::Error);
        QCOMPARE(kindAt(7), Kind::Notice);

        QCOMPARE(m_model->index(0).data(MessageLogModel::IdRole).toLongLong(), 1);
        QCOMPARE(m_model->index(0).data(MessageLogModel::NickRole).toString(), u"bob"_s);
        QCOMPARE(m_model->index(0).data(MessageLogModel::TextRole).toString(), u"hello"_s);
        QCOMPARE(m_model->index(0).data(MessageLogModel::TimeRole).toDateTime(), at(0));
        QCOMPARE(m_model->index(0).data(MessageLogModel::OwnRole).toBool(), false);
        QCOMPARE(m_model->index(1).data(MessageLogModel::OwnRole).toBool(), true);
        QCOMPARE(m_model->index(2).data(MessageLogModel::TargetRole).toString(), u"alice"_s);
        QCOMPARE(m_model->index(3).data(MessageLogModel::SystemRole).toBool(), true);
        QCOMPARE(m_model->index(0).data(MessageLogModel::SystemRole).toBool(), false);
        QVERIFY(m_model->index(4).data(MessageLogModel::TextRole).toString().contains(u"carol"_s));
        QCOMPARE(m_model->index(5).data(MessageLogModel::TargetRole).toString(), u"bobby"_s);
        QVERIFY(m_model->index(0).data().toString().endsWith(u"<bob> hello"_s));
        QVERIFY(m_model->index(1).data().toString().endsWith(u"* alice waves"_s));
    }

    void serialsAreContiguous()
    {
        for (int i = 1; i <= 30; ++i)
            m_model->appendNotice(QString::number(i));
        m_model->setScrollback(10);
        QCOMPARE(m_model->rowCount(), 10);
        const quint64 first = m_model->index(0).data(MessageLogModel::SerialRole).toULongLong();
        for (int row = 0; row < 10; ++row)
            QCOMPARE(m_model->rowForSerial(first + quint64(row)), row);
        QCOMPARE(m_model->rowForSerial(first - 1), -1);
        QCOMPARE(m_model->index(0).data(MessageLogModel::TextRole).toString(), u"21"_s);
    }

    void liveDuplicatesAreIgnored()
    {
        QVERIFY(m_model->appendMessage(message(7, u"bob"_s, u"once"_s)));
        QVERIFY(!m_model->appendMessage(message(7, u"bob"_s, u"once"_s)));
        QCOMPARE(m_model->rowCount(), 1);
        QCOMPARE(m_model->rowForId(7), 0);
        QCOMPARE(m_model->rowForId(8), -1);
    }

    void historyMergesWithoutDuplicates()
    {
        QCOMPARE(m_model->mergeHistory(messages(1, 5)), 5);
        m_model->appendNotice(u"connection lost"_s);
        // The re-join replays 3..8: only 6, 7 and 8 are new.
        QCOMPARE(m_model->mergeHistory(messages(3, 8)), 3);
        QCOMPARE(m_model->rowCount(), 9);
        QList<qint64> ids;
        for (int row = 0; row < m_model->rowCount(); ++row) {
            const qint64 id = m_model->index(row).data(MessageLogModel::IdRole).toLongLong();
            if (id > 0)
                ids.append(id);
        }
        QCOMPARE(ids, (QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8}));
        // The same history once more adds nothing.
        QCOMPARE(m_model->mergeHistory(messages(3, 8)), 0);
        QCOMPARE(m_model->rowCount(), 9);
    }

    void historyIsOneInsertion()
    {
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QCOMPARE(m_model->mergeHistory(messages(1, 100)), 100);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 0);
        QCOMPARE(inserted.first().at(2).toInt(), 99);
    }

    void historyBeyondTheCapDoesNotComeBack()
    {
        m_model->setScrollback(20);
        QCOMPARE(m_model->mergeHistory(messages(1, 100)), 20);
        QCOMPARE(m_model->index(0).data(MessageLogModel::IdRole).toLongLong(), 81);
        // 1..80 fell out of the cap; replaying them must not append them at the bottom.
        QCOMPARE(m_model->mergeHistory(messages(1, 101)), 1);
        QCOMPARE(m_model->index(19).data(MessageLogModel::IdRole).toLongLong(), 101);
        QCOMPARE(m_model->rowCount(), 20);
    }

    void restartedServerHistoryIsShown()
    {
        QCOMPARE(m_model->mergeHistory(messages(1, 10)), 10);
        // A server without persistence starts again at id 1 with other messages.
        QList<Protocol::ChatMessage> fresh{message(1, u"carol"_s, u"new world"_s, 59)};
        QCOMPARE(m_model->mergeHistory(fresh), 1);
        QCOMPARE(m_model->rowCount(), 11);
        QCOMPARE(m_model->index(10).data(MessageLogModel::NickRole).toString(), u"carol"_s);
        QVERIFY(!m_model->appendMessage(message(1, u"carol"_s, u"new world"_s, 59)));
        QVERIFY(m_model->appendMessage(message(2, u"carol"_s, u"again"_s, 59)));
    }

    void scrollbackDropsOldestWithRemoveRows()
    {
        m_model->setScrollback(50);
        QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsAboutToBeRemoved);
        QSignalSpy trimmed(m_model.get(), &MessageLogModel::rowsTrimmed);
        for (qint64 id = 1; id <= 60; ++id)
            m_model->appendMessage(message(id, u"bob"_s, u"x"_s));
        QCOMPARE(m_model->rowCount(), 50);
        QCOMPARE(removed.size(), 10);
        QCOMPARE(removed.first().at(1).toInt(), 0);
        QCOMPARE(trimmed.size(), 10);
        QCOMPARE(m_model->index(0).data(MessageLogModel::IdRole).toLongLong(), 11);
        QCOMPARE(m_model->rowForId(5), -1);
    }

    void ownAndMentionFlags()
    {
        m_model->setSelf(u"Alice"_s);
        m_model->appendMessage(message(1, u"alice"_s, u"I am here"_s));
        m_model->appendMessage(message(2, u"bob"_s, u"hi ALICE!"_s));
        m_model->appendMessage(message(3, u"bob"_s, u"malice is not a mention"_s));
        QCOMPARE(m_model->index(0).data(MessageLogModel::OwnRole).toBool(), true);
        QCOMPARE(m_model->index(0).data(MessageLogModel::MentionRole).toBool(), false);
        QCOMPARE(m_model->index(1).data(MessageLogModel::MentionRole).toBool(), true);
        QCOMPARE(m_model->index(2).data(MessageLogModel::MentionRole).toBool(), false);
    }

    void mentions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("nick");
        QTest::addColumn<bool>("expected");
        QTest::newRow("plain") << u"hello alice"_s << u"alice"_s << true;
        QTest::newRow("case") << u"Hello ALICE"_s << u"alice"_s << true;
        QTest::newRow("colon") << u"alice: look"_s << u"alice"_s << true;
        QTest::newRow("sentence end") << u"ask alice."_s << u"alice"_s << true;
        QTest::newRow("inside a word") << u"malice"_s << u"alice"_s << false;
        QTest::newRow("prefix of a word") << u"alicent"_s << u"alice"_s << false;
        QTest::newRow("korean") << u"민수 안녕"_s << u"민수"_s << true;
        QTest::newRow("korean particle") << u"민수야 뭐해?"_s << u"민수"_s << true;
        QTest::newRow("korean honorific") << u"민수님 안녕하세요"_s << u"민수"_s << true;
        QTest::newRow("korean inside") << u"김민수"_s << u"민수"_s << false;
        QTest::newRow("empty nick") << u"anything"_s << QString() << false;
    }

    void mentions()
    {
        QFETCH(QString, text);
        QFETCH(QString, nick);
        QFETCH(bool, expected);
        QCOMPARE(MessageLogModel::mentions(text, nick), expected);
    }

    void multiLinePlainTextIsIndented()
    {
        m_model->appendMessage(message(1, u"bob"_s, u"one\ntwo"_s));
        const QString text = m_model->index(0).data().toString();
        const QStringList lines = text.split(u'\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines.at(0).endsWith(u"<bob> one"_s));
        QCOMPARE(lines.at(1).trimmed(), u"two"_s);
    }

    void clearResets()
    {
        m_model->mergeHistory(messages(1, 5));
        m_model->clear();
        QCOMPARE(m_model->rowCount(), 0);
        QCOMPARE(m_model->mergeHistory(messages(1, 5)), 5);
    }

private:
    std::unique_ptr<MessageLogModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTCHAT_TEST_GUILESS_MAIN(TestMessageLogModel)
#include "tst_messagelogmodel.moc"
