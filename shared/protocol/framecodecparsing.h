// SPDX-License-Identifier: MIT
#pragma once

#include "framecodec.h"

#include <QByteArrayView>
#include <QJsonObject>

#include <variant>

// The part of FrameCodec's decoding that framecodec.cpp (server frames) and
// framecodecclientdecoding.cpp (client frames) share. Internal to the codec:
// nothing outside those two files includes it.
namespace FrameCodec::Detail {

// The shared first half of decoding: UTF-8, JSON, object, string `type`.
std::variant<QJsonObject, DecodeError> parseObject(QByteArrayView line);

} // namespace FrameCodec::Detail
