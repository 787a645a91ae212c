// SPDX-License-Identifier: MIT
#include "spec.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Spec {

QJsonObject hello(const QString &nick)
{
    return {{u"type"_s, u"hello"_s}, {u"nick"_s, nick}};
}

QJsonObject helloSince(const QString &nick, const QJsonValue &since)
{
    QJsonObject frame = hello(nick);
    frame.insert(u"since"_s, since);
    return frame;
}

QList<qint64> ids(const QJsonArray &messages)
{
    QList<qint64> result;
    for (const auto &m : messages)
        result.append(m.toObject().value(u"id"_s).toInteger());
    return result;
}

QList<qint64> idRange(qint64 first, qint64 last)
{
    QList<qint64> result;
    for (qint64 id = first; id <= last; ++id)
        result.append(id);
    return result;
}

QJsonObject say(const QString &text, bool action)
{
    QJsonObject frame{{u"type"_s, u"say"_s}, {u"text"_s, text}};
    if (action)
        frame.insert(u"action"_s, true);
    return frame;
}

QJsonObject whisper(const QString &to, const QString &text)
{
    return {{u"type"_s, u"whisper"_s}, {u"to"_s, to}, {u"text"_s, text}};
}

QJsonObject nick(const QString &nick)
{
    return {{u"type"_s, u"nick"_s}, {u"nick"_s, nick}};
}

QJsonObject who()
{
    return {{u"type"_s, u"who"_s}};
}

QJsonObject ping(const QJsonValue &id)
{
    QJsonObject frame{{u"type"_s, u"ping"_s}};
    if (!id.isUndefined())
        frame.insert(u"id"_s, id);
    return frame;
}

QJsonObject bye(const QString &reason)
{
    QJsonObject frame{{u"type"_s, u"bye"_s}};
    if (!reason.isEmpty())
        frame.insert(u"reason"_s, reason);
    return frame;
}

QStringList strings(const QJsonValue &array)
{
    QStringList result;
    for (const auto &v : array.toArray())
        result.append(v.toString());
    return result;
}

QString type(const QJsonObject &frame)
{
    return frame.value(u"type"_s).toString();
}

bool isTimestamp(const QJsonValue &value)
{
    static const QRegularExpression pattern(u"^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$"_s);
    return value.isString() && pattern.match(value.toString()).hasMatch();
}

} // namespace Spec
