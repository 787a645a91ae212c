// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QString>

// The protocol's one time format, and the short clock shown to people.
namespace Timestamp {

// UTC, ISO 8601 with milliseconds: 2026-11-24T22:00:00.123Z
QString toWire(const QDateTime &time);
// An invalid QDateTime when the text is not a timestamp.
QDateTime fromWire(const QString &text);
// "22:00" in the viewer's local time zone.
QString toClock(const QDateTime &time);
// The current time, cut to the millisecond the wire carries.
QDateTime now();

} // namespace Timestamp
