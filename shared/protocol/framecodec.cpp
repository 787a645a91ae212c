// SPDX-License-Identifier: MIT
#include "framecodec.h"

#include "fieldreader.h"
#include "framecodecparsing.h"
#include "frametypename.h"
#include "messageline.h"
#include "presenceframes.h"
#include "roomframes.h"
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
    for (const auto &item : array)
        list.append(item.toString());
    return list;
}

struct ClientEncoder {
    QJsonObject operator()(const Hello &f) const
    {
        QJsonObject o{{u"type"_s, typeName<Hello>()}, {u"nick"_s, f.nick}};
        if (!f.client.isEmpty())
            o.insert(u"client"_s, f.client);
        if (f.since)
            o.insert(u"since"_s, *f.since);
        if (!f.rooms.isEmpty())
            o.insert(u"rooms"_s, RoomFrames::toJson(f.rooms));
        if (!f.resume.isEmpty())
            o.insert(u"resume"_s, f.resume);
        return o;
    }
    QJsonObject operator()(const Say &f) const
    {
        QJsonObject o{{u"type"_s, typeName<Say>()}, {u"text"_s, f.text}};
        if (f.action)
            o.insert(u"action"_s, true);
        if (!f.room.isEmpty())
            o.insert(u"room"_s, f.room);
        if (!f.cid.isEmpty())
            o.insert(u"cid"_s, f.cid);
        return o;
    }
    QJsonObject operator()(const Whisper &f) const
    {
        return {{u"type"_s, typeName<Whisper>()}, {u"to"_s, f.to}, {u"text"_s, f.text}};
    }
    QJsonObject operator()(const Nick &f) const { return {{u"type"_s, typeName<Nick>()}, {u"nick"_s, f.nick}}; }
    QJsonObject operator()(const Who &f) const
    {
        QJsonObject o{{u"type"_s, typeName<Who>()}};
        if (!f.room.isEmpty())
            o.insert(u"room"_s, f.room);
        return o;
    }
    QJsonObject operator()(const Ping &f) const
    {
        QJsonObject o{{u"type"_s, typeName<Ping>()}};
        if (!f.id.isUndefined())
            o.insert(u"id"_s, f.id);
        return o;
    }
    QJsonObject operator()(const Bye &f) const
    {
        QJsonObject o{{u"type"_s, typeName<Bye>()}};
        if (!f.reason.isEmpty())
            o.insert(u"reason"_s, f.reason);
        return o;
    }
    QJsonObject operator()(const Op &f) const { return {{u"type"_s, typeName<Op>()}, {u"password"_s, f.password}}; }
    QJsonObject operator()(const Kick &f) const
    {
        QJsonObject o{{u"type"_s, typeName<Kick>()}, {u"nick"_s, f.nick}};
        if (!f.reason.isEmpty())
            o.insert(u"reason"_s, f.reason);
        return o;
    }
    QJsonObject operator()(const Mute &f) const
    {
        QJsonObject o{{u"type"_s, typeName<Mute>()}, {u"nick"_s, f.nick}};
        if (f.minutes)
            o.insert(u"minutes"_s, *f.minutes);
        return o;
    }
    QJsonObject operator()(const Unmute &f) const { return {{u"type"_s, typeName<Unmute>()}, {u"nick"_s, f.nick}}; }
    QJsonObject operator()(const Slow &f) const { return {{u"type"_s, typeName<Slow>()}, {u"seconds"_s, f.seconds}}; }
    QJsonObject operator()(const Join &f) const { return RoomFrames::toJson(f); }
    QJsonObject operator()(const Part &f) const { return RoomFrames::toJson(f); }
    QJsonObject operator()(const SetTopic &f) const { return RoomFrames::toJson(f); }
    QJsonObject operator()(const ListRooms &f) const { return RoomFrames::toJson(f); }
    QJsonObject operator()(const SetAway &f) const { return PresenceFrames::toJson(f); }
    QJsonObject operator()(const SetBack &f) const { return PresenceFrames::toJson(f); }
};

struct ServerEncoder {
    QJsonObject operator()(const Welcome &f) const
    {
        QJsonArray history;
        for (const ChatMessage &m : f.history)
            history.append(toJson(m));
        QJsonObject o{{u"type"_s, typeName<Welcome>()}, {u"nick"_s, f.nick},     {u"users"_s, toJsonArray(f.users)},
                      {u"history"_s, history},          {u"server"_s, f.server}, {u"protocol"_s, f.protocol}};
        if (f.truncated)
            o.insert(u"truncated"_s, true);
        // Moderation fields only when they say something: older clients see the frames they know.
        if (!f.ops.isEmpty())
            o.insert(u"ops"_s, toJsonArray(f.ops));
        if (f.slow > 0)
            o.insert(u"slow"_s, f.slow);
        PresenceFrames::insertAway(o, f.away);
        if (!f.resume.isEmpty())
            o.insert(u"resume"_s, f.resume);
        return o;
    }
    QJsonObject operator()(const ChatMessage &f) const { return toJson(f); }
    QJsonObject operator()(const WhisperMessage &f) const
    {
        QJsonObject o{{u"type"_s, typeName<WhisperMessage>()},
                      {u"from"_s, f.from},
                      {u"to"_s, f.to},
                      {u"text"_s, f.text},
                      {u"ts"_s, Timestamp::toWire(f.ts)}};
        if (f.away)
            o.insert(u"away"_s, *f.away);
        return o;
    }
    QJsonObject operator()(const Joined &f) const
    {
        QJsonObject o{{u"type"_s, typeName<Joined>()}, {u"nick"_s, f.nick}, {u"ts"_s, Timestamp::toWire(f.ts)}};
        if (!f.room.isEmpty())
            o.insert(u"room"_s, f.room);
        return o;
    }
    QJsonObject operator()(const Left &f) const
    {
        QJsonObject o{{u"type"_s, typeName<Left>()},
                      {u"nick"_s, f.nick},
                      {u"reason"_s, leaveReasonName(f.reason)},
                      {u"ts"_s, Timestamp::toWire(f.ts)}};
        if (!f.message.isEmpty())
            o.insert(u"message"_s, f.message);
        if (!f.by.isEmpty())
            o.insert(u"by"_s, f.by);
        if (!f.room.isEmpty())
            o.insert(u"room"_s, f.room);
        return o;
    }
    QJsonObject operator()(const Renamed &f) const
    {
        return {
            {u"type"_s, typeName<Renamed>()}, {u"from"_s, f.from}, {u"to"_s, f.to}, {u"ts"_s, Timestamp::toWire(f.ts)}};
    }
    QJsonObject operator()(const Users &f) const
    {
        QJsonObject o{{u"type"_s, typeName<Users>()}, {u"users"_s, toJsonArray(f.users)}};
        if (!f.ops.isEmpty())
            o.insert(u"ops"_s, toJsonArray(f.ops));
        if (!f.room.isEmpty())
            o.insert(u"room"_s, f.room);
        PresenceFrames::insertAway(o, f.away);
        return o;
    }
    QJsonObject operator()(const Pong &f) const
    {
        QJsonObject o{{u"type"_s, typeName<Pong>()}};
        if (!f.id.isUndefined())
            o.insert(u"id"_s, f.id);
        return o;
    }
    QJsonObject operator()(const Error &f) const
    {
        QJsonObject o{{u"type"_s, typeName<Error>()}, {u"code"_s, errorCodeName(f.code)}, {u"message"_s, f.message}};
        if (!f.ref.isEmpty())
            o.insert(u"ref"_s, f.ref);
        if (f.wait > 0)
            o.insert(u"wait"_s, f.wait);
        return o;
    }
    QJsonObject operator()(const ServerBye &f) const
    {
        QJsonObject o{{u"type"_s, typeName<ServerBye>()}, {u"reason"_s, f.reason}};
        if (!f.by.isEmpty())
            o.insert(u"by"_s, f.by);
        if (!f.message.isEmpty())
            o.insert(u"message"_s, f.message);
        return o;
    }
    QJsonObject operator()(const Opped &f) const
    {
        return {{u"type"_s, typeName<Opped>()}, {u"nick"_s, f.nick}, {u"ts"_s, Timestamp::toWire(f.ts)}};
    }
    QJsonObject operator()(const Muted &f) const
    {
        return {{u"type"_s, typeName<Muted>()},
                {u"nick"_s, f.nick},
                {u"by"_s, f.by},
                {u"minutes"_s, f.minutes},
                {u"until"_s, Timestamp::toWire(f.until)},
                {u"ts"_s, Timestamp::toWire(f.ts)}};
    }
    QJsonObject operator()(const Unmuted &f) const
    {
        return {
            {u"type"_s, typeName<Unmuted>()}, {u"nick"_s, f.nick}, {u"by"_s, f.by}, {u"ts"_s, Timestamp::toWire(f.ts)}};
    }
    QJsonObject operator()(const SlowMode &f) const
    {
        return {{u"type"_s, typeName<SlowMode>()},
                {u"seconds"_s, f.seconds},
                {u"by"_s, f.by},
                {u"ts"_s, Timestamp::toWire(f.ts)}};
    }
    QJsonObject operator()(const RoomState &f) const { return RoomFrames::toJson(f); }
    QJsonObject operator()(const TopicChanged &f) const { return RoomFrames::toJson(f); }
    QJsonObject operator()(const RoomList &f) const { return RoomFrames::toJson(f); }
    QJsonObject operator()(const Away &f) const { return PresenceFrames::toJson(f); }
    QJsonObject operator()(const Back &f) const { return PresenceFrames::toJson(f); }
};

} // namespace

std::variant<QJsonObject, DecodeError> Detail::parseObject(QByteArrayView line)
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

QJsonObject toJson(const ClientFrame &frame)
{
    return std::visit(ClientEncoder{}, frame);
}

QJsonObject toJson(const ServerFrame &frame)
{
    return std::visit(ServerEncoder{}, frame);
}

ChatMessage chatMessageFromJson(const QJsonObject &o)
{
    ChatMessage m;
    m.id = o.value(u"id"_s).toInteger();
    m.from = o.value(u"from"_s).toString();
    m.text = o.value(u"text"_s).toString();
    m.ts = Timestamp::fromWire(o.value(u"ts"_s).toString());
    if (!m.ts.isValid())
        m.ts = Timestamp::now();
    m.action = o.value(u"action"_s).toBool(false);
    m.room = o.value(u"room"_s).toString();
    return m;
}

QJsonObject toJson(const ChatMessage &message)
{
    QJsonObject o{{u"type"_s, typeName<ChatMessage>()},
                  {u"id"_s, message.id},
                  {u"from"_s, message.from},
                  {u"text"_s, message.text},
                  {u"ts"_s, Timestamp::toWire(message.ts)}};
    if (message.action)
        o.insert(u"action"_s, true);
    if (!message.room.isEmpty())
        o.insert(u"room"_s, message.room);
    return o;
}

QByteArray encode(const ClientFrame &frame)
{
    return toLine(toJson(frame));
}

QByteArray encode(const ServerFrame &frame)
{
    if (const auto *message = std::get_if<ChatMessage>(&frame)) {
        if (std::optional<QByteArray> line = MessageLine::encode(*message))
            return *std::move(line);
    }
    return toLine(toJson(frame));
}

Decoded<ServerFrame> decodeServerFrame(QByteArrayView line)
{
    // The frame nearly every line is, written by MessageLine: read without
    // QJsonDocument when it is exactly in that form.
    if (std::optional<ChatMessage> message = MessageLine::decode(line))
        return ServerFrame{*std::move(message)};
    auto parsed = Detail::parseObject(line);
    if (auto *error = std::get_if<DecodeError>(&parsed))
        return *error;
    const QJsonObject &o = std::get<QJsonObject>(parsed);
    const QString type = o.value(u"type"_s).toString();
    FieldReader r(o, type);

    if (type == typeName<Welcome>()) {
        Welcome f;
        f.nick = r.requiredString(u"nick"_s);
        f.users = toStringList(o.value(u"users"_s));
        for (const auto &item : o.value(u"history"_s).toArray())
            f.history.append(chatMessageFromJson(item.toObject()));
        f.server = o.value(u"server"_s).toString();
        f.protocol = o.value(u"protocol"_s).toInt(1); // version 1 did not always say
        f.truncated = o.value(u"truncated"_s).toBool(false);
        f.ops = toStringList(o.value(u"ops"_s));
        f.slow = o.value(u"slow"_s).toInt(0);
        f.away = PresenceFrames::awayFrom(o);
        f.resume = o.value(u"resume"_s).toString();
        return r.result<ServerFrame>(f);
    }
    if (type == typeName<ChatMessage>()) {
        r.requiredInteger(u"id"_s);
        r.requiredString(u"from"_s);
        r.requiredString(u"text"_s);
        return r.result<ServerFrame>(chatMessageFromJson(o));
    }
    if (type == typeName<WhisperMessage>()) {
        WhisperMessage f;
        f.from = r.requiredString(u"from"_s);
        f.to = r.requiredString(u"to"_s);
        f.text = r.requiredString(u"text"_s);
        f.ts = r.timestamp(u"ts"_s);
        if (const QJsonValue away = o.value(u"away"_s); away.isString())
            f.away = away.toString();
        return r.result<ServerFrame>(f);
    }
    if (type == typeName<Joined>())
        return r.result<ServerFrame>(
            Joined{r.requiredString(u"nick"_s), r.timestamp(u"ts"_s), o.value(u"room"_s).toString()});
    if (type == typeName<Left>()) {
        Left f;
        f.nick = r.requiredString(u"nick"_s);
        f.reason = leaveReasonFromName(o.value(u"reason"_s).toString()).value_or(LeaveReason::Disconnected);
        f.ts = r.timestamp(u"ts"_s);
        f.message = o.value(u"message"_s).toString();
        f.by = o.value(u"by"_s).toString();
        f.room = o.value(u"room"_s).toString();
        return r.result<ServerFrame>(f);
    }
    if (type == typeName<Renamed>()) {
        Renamed f;
        f.from = r.requiredString(u"from"_s);
        f.to = r.requiredString(u"to"_s);
        f.ts = r.timestamp(u"ts"_s);
        return r.result<ServerFrame>(f);
    }
    if (type == typeName<Users>())
        return r.result<ServerFrame>(Users{toStringList(o.value(u"users"_s)), toStringList(o.value(u"ops"_s)),
                                           o.value(u"room"_s).toString(), PresenceFrames::awayFrom(o)});
    if (type == typeName<Pong>())
        return r.result<ServerFrame>(Pong{r.any(u"id"_s)});
    if (type == typeName<Error>()) {
        Error f;
        const QString code = r.requiredString(u"code"_s);
        f.code = errorCodeFromName(code).value_or(ErrorCode::BadFrame);
        f.message = o.value(u"message"_s).toString(code);
        f.ref = o.value(u"ref"_s).toString();
        f.wait = o.value(u"wait"_s).toInteger(0);
        return r.result<ServerFrame>(f);
    }
    if (type == typeName<ServerBye>()) {
        return r.result<ServerFrame>(
            ServerBye{o.value(u"reason"_s).toString(), o.value(u"by"_s).toString(), o.value(u"message"_s).toString()});
    }
    if (type == typeName<Opped>())
        return r.result<ServerFrame>(Opped{r.requiredString(u"nick"_s), r.timestamp(u"ts"_s)});
    if (type == typeName<Muted>()) {
        Muted f;
        f.nick = r.requiredString(u"nick"_s);
        f.by = o.value(u"by"_s).toString();
        f.minutes = o.value(u"minutes"_s).toInteger(0);
        f.until = r.timestamp(u"until"_s);
        f.ts = r.timestamp(u"ts"_s);
        return r.result<ServerFrame>(f);
    }
    if (type == typeName<Unmuted>())
        return r.result<ServerFrame>(
            Unmuted{r.requiredString(u"nick"_s), o.value(u"by"_s).toString(), r.timestamp(u"ts"_s)});
    if (type == typeName<SlowMode>()) {
        SlowMode f;
        f.seconds = o.value(u"seconds"_s).toInteger(0);
        f.by = o.value(u"by"_s).toString();
        f.ts = r.timestamp(u"ts"_s);
        return r.result<ServerFrame>(f);
    }
    if (auto roomFrame = RoomFrames::decodeServer(type, o, r))
        return *roomFrame;
    if (auto presenceFrame = PresenceFrames::decodeServer(type, o, r))
        return *presenceFrame;

    return DecodeError{ErrorCode::UnknownType, u"unknown frame type \"%1\""_s.arg(type), type};
}

bool looksLikeJsonObject(QByteArrayView line)
{
    const QByteArrayView trimmed = line.trimmed();
    return trimmed.startsWith('{') && trimmed.endsWith('}');
}

} // namespace FrameCodec
