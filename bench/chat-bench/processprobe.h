// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <cstdint>

// What /proc tells about a process (the server under test, or ourselves).
namespace ProcessProbe {

// VmRSS in KiB, or -1 if the process is gone or unreadable.
std::int64_t rssKib(pid_t pid);
// User plus system CPU time in nanoseconds, or -1.
std::int64_t cpuNs(pid_t pid);

} // namespace ProcessProbe
