// SPDX-License-Identifier: MIT
#include "outputqueue.h"

#include "bytesink.h"

#include <algorithm>
#include <array>
#include <cerrno>

OutputQueue::OutputQueue(qsizetype limitBytes) : m_limitBytes(limitBytes)
{}

bool OutputQueue::append(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return false;
    const bool wasEmpty = m_pieces.empty();
    m_pieces.push_back(bytes);
    m_bytes += bytes.size();
    return wasEmpty;
}

bool OutputQueue::appendWelcome(const QByteArray &bytes)
{
    const bool wasEmpty = append(bytes);
    m_welcomeBytes += bytes.size();
    return wasEmpty;
}

OutputQueue::WriteResult OutputQueue::writeTo(ByteSink &sink)
{
    std::array<QByteArrayView, kMaxPiecesPerWrite> views;
    while (!m_pieces.empty()) {
        qsizetype count = 0;
        for (auto it = m_pieces.begin(); it != m_pieces.end() && count < kMaxPiecesPerWrite; ++it, ++count)
            views[count] = count == 0 ? QByteArrayView(*it).sliced(m_offset) : QByteArrayView(*it);
        const ssize_t written = sink.write(std::span<const QByteArrayView>(views.data(), size_t(count)));
        if (written == 0)
            return WriteResult::Blocked;
        if (written > 0) {
            consume(written);
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return WriteResult::Blocked;
        return WriteResult::Failed;
    }
    return WriteResult::Empty;
}

void OutputQueue::consume(qsizetype written)
{
    m_bytes -= written;
    // Whatever was queued before the welcome (a greeting line) goes out
    // first; counting it as the welcome's only makes the bound stricter.
    m_welcomeBytes = std::max<qsizetype>(0, m_welcomeBytes - written);
    qsizetype left = written;
    while (left > 0) {
        const qsizetype rest = m_pieces.front().size() - m_offset;
        if (left < rest) {
            m_offset += left;
            break;
        }
        left -= rest;
        m_pieces.pop_front();
        m_offset = 0;
    }
}

void OutputQueue::clear()
{
    m_pieces.clear();
    m_offset = 0;
    m_bytes = 0;
    m_welcomeBytes = 0;
}
