// SPDX-License-Identifier: MIT
#include "fieldreader.h"

#include "timestamp.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::StringLiterals;

namespace FrameCodec {
namespace {

// Far beyond any count the protocol uses, well inside a double's exact integers.
constexpr double kMaxCount = 1e12;
constexpr double kMaxExactInteger = 9007199254740992.0; // 2^53

} // namespace

FieldReader::FieldReader(const QJsonObject &object, QString type) : m_object(object), m_type(std::move(type))
{}

QString FieldReader::requiredString(const QString &name)
{
    const QJsonValue value = m_object.value(name);
    if (!value.isString())
        fail(value.isUndefined() ? u"missing field \"%1\""_s.arg(name) : u"field \"%1\" must be a string"_s.arg(name));
    return value.toString();
}

QString FieldReader::optionalString(const QString &name)
{
    const QJsonValue value = m_object.value(name);
    if (value.isUndefined() || value.isNull())
        return {};
    if (!value.isString())
        fail(u"field \"%1\" must be a string"_s.arg(name));
    return value.toString();
}

bool FieldReader::optionalBool(const QString &name)
{
    const QJsonValue value = m_object.value(name);
    if (value.isUndefined() || value.isNull())
        return false;
    if (!value.isBool())
        fail(u"field \"%1\" must be true or false"_s.arg(name));
    return value.toBool();
}

qint64 FieldReader::requiredInteger(const QString &name)
{
    const QJsonValue value = m_object.value(name);
    if (!value.isDouble())
        fail(u"field \"%1\" must be a number"_s.arg(name));
    return value.toInteger();
}

std::optional<qint64> FieldReader::optionalWholeNumber(const QString &name, double maximum, const QString &what)
{
    const QJsonValue value = m_object.value(name);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 0 || number > maximum || number != std::floor(number)) {
        fail(u"field \"%1\" must be %2"_s.arg(name, what));
        return std::nullopt;
    }
    return qint64(number);
}

std::optional<qint64> FieldReader::optionalId(const QString &name)
{
    return optionalWholeNumber(name, kMaxExactInteger, u"a message id (an integer, 0 or more)"_s);
}

std::optional<qint64> FieldReader::optionalCount(const QString &name)
{
    return optionalWholeNumber(name, kMaxCount, u"a whole number, 0 or more"_s);
}

qint64 FieldReader::requiredCount(const QString &name)
{
    if (m_object.value(name).isUndefined()) {
        fail(u"missing field \"%1\""_s.arg(name));
        return 0;
    }
    return optionalCount(name).value_or(0);
}

QDateTime FieldReader::timestamp(const QString &name)
{
    // Lenient on purpose: a client shows a message even from a server with an odd clock format.
    const QDateTime ts = Timestamp::fromWire(m_object.value(name).toString());
    return ts.isValid() ? ts : Timestamp::now();
}

QList<Protocol::RoomRequest> FieldReader::roomRequests(const QString &name)
{
    const QJsonValue value = m_object.value(name);
    if (value.isUndefined() || value.isNull())
        return {};
    if (!value.isArray()) {
        fail(u"field \"%1\" must be an array of room names"_s.arg(name));
        return {};
    }
    QList<Protocol::RoomRequest> rooms;
    for (const auto &item : value.toArray()) {
        if (item.isString()) {
            rooms.append({item.toString()});
            continue;
        }
        if (!item.isObject()) {
            fail(u"each of \"%1\" must be a room name or an object with \"room\" and \"since\""_s.arg(name));
            return {};
        }
        const QJsonObject object = item.toObject();
        FieldReader element(object, m_type);
        Protocol::RoomRequest request{element.requiredString(u"room"_s), element.optionalId(u"since"_s)};
        if (!element.m_error.isEmpty()) {
            fail(u"in \"%1\": %2"_s.arg(name, element.m_error));
            return {};
        }
        rooms.append(request);
    }
    return rooms;
}

void FieldReader::fail(const QString &message)
{
    if (m_error.isEmpty())
        m_error = message;
}

} // namespace FrameCodec
