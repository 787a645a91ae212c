// SPDX-License-Identifier: MIT
#pragma once

#include "benchreport.h"

#include <sys/types.h>

#include <cstdint>
#include <vector>

// The CPU time chat-bench itself and the servers under test (when their pids
// were given) spend over one stretch of a run, from construction on.
class CpuMeter
{
public:
    explicit CpuMeter(const std::vector<pid_t> &serverPids);

    // The servers' CPU time since the start; -1 when no pid was given or one
    // cannot be read.
    std::int64_t serverNs() const;
    // The sending phase's CPU figures (percent of `elapsedNs`, and per
    // delivery) for chat-bench and the servers.
    void fillSendFigures(BenchReport &report, std::int64_t elapsedNs) const;

private:
    const std::vector<pid_t> &m_serverPids;
    std::int64_t m_benchStartNs = 0;
    std::int64_t m_serverStartNs = -1;
};
