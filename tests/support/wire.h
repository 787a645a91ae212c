// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

// Client frames as PROTOCOL.md spells them, built by hand (not with the
// project's codec) so the tests check the documented wire format.
namespace Wire {

QJsonObject hello(const QString &nick);
QJsonObject say(const QString &text, bool action = false);
QJsonObject whisper(const QString &to, const QString &text);
QJsonObject nick(const QString &nick);
QJsonObject who();
QJsonObject ping(const QJsonValue &id = QJsonValue(QJsonValue::Undefined));
QJsonObject bye(const QString &reason = {});

QString type(const QJsonObject &frame);
// UTC, ISO 8601 with milliseconds and Z: 2026-11-24T22:00:00.123Z
bool isTimestamp(const QJsonValue &value);

} // namespace Wire
