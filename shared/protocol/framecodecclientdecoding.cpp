// SPDX-License-Identifier: MIT
// FrameCodec's decoding of the frames clients send, which only the server
// reads; framecodec.cpp has the encoders and the decoding of server frames,
// framecodecparsing.h the first half of decoding that both share.
#include "framecodec.h"

#include "fieldreader.h"
#include "framecodecparsing.h"
#include "frametypename.h"
#include "presenceframes.h"
#include "roomframes.h"

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace FrameCodec {

Decoded<ClientFrame> decodeClientFrame(QByteArrayView line)
{
    auto parsed = Detail::parseObject(line);
    if (auto *error = std::get_if<DecodeError>(&parsed))
        return *error;
    const QJsonObject &object = std::get<QJsonObject>(parsed);
    const QString type = object.value(u"type"_s).toString();
    FieldReader r(object, type);

    if (type == typeName<Hello>()) {
        Hello f;
        f.nick = r.requiredString(u"nick"_s);
        f.client = r.optionalString(u"client"_s);
        f.since = r.optionalId(u"since"_s);
        f.rooms = r.roomRequests(u"rooms"_s);
        f.resume = r.optionalString(u"resume"_s);
        return r.result<ClientFrame>(f);
    }
    if (type == typeName<Say>()) {
        Say f;
        f.text = r.requiredString(u"text"_s);
        f.action = r.optionalBool(u"action"_s);
        f.room = r.optionalString(u"room"_s);
        f.cid = r.optionalString(u"cid"_s);
        return r.result<ClientFrame>(f);
    }
    if (type == typeName<Whisper>()) {
        Whisper f;
        f.to = r.requiredString(u"to"_s);
        f.text = r.requiredString(u"text"_s);
        return r.result<ClientFrame>(f);
    }
    if (type == typeName<Nick>())
        return r.result<ClientFrame>(Nick{r.requiredString(u"nick"_s)});
    if (type == typeName<Who>())
        return r.result<ClientFrame>(Who{r.optionalString(u"room"_s)});
    if (type == typeName<Ping>())
        return r.result<ClientFrame>(Ping{r.any(u"id"_s)});
    if (type == typeName<Bye>())
        return r.result<ClientFrame>(Bye{r.optionalString(u"reason"_s)});
    if (type == typeName<Op>())
        return r.result<ClientFrame>(Op{r.requiredString(u"password"_s)});
    if (type == typeName<Kick>()) {
        Kick f;
        f.nick = r.requiredString(u"nick"_s);
        f.reason = r.optionalString(u"reason"_s);
        return r.result<ClientFrame>(f);
    }
    if (type == typeName<Mute>()) {
        Mute f;
        f.nick = r.requiredString(u"nick"_s);
        f.minutes = r.optionalCount(u"minutes"_s);
        return r.result<ClientFrame>(f);
    }
    if (type == typeName<Unmute>())
        return r.result<ClientFrame>(Unmute{r.requiredString(u"nick"_s)});
    if (type == typeName<Slow>())
        return r.result<ClientFrame>(Slow{r.requiredCount(u"seconds"_s)});
    if (auto roomFrame = RoomFrames::decodeClient(type, r))
        return *roomFrame;
    if (auto presenceFrame = PresenceFrames::decodeClient(type, r))
        return *presenceFrame;

    return DecodeError{ErrorCode::UnknownType, u"unknown frame type \"%1\""_s.arg(type), type};
}

} // namespace FrameCodec
