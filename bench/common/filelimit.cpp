// SPDX-License-Identifier: MIT
#include "filelimit.h"

#include <sys/resource.h>

namespace FileLimit {

std::uint64_t raiseToHardLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 0;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
            ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    return std::uint64_t(limit.rlim_cur);
}

} // namespace FileLimit
