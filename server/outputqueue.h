// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

#include <deque>

class ByteSink;

// One connection's output on its way out: the bytes not yet written, in
// order, as references to the (often shared broadcast) arrays rather than
// copies, and how much of the first one went out already. It knows the
// send-queue bound (--sendq), but not sockets: it writes through a ByteSink.
class OutputQueue final
{
public:
    // How writeTo() ended.
    enum class WriteResult {
        Empty,   // everything went out
        Blocked, // the sink takes nothing more now; the rest waits
        Failed,  // the sink failed (errno tells why); the rest cannot go out
    };

    // The most pieces handed to one ByteSink::write (writev takes at most
    // IOV_MAX, 1024 on Linux).
    static constexpr int kMaxPiecesPerWrite = 256;

    explicit OutputQueue(qsizetype limitBytes);

    bool isEmpty() const { return m_pieces.empty(); }
    // Unwritten bytes, the welcome's included.
    qsizetype bytes() const { return m_bytes; }
    // Whether `size` more bytes stay within the bound. The welcome is not
    // counted against it: it can be larger (history times the message
    // size), and a newcomer has had no chance to read yet.
    bool fits(qsizetype size) const { return m_bytes - m_welcomeBytes + size <= m_limitBytes; }

    // Both return whether the queue was empty before (its owner then has
    // a write to schedule). Empty `bytes` are not queued.
    bool append(const QByteArray &bytes);
    bool appendWelcome(const QByteArray &bytes);
    // Writes until the queue is empty or the sink takes no more.
    WriteResult writeTo(ByteSink &sink);
    void clear();

private:
    void consume(qsizetype written);

    std::deque<QByteArray> m_pieces;
    qsizetype m_limitBytes;
    qsizetype m_offset = 0;       // bytes of m_pieces.front() already written
    qsizetype m_bytes = 0;        // unwritten bytes in m_pieces
    qsizetype m_welcomeBytes = 0; // of those, the welcome's (not held against the bound)
};
