// SPDX-License-Identifier: MIT
#include "framecodec.h"

#include "timestamp.h"
#include "validation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace FrameCodec {
namespace {

QByteArray toLine(const QJsonObject &object)
{
    QByteArray bytes = QJsonDocument(object).toJson(QJsonDocument::Compact);
    bytes.append('\n');
    return bytes;
}

QJsonArray toJsonArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList toStringList(const QJsonValue &value)
{
    QStringList list;
    const QJsonArray array = value.toArray();
    list.reserve(array.size());
    for (const QJsonValue &item : array)
        list.append(item.toString());
    return list;
}

struct ClientEncoder {
    QJsonObject operator()(const Hello &f) const
    {
        QJsonObject o{{u"type"_s, u"hello"_s}, {u"nick"_s, f.nick}};
        if (!f.client.isEmpty())
            o.insert(u"client"_s, f.client);
        if (f.since)
            o.insert(u"since"_s, *f.since);
        return o;
    }
    QJsonObject operator()(const Say &f) const
    {
        QJsonObject o{{u"type"_s, u"say"_s}, {u"text"_s, f.text}};
        if (f.action)
            o.insert(u"action"_s, true);
        return o;
    }
    QJsonObject operator()(const Whisper &f) const
    {
        return {{u"type"_s, u"whisper"_s}, {u"to"_s, f.to}, {u"text"_s, f.text}};
    }
    QJsonObject operator()(const Nick &f) const { return {{u"type"_s, u"nick"_s}, {u"nick"_s, f.nick}}; }
    QJsonObject operator()(const Who &) const { return {{u"type"_s, u"who"_s}}; }
    QJsonObject operator()(const Ping &f) const
    {
        QJsonObject o{{u"type"_s, u"ping"_s}};
        if (!f.id.isUndefined())
            o.insert(u"id"_s, f.id);
        return o;
    }
    QJsonObject operator()(const Bye &f) const
    {
        QJsonObject o{{u"type"_s, u"bye"_s}};
        if (!f.reason.isEmpty())
            o.insert(u"reason"_s, f.reason);
        return o;
    }
    QJsonObject operator()(const Op &f) const { return {{u"type"_s, u"op"_s}, {u"password"_s, f.password}}; }
    QJsonObject operator()(const Kick &f) const
    {
        QJsonObject o{{u"type"_s, u"kick"_s}, {u"nick"_s, f.nick}};
        if (!f.reason.isEmpty())
            o.insert(u"reason"_s, f.reason);
        return o;
    }
    QJsonObject operator()(const Mute &f) const
    {
        QJsonObject o{{u"type"_s, u"mute"_s}, {u"nick"_s, f.nick}};
        if (f.minutes)
            o.insert(u"minutes"_s, *f.minutes);
        return o;
    }
    QJsonObject operator()(const Unmute &f) const { return {{u"type"_s, u"unmute"_s}, {u"nick"_s, f.nick}}; }
    QJsonObject operator()(const Slow &f) const { return {{u"type"_s, u"slow"_s}, {u"seconds"_s, f.seconds}}; }
};

struct ServerEncoder {
    QJsonObject operator()(const Welcome &f) const
    {
        QJsonArray history;
        for (const ChatMessage &m : f.history)
            history.append(toJson(m));
        QJsonObject o{{u"type"_s, u"welcome"_s}, {u"nick"_s, f.nick},     {u"users"_s, toJsonArray(f.users)},
                      {u"history"_s, history},   {u"server"_s, f.server}, {u"protocol"_s, f.protocol}};
        if (f.truncated)
            o.insert(u"truncated"_s, true);
        // Moderation fields only when they say something: older clients see the frames they know.
        if (!f.ops.isEmpty())
            o.insert(u"ops"_s, toJsonArray(f.ops));
        if (f.slow > 0)
            o.insert(u"slow"_s, f.slow);
        return o;
    }
    QJsonObject operator()(const ChatMessage &f) const { return toJson(f); }
    QJsonObject operator()(const WhisperMessage &f) const
    {
        return {{u"type"_s, u"whisper"_s},
                {u"from"_s, f.from},
                {u"to"_s, f.to},
                {u"text"_s, f.text},
                {u"ts"_s, Timestamp::toWire(f.ts)}};
    }
    QJsonObject operator()(const Joined &f) const
    {
        return {{u"type"_s, u"joined"_s}, {u"nick"_s, f.nick}, {u"ts"_s, Timestamp::toWire(f.ts)}};
    }
    QJsonObject operator()(const Left &f) const
    {
        QJsonObject o{{u"type"_s, u"left"_s},
                      {u"nick"_s, f.nick},
                      {u"reason"_s, leaveReasonName(f.reason)},
                      {u"ts"_s, Timestamp::toWire(f.ts)}};
        if (!f.message.isEmpty())
            o.insert(u"message"_s, f.message);
        if (!f.by.isEmpty())
            o.insert(u"by"_s, f.by);
        return o;
    }
    QJsonObject operator()(const Renamed &f) const
    {
        return {{u"type"_s, u"renamed"_s}, {u"from"_s, f.from}, {u"to"_s, f.to}, {u"ts"_s, Timestamp::toWire(f.ts)}};
    }
    QJsonObject operator()(const Users &f) const
    {
        QJsonObject o{{u"type"_s, u"users"_s}, {u"users"_s, toJsonArray(f.users)}};
        if (!f.ops.isEmpty())
            o.insert(u"ops"_s, toJsonArray(f.ops));
        return o;
    }
    QJsonObject operator()(const Pong &f) const
    {
        QJsonObject o{{u"type"_s, u"pong"_s}};
        if (!f.id.isUndefined())
            o.insert(u"id"_s, f.id);
        return o;
    }
    QJsonObject operator()(const Error &f) const
    {
        QJsonObject o{{u"type"_s, u"error"_s}, {u"code"_s, errorCodeName(f.code)}, {u"message"_s, f.message}};
        if (!f.ref.isEmpty())
            o.insert(u"ref"_s, f.ref);
        if (f.wait > 0)
            o.insert(u"wait"_s, f.wait);
        return o;
    }
    QJsonObject operator()(const ServerBye &f) const
    {
        QJsonObject o{{u"type"_s, u"bye"_s}, {u"reason"_s, f.reason}};
        if (!f.by.isEmpty())
            o.insert(u"by"_s, f.by);
        if (!f.message.isEmpty())
            o.insert(u"message"_s, f.message);
        return o;
    }
    QJsonObject operator()(const Opped &f) const
    {
        return {{u"type"_s, u"opped"_s}, {u"nick"_s, f.nick}, {u"ts"_s, Timestamp::toWire(f.ts)}};
    }
    QJsonObject operator()(const Muted &f) const
    {
        return {{u"type"_s, u"muted"_s},
                {u"nick"_s, f.nick},
                {u"by"_s, f.by},
                {u"minutes"_s, f.minutes},
                {u"until"_s, Timestamp::toWire(f.until)},
                {u"ts"_s, Timestamp::toWire(f.ts)}};
    }
    QJsonObject operator()(const Unmuted &f) const
    {
        return {{u"type"_s, u"unmuted"_s}, {u"nick"_s, f.nick}, {u"by"_s, f.by}, {u"ts"_s, Timestamp::toWire(f.ts)}};
    }
    QJsonObject operator()(const SlowMode &f) const
    {
        return {{u"type"_s, u"slow"_s}, {u"seconds"_s, f.seconds}, {u"by"_s, f.by}, {u"ts"_s, Timestamp::toWire(f.ts)}};
    }
};

// Reads one object after the generic checks, collecting the first field error.
class FieldReader
{
public:
    FieldReader(const QJsonObject &object, QString type) : m_object(object), m_type(std::move(type)) {}

    QString requiredString(const QString &name)
    {
        const QJsonValue value = m_object.value(name);
        if (!value.isString())
            fail(value.isUndefined() ? u"missing field \"%1\""_s.arg(name)
                                     : u"field \"%1\" must be a string"_s.arg(name));
        return value.toString();
    }

    QString optionalString(const QString &name)
    {
        const QJsonValue value = m_object.value(name);
        if (value.isUndefined() || value.isNull())
            return {};
        if (!value.isString())
            fail(u"field \"%1\" must be a string"_s.arg(name));
        return value.toString();
    }

    bool optionalBool(const QString &name)
    {
        const QJsonValue value = m_object.value(name);
        if (value.isUndefined() || value.isNull())
            return false;
        if (!value.isBool())
            fail(u"field \"%1\" must be true or false"_s.arg(name));
        return value.toBool();
    }

    qint64 requiredInteger(const QString &name)
    {
        const QJsonValue value = m_object.value(name);
        if (!value.isDouble())
            fail(u"field \"%1\" must be a number"_s.arg(name));
        return value.toInteger();
    }

    // A whole number from 0 to `maximum` (JSON has only doubles: 2.5 and -1 are refused).
    std::optional<qint64> optionalWholeNumber(const QString &name, double maximum, const QString &what)
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

    // JSON numbers beyond 2^53 lose precision.
    std::optional<qint64> optionalId(const QString &name)
    {
        return optionalWholeNumber(name, kMaxExactInteger, u"a message id (an integer, 0 or more)"_s);
    }

    std::optional<qint64> optionalCount(const QString &name)
    {
        return optionalWholeNumber(name, kMaxCount, u"a whole number, 0 or more"_s);
    }

    qint64 requiredCount(const QString &name)
    {
        if (m_object.value(name).isUndefined()) {
            fail(u"missing field \"%1\""_s.arg(name));
            return 0;
        }
        return optionalCount(name).value_or(0);
    }

    QDateTime timestamp(const QString &name)
    {
        // Lenient on purpose: a client shows a message even from a server with an odd clock format.
        const QDateTime ts = Timestamp::fromWire(m_object.value(name).toString());
        return ts.isValid() ? ts : Timestamp::now();
    }

    QJsonValue any(const QString &name) const { return m_object.value(name); }

    template<typename Frame> Decoded<Frame> result(Frame frame) const
    {
        if (m_error.isEmpty())
            return frame;
        return DecodeError{ErrorCode::BadFrame, m_error, m_type};
    }

private:
    // Far beyond any count the protocol uses, well inside a double's exact integers.
    static constexpr double kMaxCount = 1e12;
    static constexpr double kMaxExactInteger = 9007199254740992.0; // 2^53

    void fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = message;
    }

    const QJsonObject &m_object;
    QString m_type;
    QString m_error;
};

// The shared first half of decoding: UTF-8, JSON, object, string `type`.
std::variant<QJsonObject, DecodeError> parseObject(QByteArrayView line)
{
    if (!Validation::isValidUtf8(line))
        return DecodeError{ErrorCode::BadFrame, u"frame is not valid UTF-8"_s, {}};
    QJsonParseError parseError;
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray::fromRawData(line.data(), line.size()), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return DecodeError{ErrorCode::BadFrame, u"frame is not JSON: %1"_s.arg(parseError.errorString()), {}};
    if (!document.isObject())
        return DecodeError{ErrorCode::BadFrame, u"frame is not a JSON object"_s, {}};
    const QJsonObject object = document.object();
    const QJsonValue type = object.value(u"type"_s);
    if (!type.isString())
        return DecodeError{ErrorCode::BadFrame, u"frame has no string field \"type\""_s, {}};
    return object;
}

ChatMessage readChatMessage(const QJsonObject &o)
{
    ChatMessage m;
    m.id = o.value(u"id"_s).toInteger();
    m.from = o.value(u"from"_s).toString();
    m.text = o.value(u"text"_s).toString();
    m.ts = Timestamp::fromWire(o.value(u"ts"_s).toString());
    if (!m.ts.isValid())
        m.ts = Timestamp::now();
    m.action = o.value(u"action"_s).toBool(false);
    return m;
}

} // namespace

QJsonObject toJson(const ClientFrame &frame)
{
    return std::visit(ClientEncoder{}, frame);
}

QJsonObject toJson(const ServerFrame &frame)
{
    return std::visit(ServerEncoder{}, frame);
}

QJsonObject toJson(const ChatMessage &message)
{
    QJsonObject o{{u"type"_s, u"message"_s},
                  {u"id"_s, message.id},
                  {u"from"_s, message.from},
                  {u"text"_s, message.text},
                  {u"ts"_s, Timestamp::toWire(message.ts)}};
    if (message.action)
        o.insert(u"action"_s, true);
    return o;
}

QByteArray encode(const ClientFrame &frame)
{
    return toLine(toJson(frame));
}

QByteArray encode(const ServerFrame &frame)
{
    return toLine(toJson(frame));
}

Decoded<ClientFrame> decodeClientFrame(QByteArrayView line)
{
    auto parsed = parseObject(line);
    if (auto *error = std::get_if<DecodeError>(&parsed))
        return *error;
    const QJsonObject &object = std::get<QJsonObject>(parsed);
    const QString type = object.value(u"type"_s).toString();
    FieldReader r(object, type);

    if (type == u"hello") {
        Hello f;
        f.nick = r.requiredString(u"nick"_s);
        f.client = r.optionalString(u"client"_s);
        f.since = r.optionalId(u"since"_s);
        return r.result<ClientFrame>(f);
    }
    if (type == u"say") {
        Say f;
        f.text = r.requiredString(u"text"_s);
        f.action = r.optionalBool(u"action"_s);
        return r.result<ClientFrame>(f);
    }
    if (type == u"whisper") {
        Whisper f;
        f.to = r.requiredString(u"to"_s);
        f.text = r.requiredString(u"text"_s);
        return r.result<ClientFrame>(f);
    }
    if (type == u"nick")
        return r.result<ClientFrame>(Nick{r.requiredString(u"nick"_s)});
    if (type == u"who")
        return r.result<ClientFrame>(Who{});
    if (type == u"ping")
        return r.result<ClientFrame>(Ping{r.any(u"id"_s)});
    if (type == u"bye")
        return r.result<ClientFrame>(Bye{r.optionalString(u"reason"_s)});
    if (type == u"op")
        return r.result<ClientFrame>(Op{r.requiredString(u"password"_s)});
    if (type == u"kick") {
        Kick f;
        f.nick = r.requiredString(u"nick"_s);
        f.reason = r.optionalString(u"reason"_s);
        return r.result<ClientFrame>(f);
    }
    if (type == u"mute") {
        Mute f;
        f.nick = r.requiredString(u"nick"_s);
        f.minutes = r.optionalCount(u"minutes"_s);
        return r.result<ClientFrame>(f);
    }
    if (type == u"unmute")
        return r.result<ClientFrame>(Unmute{r.requiredString(u"nick"_s)});
    if (type == u"slow")
        return r.result<ClientFrame>(Slow{r.requiredCount(u"seconds"_s)});

    return DecodeError{ErrorCode::UnknownType, u"unknown frame type \"%1\""_s.arg(type), type};
}

Decoded<ServerFrame> decodeServerFrame(QByteArrayView line)
{
    auto parsed = parseObject(line);
    if (auto *error = std::get_if<DecodeError>(&parsed))
        return *error;
    const QJsonObject &o = std::get<QJsonObject>(parsed);
    const QString type = o.value(u"type"_s).toString();
    FieldReader r(o, type);

    if (type == u"welcome") {
        Welcome f;
        f.nick = r.requiredString(u"nick"_s);
        f.users = toStringList(o.value(u"users"_s));
        for (const QJsonValue &item : o.value(u"history"_s).toArray())
            f.history.append(readChatMessage(item.toObject()));
        f.server = o.value(u"server"_s).toString();
        f.protocol = o.value(u"protocol"_s).toInt(kVersion);
        f.truncated = o.value(u"truncated"_s).toBool(false);
        f.ops = toStringList(o.value(u"ops"_s));
        f.slow = o.value(u"slow"_s).toInt(0);
        return r.result<ServerFrame>(f);
    }
    if (type == u"message") {
        r.requiredInteger(u"id"_s);
        r.requiredString(u"from"_s);
        r.requiredString(u"text"_s);
        return r.result<ServerFrame>(readChatMessage(o));
    }
    if (type == u"whisper") {
        WhisperMessage f;
        f.from = r.requiredString(u"from"_s);
        f.to = r.requiredString(u"to"_s);
        f.text = r.requiredString(u"text"_s);
        f.ts = r.timestamp(u"ts"_s);
        return r.result<ServerFrame>(f);
    }
    if (type == u"joined")
        return r.result<ServerFrame>(Joined{r.requiredString(u"nick"_s), r.timestamp(u"ts"_s)});
    if (type == u"left") {
        Left f;
        f.nick = r.requiredString(u"nick"_s);
        f.reason = leaveReasonFromName(o.value(u"reason"_s).toString()).value_or(LeaveReason::Disconnected);
        f.ts = r.timestamp(u"ts"_s);
        f.message = o.value(u"message"_s).toString();
        f.by = o.value(u"by"_s).toString();
        return r.result<ServerFrame>(f);
    }
    if (type == u"renamed") {
        Renamed f;
        f.from = r.requiredString(u"from"_s);
        f.to = r.requiredString(u"to"_s);
        f.ts = r.timestamp(u"ts"_s);
        return r.result<ServerFrame>(f);
    }
    if (type == u"users")
        return r.result<ServerFrame>(Users{toStringList(o.value(u"users"_s)), toStringList(o.value(u"ops"_s))});
    if (type == u"pong")
        return r.result<ServerFrame>(Pong{r.any(u"id"_s)});
    if (type == u"error") {
        Error f;
        const QString code = r.requiredString(u"code"_s);
        f.code = errorCodeFromName(code).value_or(ErrorCode::BadFrame);
        f.message = o.value(u"message"_s).toString(code);
        f.ref = o.value(u"ref"_s).toString();
        f.wait = o.value(u"wait"_s).toInteger(0);
        return r.result<ServerFrame>(f);
    }
    if (type == u"bye") {
        return r.result<ServerFrame>(
            ServerBye{o.value(u"reason"_s).toString(), o.value(u"by"_s).toString(), o.value(u"message"_s).toString()});
    }
    if (type == u"opped")
        return r.result<ServerFrame>(Opped{r.requiredString(u"nick"_s), r.timestamp(u"ts"_s)});
    if (type == u"muted") {
        Muted f;
        f.nick = r.requiredString(u"nick"_s);
        f.by = o.value(u"by"_s).toString();
        f.minutes = o.value(u"minutes"_s).toInteger(0);
        f.until = r.timestamp(u"until"_s);
        f.ts = r.timestamp(u"ts"_s);
        return r.result<ServerFrame>(f);
    }
    if (type == u"unmuted")
        return r.result<ServerFrame>(
            Unmuted{r.requiredString(u"nick"_s), o.value(u"by"_s).toString(), r.timestamp(u"ts"_s)});
    if (type == u"slow") {
        SlowMode f;
        f.seconds = o.value(u"seconds"_s).toInteger(0);
        f.by = o.value(u"by"_s).toString();
        f.ts = r.timestamp(u"ts"_s);
        return r.result<ServerFrame>(f);
    }

    return DecodeError{ErrorCode::UnknownType, u"unknown frame type \"%1\""_s.arg(type), type};
}

bool looksLikeJsonObject(QByteArrayView line)
{
    const QByteArrayView trimmed = line.trimmed();
    return trimmed.startsWith('{') && trimmed.endsWith('}');
}

} // namespace FrameCodec
