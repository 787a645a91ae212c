// SPDX-License-Identifier: MIT
#include "timestamp.h"

#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace {
// toWire() writes four-digit years, and so does every ISO 8601 reader we
// know; "9999-12-31T24:00Z" or an offset can still land outside them.
constexpr int kFirstWritableYear = 1;
constexpr int kLastWritableYear = 9999;
} // namespace

namespace Timestamp {

QString toWire(const QDateTime &time)
{
    return time.toUTC().toString(u"yyyy-MM-ddTHH:mm:ss.zzz'Z'"_s);
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
