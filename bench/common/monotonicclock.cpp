// SPDX-License-Identifier: MIT
#include "monotonicclock.h"

#include <ctime>

namespace MonotonicClock {

std::int64_t nowNs()
{
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return std::int64_t(now.tv_sec) * kNsPerSecond + now.tv_nsec;
}

} // namespace MonotonicClock
