// SPDX-License-Identifier: MIT
#pragma once

#include "wire.h"

#include <QByteArray>
#include <QList>

#include <memory>
#include <optional>

// One room event on its way to every member, on every worker thread. It is
// encoded once per wire form when created and never changes after, so the
// workers share it without locks; the bytes are one implicitly shared
// QByteArray that each recipient's output queue references, not copies.
class Broadcast final
{
public:
    // `withText` is false when no member speaks text mode: no need to render.
    // `audience`: the members of one room (ROOMS.md), on every worker; none
    // means every member of the server (#lobby and server-wide events).
    // `json`: the frame's JSON line when the caller has it already (a
    // message read back from the cluster's stream); empty: encoded here.
    Broadcast(const Protocol::ServerFrame &frame, Wire::ConnectionId except, bool withText,
              std::optional<QList<Wire::ConnectionId>> audience = std::nullopt, const QByteArray &json = {});

    const QByteArray &bytes(Wire::Mode mode) const { return mode == Wire::Mode::Text ? m_text : m_json; }
    Wire::ConnectionId except() const { return m_except; }
    const std::optional<QList<Wire::ConnectionId>> &audience() const { return m_audience; }

private:
    QByteArray m_json;
    QByteArray m_text;
    Wire::ConnectionId m_except;
    std::optional<QList<Wire::ConnectionId>> m_audience;
};

using BroadcastPtr = std::shared_ptr<const Broadcast>;
Q_DECLARE_METATYPE(BroadcastPtr)
