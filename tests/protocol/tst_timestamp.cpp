// SPDX-License-Identifier: MIT
#include "testharness.h"
#include "timestamp.h"

#include <QRegularExpression>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;

class TestTimestamp final : public QObject
{
    Q_OBJECT

private slots:
    void toWire_data()
    {
        QTest::addColumn<QDateTime>("time");
        QTest::addColumn<QString>("wire");

        QTest::newRow("PROTOCOL.md example")
            << QDateTime(QDate(2026, 11, 24), QTime(22, 0, 0, 123), Qt::UTC) << u"2026-11-24T22:00:00.123Z"_s;
        QTest::newRow("whole second keeps .000")
            << QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC) << u"2026-01-02T03:04:05.000Z"_s;
        QTest::newRow("single-digit milliseconds")
            << QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5, 7), Qt::UTC) << u"2026-01-02T03:04:05.007Z"_s;
        QTest::newRow("Seoul time becomes UTC")
            << QDateTime(QDate(2026, 11, 25), QTime(7, 0, 0, 123), QTimeZone(9 * 3600))
            << u"2026-11-24T22:00:00.123Z"_s;
        QTest::newRow("west of UTC crosses midnight")
            << QDateTime(QDate(2026, 12, 31), QTime(20, 30, 0, 999), QTimeZone(-5 * 3600))
            << u"2027-01-01T01:30:00.999Z"_s;
    }

    void toWire()
    {
        QFETCH(QDateTime, time);
        QFETCH(QString, wire);
        QCOMPARE(Timestamp::toWire(time), wire);
    }

    void fromWire_data()
    {
        QTest::addColumn<QString>("wire");
        QTest::addColumn<QDateTime>("time");

        QTest::newRow("PROTOCOL.md example")
            << u"2026-11-24T22:00:00.123Z"_s << QDateTime(QDate(2026, 11, 24), QTime(22, 0, 0, 123), Qt::UTC);
        QTest::newRow("offset is converted")
            << u"2026-11-25T07:00:00.123+09:00"_s << QDateTime(QDate(2026, 11, 24), QTime(22, 0, 0, 123), Qt::UTC);
        QTest::newRow("empty") << QString() << QDateTime();
        QTest::newRow("not a time") << u"yesterday"_s << QDateTime();
        QTest::newRow("month 13") << u"2026-13-01T00:00:00.000Z"_s << QDateTime();
        // Both would be written back with a year toWire() cannot express.
        QTest::newRow("24:00 after the last day of year 9999") << u"9999-12-31T24Z"_s << QDateTime();
        QTest::newRow("offset before year 1") << u"0001-01-01T00:00:00.000+01:00"_s << QDateTime();
        QTest::newRow("last writable moment")
            << u"9999-12-31T23:59:59.999Z"_s << QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC);
    }

    // What fromWire() accepts, toWire() writes so that fromWire() reads it again.
    void acceptedTimesRoundTrip()
    {
        for (const QString &wire : {u"2026-11-24T22:00:00.123Z"_s, u"9999-12-31T23:59:59.999Z"_s,
                                    u"0001-01-01T00:00:00.000Z"_s, u"2026-11-25T07:00+09:00"_s}) {
            const QDateTime time = Timestamp::fromWire(wire);
            QVERIFY2(time.isValid(), qPrintable(wire));
            QCOMPARE(Timestamp::fromWire(Timestamp::toWire(time)), time);
        }
    }

    void fromWire()
    {
        QFETCH(QString, wire);
        QFETCH(QDateTime, time);
        const QDateTime parsed = Timestamp::fromWire(wire);
        QCOMPARE(parsed.isValid(), time.isValid());
        if (time.isValid()) {
            QCOMPARE(parsed, time);
            QCOMPARE(parsed.timeSpec(), Qt::UTC);
        }
    }

    void nowIsWireExact()
    {
        static const QRegularExpression format(u"^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$"_s);
        const QDateTime before = QDateTime::currentDateTimeUtc();
        const QDateTime now = Timestamp::now();
        const QDateTime after = QDateTime::currentDateTimeUtc();
        const QString wire = Timestamp::toWire(now);
        QVERIFY2(format.match(wire).hasMatch(), qPrintable(wire));
        // Cut to the millisecond, so what a server stores equals what it sends.
        QCOMPARE(Timestamp::fromWire(wire), now);
        // The current time, however long the calls took (QDateTime keeps milliseconds, as the wire does).
        QVERIFY2(before <= now && now <= after, qPrintable(wire));
    }

    void toClockShowsLocalHoursAndMinutes()
    {
        const QDateTime time(QDate(2026, 11, 24), QTime(22, 5, 59, 999), Qt::UTC);
        QCOMPARE(Timestamp::toClock(time), time.toLocalTime().toString(u"HH:mm"_s));
        QCOMPARE(Timestamp::toClock(time).size(), 5);
    }
};

QTCHAT_TEST_APPLESS_MAIN(TestTimestamp)
#include "tst_timestamp.moc"
