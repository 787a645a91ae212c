// SPDX-License-Identifier: MIT
#include "socketlook.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>

SocketLook SocketLook::at(int fd, short events, qint64 waitLeftMsecs, qint64 timeLeftMsecs)
{
    const qint64 wait = std::max<qint64>(0, std::min(waitLeftMsecs, timeLeftMsecs));
    pollfd probe{fd, events, 0};
    int ready = 0;
    do {
        ready = ::poll(&probe, 1, int(wait));
    } while (ready < 0 && errno == EINTR);
    if (ready < 0)
        return {Outcome::Failed, 0, errno};
    if (ready > 0)
        return {Outcome::Ready, probe.revents, 0};
    return {timeLeftMsecs <= wait ? Outcome::TimedOut : Outcome::NotYet, 0, 0};
}
