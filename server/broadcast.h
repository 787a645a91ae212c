// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QByteArray>

class Connection;

// One room event on its way to every member. Each wire form is encoded once,
// on first use, and the bytes are shared (QByteArray is implicitly shared),
// so fan-out to N connections costs N buffer appends, not N encodings.
class Broadcast final
{
public:
    explicit Broadcast(Protocol::ServerFrame frame, const Connection *except = nullptr);

    const Protocol::ServerFrame &frame() const { return m_frame; }
    const Connection *except() const { return m_except; }

    const QByteArray &jsonLine() const;
    const QByteArray &textLine() const;

private:
    Protocol::ServerFrame m_frame;
    const Connection *m_except;
    mutable QByteArray m_json;
    mutable QByteArray m_text;
};
