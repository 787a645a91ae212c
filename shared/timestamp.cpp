// SPDX-License-Identifier: MIT
#include "timestamp.h"

#include <QTimeZone>

using namespace Qt::StringLiterals;

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
    return time.toUTC();
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
