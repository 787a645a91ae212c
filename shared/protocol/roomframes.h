// SPDX-License-Identifier: MIT
#pragma once

#include "fieldreader.h"
#include "framecodec.h"

#include <QJsonObject>
#include <QString>

#include <optional>

// The JSON of the frames ROOMS.md adds (protocol version 2), apart from
// framecodec.cpp so that each file keeps to one version's frames. Internal
// to the codec: FrameCodec's encoders and decoders call these.
namespace FrameCodec::RoomFrames {

QJsonObject toJson(const Protocol::Join &frame);
QJsonObject toJson(const Protocol::Part &frame);
QJsonObject toJson(const Protocol::SetTopic &frame);
QJsonObject toJson(const Protocol::ListRooms &frame);
QJsonObject toJson(const Protocol::RoomState &frame);
QJsonObject toJson(const Protocol::TopicChanged &frame);
QJsonObject toJson(const Protocol::RoomList &frame);
// `hello.rooms`: names, or {"room", "since"} objects for those with a since.
QJsonValue toJson(const QList<Protocol::RoomRequest> &rooms);

// The frame of `type` if it is one of the rooms' frames, else nullopt.
std::optional<Decoded<Protocol::ClientFrame>> decodeClient(const QString &type, FieldReader &reader);
std::optional<Decoded<Protocol::ServerFrame>> decodeServer(const QString &type, const QJsonObject &object,
                                                           FieldReader &reader);

} // namespace FrameCodec::RoomFrames
