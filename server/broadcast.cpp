// SPDX-License-Identifier: MIT
#include "broadcast.h"

#include "eventtext.h"
#include "framecodec.h"

Broadcast::Broadcast(Protocol::ServerFrame frame, const Connection *except)
    : m_frame(std::move(frame))
    , m_except(except)
{
}

const QByteArray &Broadcast::jsonLine() const
{
    if (m_json.isEmpty())
        m_json = FrameCodec::encode(m_frame);
    return m_json;
}

const QByteArray &Broadcast::textLine() const
{
    if (m_text.isEmpty()) {
        m_text = EventText::render(m_frame).toUtf8();
        m_text.append('\n');
    }
    return m_text;
}
