// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <sys/types.h>

struct ssl_st;
class TlsContext;

// One connection's TLS session, run by OpenSSL directly on the connection's
// non-blocking descriptor. read() and write() answer like recv() and send()
// (bytes, 0 at the end, or -1 with errno) so that Connection keeps one loop
// for both transports.
//
// OpenSSL may need to write while reading (handshake) or read while writing
// (handshake, key update): the session remembers which way it is blocked, and
// Connection watches the descriptor for that instead of for what it asked.
class TlsSession final
{
public:
    TlsSession(const TlsContext &context, int fd);
    ~TlsSession();
    TlsSession(const TlsSession &) = delete;
    TlsSession &operator=(const TlsSession &) = delete;

    // -1 with errno EAGAIN: try again on the next event; ECONNRESET: the
    // peer vanished; EPROTO: a TLS error, see error().
    ssize_t read(char *data, size_t size);
    ssize_t write(const char *data, size_t size);
    // Sends close_notify, best effort (the socket is non-blocking).
    void shutdown();

    // The last read() wants the socket writable before it can go on.
    bool readWantsWrite() const { return m_readWantsWrite; }
    // The last write() wants input before it can go on (a handshake).
    bool writeWantsRead() const { return m_writeWantsRead; }
    bool isEstablished() const;
    QString error() const { return m_error; }

private:
    enum class Direction { Read, Write };
    ssize_t fail(int result, Direction direction);

    ssl_st *m_ssl = nullptr;
    bool m_readWantsWrite = false;
    bool m_writeWantsRead = false;
    QString m_error;
};
