// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>

#include <variant>

// The stateless JSON Lines codec: protocol structs to bytes and back.
// Encoded frames end with LF; decoders take one line without its LF.
namespace FrameCodec {

// Why a line could not become a frame, as the `error` the server answers with.
struct DecodeError {
    Protocol::ErrorCode code = Protocol::ErrorCode::BadFrame;
    QString message;
    QString ref; // the frame's `type`, when it had a readable one
};

template<typename Frame> using Decoded = std::variant<Frame, DecodeError>;

QByteArray encode(const Protocol::ClientFrame &frame);
QByteArray encode(const Protocol::ServerFrame &frame);

QJsonObject toJson(const Protocol::ClientFrame &frame);
QJsonObject toJson(const Protocol::ServerFrame &frame);
QJsonObject toJson(const Protocol::ChatMessage &message);
// A `message` object as found in histories; lenient (no field is required).
Protocol::ChatMessage chatMessageFromJson(const QJsonObject &object);

Decoded<Protocol::ClientFrame> decodeClientFrame(QByteArrayView line);
Decoded<Protocol::ServerFrame> decodeServerFrame(QByteArrayView line);

// True for a line a JSON client should read (an object); the protocol tells
// clients to skip anything else that arrives before `welcome`.
bool looksLikeJsonObject(QByteArrayView line);

} // namespace FrameCodec
