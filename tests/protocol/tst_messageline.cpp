// SPDX-License-Identifier: MIT
// MessageLine and Timestamp::toWire write by hand what Qt's JSON and date
// code wrote before (issue #16): the bytes must stay exactly those, or a
// client comparing frames, or a stored line, would see a difference.
#include "framecodec.h"
#include "messageline.h"
#include "testharness.h"
#include "timestamp.h"

#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace {

QByteArray genericLine(const ChatMessage &message)
{
    return QJsonDocument(FrameCodec::toJson(message)).toJson(QJsonDocument::Compact) + '\n';
}

const QDateTime kTime(QDate(2026, 11, 24), QTime(22, 0, 0, 123), Qt::UTC);

} // namespace

class TestMessageLine final : public QObject
{
    Q_OBJECT

private slots:
    void sameBytesAsQJsonDocument_data()
    {
        QTest::addColumn<ChatMessage>("message");
        QTest::addColumn<bool>("direct"); // written by MessageLine, not the generic path

        QTest::newRow("lobby") << ChatMessage{42, u"alice"_s, u"hello"_s, kTime, false, u"#lobby"_s} << true;
        QTest::newRow("no room") << ChatMessage{1, u"bob"_s, u"hi there"_s, kTime, false} << true;
        QTest::newRow("action") << ChatMessage{7, u"bob"_s, u"waves"_s, kTime, true, u"#rust"_s} << true;
        QTest::newRow("large id") << ChatMessage{Q_INT64_C(9007199254740993), u"b"_s, u"x"_s, kTime} << true;
        QTest::newRow("non-ASCII") << ChatMessage{3, u"Zoë"_s, u"안녕하세요 — ça va? €"_s, kTime, false, u"#café"_s}
                                   << true;
        QTest::newRow("slash and braces")
            << ChatMessage{3, u"a"_s, u"</script> {x} [y] 'q' / ~ \u007f"_s, kTime} << true;
        QTest::newRow("quote") << ChatMessage{3, u"a"_s, u"say \"hi\""_s, kTime} << false;
        QTest::newRow("backslash") << ChatMessage{3, u"a"_s, u"C:\\temp"_s, kTime} << false;
        QTest::newRow("tab") << ChatMessage{3, u"a"_s, u"a\tb"_s, kTime} << false;
        QTest::newRow("emoji (surrogate pair)") << ChatMessage{3, u"a"_s, u"ok 👍"_s, kTime} << false;
        QTest::newRow("unpaired surrogate") << ChatMessage{3, u"a"_s, QString(QChar(0xD800)), kTime} << false;
        QTest::newRow("invalid time") << ChatMessage{3, u"a"_s, u"b"_s, QDateTime()} << true;
    }

    void sameBytesAsQJsonDocument()
    {
        QFETCH(ChatMessage, message);
        QFETCH(bool, direct);
        QCOMPARE(MessageLine::encode(message).has_value(), direct);
        QCOMPARE(FrameCodec::encode(ServerFrame{message}), genericLine(message));
    }

    void timestampSameAsQDateTime_data()
    {
        QTest::addColumn<QDateTime>("time");
        QTest::newRow("now") << Timestamp::now();
        QTest::newRow("year 1") << QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC);
        QTest::newRow("year 999") << QDateTime(QDate(999, 2, 3), QTime(4, 5, 6, 7), Qt::UTC);
        QTest::newRow("year 9999") << QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC);
        QTest::newRow("year 10000") << QDateTime(QDate(10000, 1, 1), QTime(0, 0), Qt::UTC);
        QTest::newRow("year 0 (1 BC)") << QDateTime(QDate(-1, 6, 1), QTime(12, 0), Qt::UTC);
        QTest::newRow("offset") << QDateTime(QDate(2026, 12, 31), QTime(20, 30, 0, 999), QTimeZone(-5 * 3600));
        QTest::newRow("invalid") << QDateTime();
    }

    void timestampSameAsQDateTime()
    {
        QFETCH(QDateTime, time);
        QCOMPARE(Timestamp::toWire(time), time.toUTC().toString(u"yyyy-MM-ddTHH:mm:ss.zzz'Z'"_s));
    }
};

QTCHAT_TEST_APPLESS_MAIN(TestMessageLine)
#include "tst_messageline.moc"
