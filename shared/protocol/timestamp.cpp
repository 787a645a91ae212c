// SPDX-License-Identifier: MIT
#include "timestamp.h"

#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace {
// toWire() writes four-digit years, and so does every ISO 8601 reader we
// know; "9999-12-31T24:00Z" or an offset can still land outside them.
constexpr int kFirstWritableYear = 1;
constexpr int kLastWritableYear = 9999;
// "2026-11-24T22:00:00.123Z"
constexpr int kWireLength = 24;
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
