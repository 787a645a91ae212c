// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>

#include <span>
#include <sys/types.h>

// Where an OutputQueue's bytes go: a socket, a TLS session, or a test's
// buffer. Abstract so that the queue's bookkeeping is tested without sockets.
class ByteSink
{
public:
    // Takes what it can of `pieces`, in order, and answers like sendmsg():
    // the number of bytes taken (0 counts as "no room now"), or -1 with errno
    // set (EAGAIN: no room now; EINTR: try again; anything else: failed).
    virtual ssize_t write(std::span<const QByteArrayView> pieces) = 0;

protected:
    ~ByteSink() = default;
};
