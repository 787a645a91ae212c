// SPDX-License-Identifier: MIT
// MessageLine and Timestamp::toWire write by hand what Qt's JSON and date
// code wrote before (issue #16): the bytes must stay exactly those, or a
// client comparing frames, or a stored line, would see a difference.
// MessageLine::decode and Timestamp::fromWire read them back by hand: what
// they read must be exactly what the generic path reads, and what they do
// not take must go that way.
#include "framecodec.h"
#include "messageline.h"
#include "testharness.h"
#include "timestamp.h"
#include "validation.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>

#include <optional>

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace {

QByteArray genericLine(const ChatMessage &message)
{
    return QJsonDocument(FrameCodec::toJson(message)).toJson(QJsonDocument::Compact) + '\n';
}

const QDateTime kTime(QDate(2026, 11, 24), QTime(22, 0, 0, 123), Qt::UTC);

// What FrameCodec's generic path (QJsonDocument, FieldReader) reads from a
// line as a message; nullopt when it reads an error or another frame.
std::optional<ChatMessage> genericMessage(QByteArrayView line)
{
    if (!Validation::isValidUtf8(line))
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    if (object.value(u"type"_s).toString() != u"message"_s || !object.value(u"id"_s).isDouble() ||
        !object.value(u"from"_s).isString() || !object.value(u"text"_s).isString())
        return std::nullopt;
    return FrameCodec::chatMessageFromJson(object);
}

// The fast path took `line`: the generic path must read the same message,
// to the time stamp's time spec.
void checkSameAsGeneric(QByteArrayView line)
{
    const std::optional<ChatMessage> fast = MessageLine::decode(line);
    if (!fast)
        return;
    const std::optional<ChatMessage> generic = genericMessage(line);
    QVERIFY2(generic.has_value(), line.toByteArray().constData());
    QCOMPARE(*fast, *generic);
    QCOMPARE(fast->ts.timeSpec(), generic->ts.timeSpec());
}

QDateTime genericFromWire(const QString &text)
{
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        return {};
    time = time.toUTC();
    const int year = time.date().year();
    return year < 1 || year > 9999 ? QDateTime() : time;
}

void checkTimestamp(const QByteArray &text)
{
    const QDateTime expected = genericFromWire(QString::fromUtf8(text));
    const QDateTime fast = Timestamp::fromWire(QString::fromUtf8(text));
    QCOMPARE(fast.isValid(), expected.isValid());
    QCOMPARE(fast, expected);
    QCOMPARE(fast.timeSpec(), expected.timeSpec());
}

// Deterministic: a failure shows again on the next run.
constexpr quint32 kSeed = 16;
constexpr int kMutations = 20000;

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

    // Every row's line (direct or generic) reads back as the generic path reads it.
    void decodeSameAsGeneric_data() { sameBytesAsQJsonDocument_data(); }

    void decodeSameAsGeneric()
    {
        QFETCH(ChatMessage, message);
        QFETCH(bool, direct);
        const QByteArray line = FrameCodec::encode(ServerFrame{message});
        // Not read directly: an escaped string (written the generic way), an
        // id past 15 digits and the invalid time (written as "", read as now).
        // A surrogate pair is written the generic way, as plain UTF-8 though.
        const bool escaped = !direct && qstrcmp(QTest::currentDataTag(), "emoji (surrogate pair)") != 0;
        const bool readDirectly = !escaped && message.ts.isValid() && message.id < Q_INT64_C(1000000000000000);
        QCOMPARE(MessageLine::decode(line).has_value(), readDirectly);
        checkSameAsGeneric(line);
        checkSameAsGeneric(QByteArrayView(line).chopped(1)); // a stream entry's `f`: no LF
        if (readDirectly)
            QCOMPARE(*MessageLine::decode(line), *genericMessage(line));
        // Exact: the line with another id is what encode() writes for the message with it.
        bool exact = false;
        if (const std::optional<ChatMessage> read = MessageLine::decode(line, &exact); read && exact) {
            ChatMessage renumbered = *read;
            for (const qint64 id : {qint64(0), qint64(1), qint64(12345), Q_INT64_C(999999999999999)}) {
                renumbered.id = id;
                QCOMPARE(MessageLine::withId(line, id), FrameCodec::encode(ServerFrame{renumbered}));
                QCOMPARE(MessageLine::withId(QByteArrayView(line).chopped(1), id),
                         FrameCodec::encode(ServerFrame{renumbered}));
            }
        }
        // Rows written directly with a plain time stamp are exact; the
        // surrogate pair (written the generic way) is not claimed to be.
        QCOMPARE(exact, direct && message.ts.isValid() && message.id < Q_INT64_C(1000000000000000));
        const FrameCodec::Decoded<ServerFrame> decoded = FrameCodec::decodeServerFrame(line);
        if (readDirectly)
            QCOMPARE(std::get<ChatMessage>(std::get<ServerFrame>(decoded)), *genericMessage(line));
    }

    // Lines near the canonical form: either the fast path leaves them to the
    // generic one, or reads exactly what that does.
    void decodeNearMisses_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("direct");
        const QByteArray ts = "\"ts\":\"2026-11-24T22:00:00.123Z\"";
        const auto line = [&](const QByteArray &middle) -> QByteArray {
            return "{\"from\":\"a\",\"id\":5," + middle + "}";
        };
        QTest::newRow("canonical") << line("\"text\":\"b\"," + ts + ",\"type\":\"message\"") << true;
        QTest::newRow("empty strings") << line("\"room\":\"\",\"text\":\"\"," + ts + ",\"type\":\"message\"") << true;
        QTest::newRow("space") << line("\"text\": \"b\"," + ts + ",\"type\":\"message\"") << false;
        QTest::newRow("other type") << line("\"text\":\"b\"," + ts + ",\"type\":\"joined\"") << false;
        QTest::newRow("extra key") << line("\"text\":\"b\"," + ts + ",\"type\":\"message\",\"x\":1") << false;
        QTest::newRow("escape") << line("\"text\":\"b\\u0041\"," + ts + ",\"type\":\"message\"") << false;
        QTest::newRow("no ms") << line("\"text\":\"b\",\"ts\":\"2026-11-24T22:00:00Z\",\"type\":\"message\"") << true;
        QTest::newRow("offset") << line("\"text\":\"b\",\"ts\":\"2026-11-24T22:00:00.000+01:00\",\"type\":\"message\"")
                                << true;
        QTest::newRow("24:00") << line("\"text\":\"b\",\"ts\":\"2026-11-24T24:00:00.000Z\",\"type\":\"message\"")
                               << true;
        QTest::newRow("bad ts") << line("\"text\":\"b\",\"ts\":\"yesterday\",\"type\":\"message\"") << false;
        QTest::newRow("30 February") << line("\"text\":\"b\",\"ts\":\"2026-02-30T22:00:00.000Z\",\"type\":\"message\"")
                                     << false;
        QTest::newRow("year 0") << line("\"text\":\"b\",\"ts\":\"0000-01-01T00:00:00.000Z\",\"type\":\"message\"")
                                << false;
        QTest::newRow("CRLF") << line("\"text\":\"b\"," + ts + ",\"type\":\"message\"") + "\r\n" << false;
        QTest::newRow("trailing") << line("\"text\":\"b\"," + ts + ",\"type\":\"message\"") + "x" << false;
        QTest::newRow("DEL and non-characters")
            << line("\"text\":\"\x7f \xef\xbf\xbe \xef\xbf\xbf \xef\xb7\x90 \xf4\x8f\xbf\xbf\"," + ts +
                    ",\"type\":\"message\"")
            << true;
        QTest::newRow("invalid UTF-8") << line("\"text\":\"\xc3\x28\"," + ts + ",\"type\":\"message\"") << false;
        QTest::newRow("encoded surrogate")
            << line("\"text\":\"\xed\xa0\x80\"," + ts + ",\"type\":\"message\"") << false;
        QTest::newRow("overlong") << line("\"text\":\"\xc0\xaf\"," + ts + ",\"type\":\"message\"") << false;
        QTest::newRow("id 0") << QByteArray("{\"from\":\"a\",\"id\":0,\"text\":\"b\"," + ts + ",\"type\":\"message\"}")
                              << true;
        QTest::newRow("id leading zero") << QByteArray("{\"from\":\"a\",\"id\":05,\"text\":\"b\"," + ts +
                                                       ",\"type\":\"message\"}")
                                         << false;
        QTest::newRow("id negative") << QByteArray("{\"from\":\"a\",\"id\":-5,\"text\":\"b\"," + ts +
                                                   ",\"type\":\"message\"}")
                                     << false;
        QTest::newRow("id fraction") << QByteArray("{\"from\":\"a\",\"id\":5.5,\"text\":\"b\"," + ts +
                                                   ",\"type\":\"message\"}")
                                     << false;
        QTest::newRow("id 15 digits") << QByteArray("{\"from\":\"a\",\"id\":999999999999999,\"text\":\"b\"," + ts +
                                                    ",\"type\":\"message\"}")
                                      << true;
        QTest::newRow("id 16 digits") << QByteArray("{\"from\":\"a\",\"id\":9999999999999999,\"text\":\"b\"," + ts +
                                                    ",\"type\":\"message\"}")
                                      << false;
        QTest::newRow("action false") << QByteArray("{\"action\":false,\"from\":\"a\",\"id\":5,\"text\":\"b\"," + ts +
                                                    ",\"type\":\"message\"}")
                                      << false;
    }

    void decodeNearMisses()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, direct);
        bool exact = false;
        const std::optional<ChatMessage> read = MessageLine::decode(line, &exact);
        QCOMPARE(read.has_value(), direct);
        checkSameAsGeneric(line);
        // What is claimed exact, encode() writes back byte for byte.
        if (read && exact)
            QCOMPARE(FrameCodec::encode(ServerFrame{*read}), line + '\n');
    }

    // Random byte changes to canonical lines: whatever the fast path still
    // takes, it reads as the generic path does.
    void decodeMutations()
    {
        QRandomGenerator random(kSeed);
        const QList<QByteArray> lines{
            FrameCodec::encode(ServerFrame{ChatMessage{42, u"alice"_s, u"hello"_s, kTime, false, u"#lobby"_s}}),
            FrameCodec::encode(ServerFrame{ChatMessage{7, u"Zoë"_s, u"ça va? €"_s, kTime, true, u"#café"_s}}),
        };
        int taken = 0;
        for (int n = 0; n < kMutations; ++n) {
            QByteArray line = lines.at(n % lines.size());
            const int changes = 1 + int(random.bounded(3));
            for (int i = 0; i < changes; ++i)
                line[int(random.bounded(quint32(line.size())))] = char(random.bounded(256));
            bool exact = false;
            const std::optional<ChatMessage> read = MessageLine::decode(line, &exact);
            taken += read.has_value() ? 1 : 0;
            checkSameAsGeneric(line);
            if (read && exact)
                QCOMPARE(FrameCodec::encode(ServerFrame{*read}), line);
            if (QTest::currentTestFailed())
                return;
        }
        QVERIFY(taken > 0); // some changes (inside a text) keep the form
    }

    void timestampFromWire_data()
    {
        QTest::addColumn<QByteArray>("text");
        for (const QDateTime &time : {kTime, Timestamp::now(), QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC),
                                      QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC),
                                      QDateTime(QDate(2024, 2, 29), QTime(12, 0), Qt::UTC)})
            QTest::newRow(qPrintable(Timestamp::toWire(time))) << Timestamp::toWire(time).toUtf8();
        for (const char *text :
             {"2026-11-24T22:00:00Z", "2026-11-24T22:00:00.123+01:00", "2026-11-24T24:00:00.000Z",
              "2026-11-24T23:59:60.000Z", "2026-02-30T22:00:00.000Z", "2026-13-01T22:00:00.000Z",
              "0000-01-01T00:00:00.000Z", "2026-11-24 22:00:00.123Z", "2026-11-24T22:00:00.123z",
              "+026-11-24T22:00:00.123Z", "2026-11-24T22:00:00.12aZ", "2026-11-24T22:00:00.1234Z", "", "x"})
            QTest::newRow(text) << QByteArray(text);
    }

    void timestampFromWire()
    {
        QFETCH(QByteArray, text);
        checkTimestamp(text);
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
