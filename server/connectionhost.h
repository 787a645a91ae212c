// SPDX-License-Identifier: MIT
#pragma once

#include "wire.h"

#include <QByteArray>

#include <optional>

class Connection;

// What a Connection needs from the thread that serves it (the Worker): the
// clock, buffers shared by all its connections, the way to the room, and
// the poller's and deadline timer's bookkeeping. Everything runs in that
// thread. A narrow interface instead of friendship, so that the worker
// sees a connection only through its public methods.
class ConnectionHost
{
public:
    virtual qint64 nowMsecs() const = 0;
    // Where reads land before they are parsed; one per thread.
    virtual QByteArray &readBuffer() = 0;
    // Where small pieces of TLS output are gathered into one record.
    virtual QByteArray &tlsRecordBuffer() = 0;

    // Hands a request to the room, in the order the client sent them.
    virtual void submit(Connection &connection, const Wire::Request &request) = 0;
    // Tells the room the connection leaves; the room answers with closeAfter().
    virtual void announceLeave(Connection &connection, Protocol::LeaveReason reason,
                               std::optional<Protocol::ServerFrame> last) = 0;
    // The connection has output: flush it with the others at the next batch.
    virtual void markDirty(Connection &connection) = 0;
    // Whether to wake the connection when its socket can take output.
    virtual void watchWritable(Connection &connection, bool watch) = 0;
    // Connection::deadline() has changed.
    virtual void rescheduleDeadline(Connection &connection) = 0;
    // The connection is closed: forget it once the stack unwinds.
    virtual void retire(Connection &connection) = 0;

protected:
    ~ConnectionHost() = default;
};
