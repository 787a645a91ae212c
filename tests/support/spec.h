// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

// The wire format as PROTOCOL.md specifies it: client frames built by hand
// (not with the project's codec), so the tests check the documented format.
// (Named apart from the server's own `Wire`, which the tests also see.)
namespace Spec {

QJsonObject hello(const QString &nick);
// `hello` with `since`: the last message id the client saw (resume).
QJsonObject helloSince(const QString &nick, const QJsonValue &since);
QJsonObject say(const QString &text, bool action = false);
QJsonObject whisper(const QString &to, const QString &text);
QJsonObject nick(const QString &nick);
QJsonObject who();
QJsonObject ping(const QJsonValue &id = QJsonValue(QJsonValue::Undefined));
QJsonObject bye(const QString &reason = {});

QString type(const QJsonObject &frame);
// The strings of a JSON array (a `users` or `ops` list).
QStringList strings(const QJsonValue &array);
// The `id`s of messages (a `welcome`'s `history`), in order.
QList<qint64> ids(const QJsonArray &messages);
// first, first + 1, ..., last: the ids a test expects.
QList<qint64> idRange(qint64 first, qint64 last);
// UTC, ISO 8601 with milliseconds and Z: 2026-11-24T22:00:00.123Z
bool isTimestamp(const QJsonValue &value);

} // namespace Spec
