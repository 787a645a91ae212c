// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

// Splits a byte stream into LF-terminated lines, with a size limit.
//
// Bytes can arrive cut anywhere (inside a UTF-8 sequence, between CR and LF,
// several lines at once); only complete lines come out. The limit counts the
// line's bytes including its LF, as PROTOCOL.md does for frames.
class LineReader final
{
public:
    explicit LineReader(qsizetype maxLineBytes);

    void append(QByteArrayView bytes);

    // The next complete line without its LF (and without a CR just before it).
    std::optional<QByteArray> takeLine();

    // Everything buffered that has no LF yet, as a line; used by text mode
    // when a client stops sending without a line ending.
    std::optional<QByteArray> takePartial();

    // True once a line longer than the limit has been seen; the stream can
    // no longer be framed and the caller should drop the connection.
    bool hasOverflowed() const { return m_overflowed; }

    qsizetype bufferedBytes() const { return m_buffer.size() - m_readPos; }
    qsizetype maxLineBytes() const { return m_maxLineBytes; }

private:
    void compact();
    static QByteArray stripCarriageReturn(QByteArray line);

    QByteArray m_buffer;
    qsizetype m_readPos = 0; // start of unread data in m_buffer
    qsizetype m_scanPos = 0; // everything before this (from m_readPos) has no LF
    qsizetype m_maxLineBytes;
    bool m_overflowed = false;
};
