// SPDX-License-Identifier: MIT
#pragma once

#include "framecodec.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace FrameCodec {

// Reads the fields of one frame object after the generic checks (UTF-8, JSON,
// a string `type`), collecting the first field error for the `error` answer.
class FieldReader
{
public:
    FieldReader(const QJsonObject &object, QString type);

    QString requiredString(const QString &name);
    QString optionalString(const QString &name);
    bool optionalBool(const QString &name);
    qint64 requiredInteger(const QString &name);
    // JSON numbers beyond 2^53 lose precision, so ids stop there.
    std::optional<qint64> optionalId(const QString &name);
    std::optional<qint64> optionalCount(const QString &name);
    qint64 requiredCount(const QString &name);
    QDateTime timestamp(const QString &name);
    // `hello.rooms`: absent, or an array of room names or of
    // {"room": NAME, "since": ID} (names are checked by the server, not here).
    QList<Protocol::RoomRequest> roomRequests(const QString &name);
    QJsonValue any(const QString &name) const { return m_object.value(name); }

    template<typename Frame> Decoded<Frame> result(Frame frame) const
    {
        if (m_error.isEmpty())
            return frame;
        return DecodeError{Protocol::ErrorCode::BadFrame, m_error, m_type};
    }

private:
    // A whole number from 0 to `maximum` (JSON has only doubles: 2.5 and -1 are refused).
    std::optional<qint64> optionalWholeNumber(const QString &name, double maximum, const QString &what);
    void fail(const QString &message);

    const QJsonObject &m_object;
    QString m_type;
    QString m_error;
};

} // namespace FrameCodec
