// SPDX-License-Identifier: MIT
#include "linereader.h"

namespace {
// Compact the buffer only when the consumed prefix is large, so taking many
// small lines from one big read stays linear.
constexpr qsizetype kCompactThreshold = 4096;
} // namespace

LineReader::LineReader(qsizetype maxLineBytes) : m_maxLineBytes(maxLineBytes)
{}

void LineReader::append(QByteArrayView bytes)
{
    if (m_overflowed || bytes.isEmpty())
        return;
    m_buffer.append(bytes.data(), bytes.size());
}

std::optional<QByteArray> LineReader::takeLine()
{
    if (m_overflowed)
        return std::nullopt;

    const qsizetype newline = m_buffer.indexOf('\n', m_readPos + m_scanPos);
    if (newline < 0) {
        m_scanPos = m_buffer.size() - m_readPos;
        // Without its LF the line already has m_scanPos bytes; with it, one more.
        if (m_scanPos + 1 > m_maxLineBytes) {
            m_overflowed = true;
            m_buffer.clear();
            m_readPos = m_scanPos = 0;
        }
        compact();
        return std::nullopt;
    }

    const qsizetype lineBytes = newline - m_readPos + 1;
    if (lineBytes > m_maxLineBytes) {
        m_overflowed = true;
        m_buffer.clear();
        m_readPos = m_scanPos = 0;
        return std::nullopt;
    }

    QByteArray line = m_buffer.sliced(m_readPos, lineBytes - 1);
    m_readPos = newline + 1;
    m_scanPos = 0;
    if (m_readPos == m_buffer.size()) {
        m_buffer.clear();
        m_readPos = 0;
    } else if (m_readPos >= kCompactThreshold) {
        compact();
    }
    return stripCarriageReturn(std::move(line));
}

std::optional<QByteArray> LineReader::takePartial()
{
    if (m_overflowed || bufferedBytes() == 0)
        return std::nullopt;
    QByteArray line = m_buffer.sliced(m_readPos);
    m_buffer.clear();
    m_readPos = m_scanPos = 0;
    return stripCarriageReturn(std::move(line));
}

void LineReader::compact()
{
    if (m_readPos == 0)
        return;
    m_buffer.remove(0, m_readPos);
    m_readPos = 0;
}

QByteArray LineReader::stripCarriageReturn(QByteArray line)
{
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}
