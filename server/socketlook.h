// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

// One look at a socket for a step that has a deadline of its own and whose
// caller waits at most so long (PendingConnect's connect, RespExchange's
// replies): poll() for the lesser of the two, again after a signal.
struct SocketLook {
    enum class Outcome { Ready, NotYet, TimedOut, Failed };

    Outcome outcome = Outcome::NotYet;
    short revents = 0; // Ready
    int error = 0;     // Failed: errno

    // `waitLeftMsecs`: how long the caller may still wait; `timeLeftMsecs`:
    // until the step's deadline (TimedOut once it has passed with nothing).
    static SocketLook at(int fd, short events, qint64 waitLeftMsecs, qint64 timeLeftMsecs);
};
