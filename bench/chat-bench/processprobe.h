// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <vector>

// What /proc tells about a process (the server under test, or ourselves).
namespace ProcessProbe {

// VmRSS in KiB, or -1 if the process is gone or unreadable.
std::int64_t rssKib(pid_t pid);
// User plus system CPU time in nanoseconds, or -1.
std::int64_t cpuNs(pid_t pid);
// Summed over every process (all the servers of one run); -1 if any of them
// cannot be read.
std::int64_t rssKib(const std::vector<pid_t> &pids);
std::int64_t cpuNs(const std::vector<pid_t> &pids);
// This process's own user plus system CPU time in nanoseconds.
std::int64_t cpuNsOfSelf();

} // namespace ProcessProbe
