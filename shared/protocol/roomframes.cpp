// SPDX-License-Identifier: MIT
#include "roomframes.h"

#include "frametypename.h"
#include "presenceframes.h"
#include "timestamp.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace FrameCodec::RoomFrames {
namespace {

QStringList toStringList(const QJsonValue &value)
{
    QStringList list;
    const QJsonArray array = value.toArray();
    list.reserve(array.size());
    for (const auto &item : array)
        list.append(item.toString());
    return list;
}

} // namespace

QJsonObject toJson(const Join &frame)
{
    return {{u"type"_s, typeName<Join>()}, {u"room"_s, frame.room}};
}

QJsonObject toJson(const Part &frame)
{
    QJsonObject o{{u"type"_s, typeName<Part>()}, {u"room"_s, frame.room}};
    if (!frame.message.isEmpty())
        o.insert(u"message"_s, frame.message);
    return o;
}

QJsonObject toJson(const SetTopic &frame)
{
    return {{u"type"_s, typeName<SetTopic>()}, {u"room"_s, frame.room}, {u"topic"_s, frame.topic}};
}

QJsonObject toJson(const ListRooms &)
{
    return {{u"type"_s, typeName<ListRooms>()}};
}

QJsonObject toJson(const RoomState &frame)
{
    QJsonArray history;
    for (const ChatMessage &message : frame.history)
        history.append(FrameCodec::toJson(message));
    QJsonObject o{{u"type"_s, typeName<RoomState>()},
                  {u"room"_s, frame.room},
                  {u"topic"_s, frame.topic},
                  {u"users"_s, QJsonArray::fromStringList(frame.users)},
                  {u"history"_s, history}};
    if (frame.truncated)
        o.insert(u"truncated"_s, true);
    PresenceFrames::insertAway(o, frame.away);
    return o;
}

QJsonObject toJson(const TopicChanged &frame)
{
    return {{u"type"_s, typeName<TopicChanged>()},
            {u"room"_s, frame.room},
            {u"topic"_s, frame.topic},
            {u"by"_s, frame.by},
            {u"ts"_s, Timestamp::toWire(frame.ts)}};
}

QJsonObject toJson(const RoomList &frame)
{
    QJsonArray rooms;
    for (const RoomInfo &room : frame.rooms)
        rooms.append(QJsonObject{{u"room"_s, room.room}, {u"users"_s, room.users}, {u"topic"_s, room.topic}});
    return {{u"type"_s, typeName<RoomList>()}, {u"rooms"_s, rooms}};
}

QJsonValue toJson(const QList<RoomRequest> &rooms)
{
    QJsonArray array;
    for (const RoomRequest &request : rooms) {
        if (request.since)
            array.append(QJsonObject{{u"room"_s, request.room}, {u"since"_s, *request.since}});
        else
            array.append(request.room);
    }
    return array;
}

std::optional<Decoded<ClientFrame>> decodeClient(const QString &type, FieldReader &r)
{
    if (type == typeName<Join>())
        return r.result<ClientFrame>(Join{r.requiredString(u"room"_s)});
    if (type == typeName<Part>()) {
        Part f;
        f.room = r.requiredString(u"room"_s);
        f.message = r.optionalString(u"message"_s);
        return r.result<ClientFrame>(f);
    }
    if (type == typeName<SetTopic>()) {
        SetTopic f;
        f.room = r.requiredString(u"room"_s);
        f.topic = r.requiredString(u"topic"_s);
        return r.result<ClientFrame>(f);
    }
    if (type == typeName<ListRooms>())
        return r.result<ClientFrame>(ListRooms{});
    return std::nullopt;
}

std::optional<Decoded<ServerFrame>> decodeServer(const QString &type, const QJsonObject &o, FieldReader &r)
{
    if (type == typeName<RoomState>()) {
        RoomState f;
        f.room = r.requiredString(u"room"_s);
        f.topic = o.value(u"topic"_s).toString();
        f.users = toStringList(o.value(u"users"_s));
        for (const auto &item : o.value(u"history"_s).toArray()) {
            ChatMessage message = chatMessageFromJson(item.toObject());
            if (message.room.isEmpty())
                message.room = f.room;
            f.history.append(message);
        }
        f.truncated = o.value(u"truncated"_s).toBool(false);
        f.away = PresenceFrames::awayFrom(o);
        return r.result<ServerFrame>(f);
    }
    if (type == typeName<TopicChanged>()) {
        TopicChanged f;
        f.room = r.requiredString(u"room"_s);
        f.topic = o.value(u"topic"_s).toString();
        f.by = o.value(u"by"_s).toString();
        f.ts = r.timestamp(u"ts"_s);
        return r.result<ServerFrame>(f);
    }
    if (type == typeName<RoomList>()) {
        RoomList f;
        for (const auto &item : o.value(u"rooms"_s).toArray()) {
            const QJsonObject room = item.toObject();
            f.rooms.append(RoomInfo{room.value(u"room"_s).toString(), room.value(u"users"_s).toInt(),
                                    room.value(u"topic"_s).toString()});
        }
        return r.result<ServerFrame>(f);
    }
    return std::nullopt;
}

} // namespace FrameCodec::RoomFrames
