// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

// Both benchmark programs hold thousands of sockets: they raise their soft
// limit of open files to the hard limit before they start.
namespace FileLimit {

// Raises RLIMIT_NOFILE's soft limit to the hard limit; returns the soft limit
// now in force.
std::uint64_t raiseToHardLimit();

} // namespace FileLimit
