// SPDX-License-Identifier: MIT
#pragma once

#include "fieldreader.h"
#include "framecodec.h"

#include <QJsonObject>
#include <QString>

#include <optional>

// The JSON of the presence extension (docs/protocol.md, "Presence"): the
// `away` and `back` frames both ways, and the `away` field of user lists.
// Internal to the codec, like RoomFrames.
namespace FrameCodec::PresenceFrames {

QJsonObject toJson(const Protocol::SetAway &frame);
QJsonObject toJson(const Protocol::SetBack &frame);
QJsonObject toJson(const Protocol::Away &frame);
QJsonObject toJson(const Protocol::Back &frame);
// `away` of welcome, users and room: {"nick": "message", …}; written only
// when someone is away, so older clients see the frames they know.
void insertAway(QJsonObject &object, const Protocol::AwayMessages &away);
Protocol::AwayMessages awayFrom(const QJsonObject &object);

std::optional<Decoded<Protocol::ClientFrame>> decodeClient(const QString &type, FieldReader &reader);
std::optional<Decoded<Protocol::ServerFrame>> decodeServer(const QString &type, const QJsonObject &object,
                                                           FieldReader &reader);

} // namespace FrameCodec::PresenceFrames
