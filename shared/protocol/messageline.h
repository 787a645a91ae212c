// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QByteArray>

#include <optional>

// The JSON line of a `message` frame, written directly rather than through
// QJsonObject and QJsonDocument: every chat message is one, and building the
// object took over half of the room thread's time per message (issue #16,
// docs/performance.md "Per-message path"). The bytes are exactly what
// FrameCodec's generic path writes (keys in QJsonObject's sorted order, the
// same escaping); a message with anything that path would escape gets
// nullopt, and the generic path writes it.
namespace MessageLine {

std::optional<QByteArray> encode(const Protocol::ChatMessage &message);

} // namespace MessageLine
