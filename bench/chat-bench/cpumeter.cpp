// SPDX-License-Identifier: MIT
#include "cpumeter.h"

#include "processprobe.h"

namespace {
constexpr double kNsPerMicro = 1000.0;
constexpr double kPercent = 100.0;
} // namespace

CpuMeter::CpuMeter(const std::vector<pid_t> &serverPids)
    : m_serverPids(serverPids)
    , m_benchStartNs(ProcessProbe::cpuNsOfSelf())
    , m_serverStartNs(serverPids.empty() ? -1 : ProcessProbe::cpuNs(serverPids))
{}

std::int64_t CpuMeter::serverNs() const
{
    if (m_serverStartNs < 0)
        return -1;
    const std::int64_t now = ProcessProbe::cpuNs(m_serverPids);
    return now < 0 ? -1 : now - m_serverStartNs;
}

void CpuMeter::fillSendFigures(BenchReport &report, std::int64_t elapsedNs) const
{
    if (elapsedNs <= 0)
        return;
    const std::int64_t benchNs = ProcessProbe::cpuNsOfSelf() - m_benchStartNs;
    report.benchCpuPercent = kPercent * double(benchNs) / double(elapsedNs);
    if (report.deliveries > 0)
        report.benchCpuMicrosPerDelivery = double(benchNs) / kNsPerMicro / double(report.deliveries);
    const std::int64_t serverNs = this->serverNs();
    if (serverNs < 0)
        return;
    report.serverCpuPercent = kPercent * double(serverNs) / double(elapsedNs);
    if (report.deliveries > 0)
        report.serverCpuMicrosPerDelivery = double(serverNs) / kNsPerMicro / double(report.deliveries);
}
