// SPDX-License-Identifier: MIT
#include "timestamp.h"

#include <QTimeZone>

#include <utility>

using namespace Qt::StringLiterals;

namespace {
// toWire() writes four-digit years, and so does every ISO 8601 reader we
// know; "9999-12-31T24:00Z" or an offset can still land outside them.
constexpr int kFirstWritableYear = 1;
constexpr int kLastWritableYear = 9999;
// "2026-11-24T22:00:00.123Z"
constexpr int kWireLength = 24;

// Where toWire() puts the digits of each part: {first character, digits}.
struct Part {
    int at;
    int digits;
};
constexpr Part kYear{0, 4};
constexpr Part kMonth{5, 2};
constexpr Part kDay{8, 2};
constexpr Part kHour{11, 2};
constexpr Part kMinute{14, 2};
constexpr Part kSecond{17, 2};
constexpr Part kMsec{20, 3};
// The punctuation between them: {position, character}.
constexpr std::pair<int, char> kMarks[] = {{4, '-'}, {7, '-'}, {10, 'T'}, {13, ':'}, {16, ':'}, {19, '.'}, {23, 'Z'}};

// Exactly what toWire() writes, read by hand: every message every instance
// reads back from the cluster's stream carries one, and
// QDateTime::fromString took a good part of decoding it (issue #16). An
// invalid QDateTime for anything else (a leap second, "24:00", an offset,
// no milliseconds...): fromString then decides, as before.
QDateTime fromExactWire(const QString &text)
{
    if (text.size() != kWireLength)
        return {};
    for (const auto &[at, mark] : kMarks) {
        if (text.at(at) != QLatin1Char(mark))
            return {};
    }
    bool digits = true;
    const auto number = [&](Part part) {
        int value = 0;
        for (int i = part.at; i < part.at + part.digits; ++i) {
            const int digit = text.at(i).unicode() - u'0';
            digits = digits && digit >= 0 && digit <= 9;
            value = value * 10 + digit;
        }
        return value;
    };
    const QDate date(number(kYear), number(kMonth), number(kDay));
    const QTime clock(number(kHour), number(kMinute), number(kSecond), number(kMsec));
    if (!digits || !date.isValid() || !clock.isValid() || date.year() < kFirstWritableYear)
        return {};
    return QDateTime(date, clock, Qt::UTC);
}
} // namespace

namespace Timestamp {

QString toWire(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    const QDate date = utc.date();
    const int year = date.year();
    if (!utc.isValid() || year < kFirstWritableYear || year > kLastWritableYear)
        return utc.toString(u"yyyy-MM-ddTHH:mm:ss.zzz'Z'"_s);
    // Written by hand: every message carries one, and QDateTime::toString
    // parses its format each time (issue #16, "Per-message path").
    const QTime clock = utc.time();
    char16_t text[kWireLength];
    char16_t *out = text;
    const auto put = [&out](int value, int digits) {
        for (int i = digits - 1; i >= 0; --i, value /= 10)
            out[i] = char16_t(u'0' + value % 10);
        out += digits;
    };
    const auto mark = [&out](char16_t c) { *out++ = c; };
    put(year, 4);
    mark(u'-');
    put(date.month(), 2);
    mark(u'-');
    put(date.day(), 2);
    mark(u'T');
    put(clock.hour(), 2);
    mark(u':');
    put(clock.minute(), 2);
    mark(u':');
    put(clock.second(), 2);
    mark(u'.');
    put(clock.msec(), 3);
    mark(u'Z');
    return QString(reinterpret_cast<const QChar *>(text), kWireLength);
}

QDateTime fromWire(const QString &text)
{
    if (QDateTime exact = fromExactWire(text); exact.isValid())
        return exact;
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        return {};
    time = time.toUTC();
    // A time we could not write back would come back as "invalid" from the
    // next reader: refuse it here, once (found by fuzz_serverframe).
    const int year = time.date().year();
    if (year < kFirstWritableYear || year > kLastWritableYear)
        return {};
    return time;
}

QString toClock(const QDateTime &time)
{
    return time.toLocalTime().toString(u"HH:mm"_s);
}

QDateTime now()
{
    return QDateTime::fromMSecsSinceEpoch(QDateTime::currentMSecsSinceEpoch(), Qt::UTC);
}

} // namespace Timestamp
