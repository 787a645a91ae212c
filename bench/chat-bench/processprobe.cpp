// SPDX-License-Identifier: MIT
#include "processprobe.h"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace {
constexpr std::int64_t kNsPerSecond = 1'000'000'000;

// Sums `probe` over `pids`; -1 as soon as one cannot be read.
template<typename Probe> std::int64_t sumOver(const std::vector<pid_t> &pids, Probe probe)
{
    std::int64_t total = 0;
    for (const pid_t pid : pids) {
        const std::int64_t value = probe(pid);
        if (value < 0)
            return -1;
        total += value;
    }
    return total;
}
} // namespace

namespace ProcessProbe {

std::int64_t rssKib(pid_t pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stoll(line.substr(6));
    }
    return -1;
}

std::int64_t cpuNs(pid_t pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(stat, text))
        return -1;
    // Fields after the command name, which may contain spaces: skip past ')'.
    const std::size_t close = text.rfind(')');
    if (close == std::string::npos)
        return -1;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    constexpr int kUtimeIndex = 11; // utime is field 14 overall, 12th after the name
    std::int64_t utime = 0;
    std::int64_t stime = 0;
    for (int i = 0; fields >> field; ++i) {
        if (i == kUtimeIndex)
            utime = std::stoll(field);
        if (i == kUtimeIndex + 1) {
            stime = std::stoll(field);
            break;
        }
    }
    const long ticks = ::sysconf(_SC_CLK_TCK);
    return (utime + stime) * (kNsPerSecond / ticks);
}

std::int64_t rssKib(const std::vector<pid_t> &pids)
{
    return sumOver(pids, [](pid_t pid) { return rssKib(pid); });
}

std::int64_t cpuNs(const std::vector<pid_t> &pids)
{
    return sumOver(pids, [](pid_t pid) { return cpuNs(pid); });
}

std::int64_t cpuNsOfSelf()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    constexpr std::int64_t kNsPerMicro = 1000;
    return (std::int64_t(usage.ru_utime.tv_sec) + usage.ru_stime.tv_sec) * kNsPerSecond +
           (std::int64_t(usage.ru_utime.tv_usec) + usage.ru_stime.tv_usec) * kNsPerMicro;
}

} // namespace ProcessProbe
