// SPDX-License-Identifier: MIT
#include "broadcast.h"

Broadcast::Broadcast(const Protocol::ServerFrame &frame, Wire::ConnectionId except, bool withText,
                     std::optional<QList<Wire::ConnectionId>> audience, const QByteArray &json)
    : m_json(json.isEmpty() ? Wire::encode(Wire::Mode::Json, frame) : json)
    , m_text(withText ? Wire::encode(Wire::Mode::Text, frame) : QByteArray())
    , m_except(except)
    , m_audience(std::move(audience))
{}
