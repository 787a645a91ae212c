// SPDX-License-Identifier: MIT
#include "phasetally.h"

#include "monotonicclock.h"

namespace {
constexpr double kMicrosPerMs = 1000.0;
constexpr std::int64_t kNsPerMicro = 1000;
using MonotonicClock::seconds;
} // namespace

PhaseTally::PhaseTally(int receivers, int senders) : m_ledger(receivers, senders)
{}

void PhaseTally::delivered(int receiver, int sender, int seq, std::int64_t id, std::int64_t latencyNs,
                           std::int64_t atNs)
{
    m_lastDeliveryNs = atNs;
    m_latency.record(latencyNs / kNsPerMicro);
    m_ledger.record(receiver, sender, seq, id);
}

bool PhaseTally::complete(const std::vector<int> &receivers, std::uint64_t expectedPerReceiver) const
{
    return m_ledger.uniqueDeliveries() >= expectedPerReceiver * receivers.size();
}

void PhaseTally::fillReport(BenchReport &report, const std::vector<int> &receivers, std::int64_t sendStartNs) const
{
    if (m_lastAcceptNs > sendStartNs)
        report.messagesPerSecond = double(report.accepted) / seconds(m_lastAcceptNs - sendStartNs);
    if (m_lastDeliveryNs > sendStartNs)
        report.deliveriesPerSecond = double(report.deliveries) / seconds(m_lastDeliveryNs - sendStartNs);
    // Every message sent and not refused must reach every registered client.
    report.lost = m_ledger.missing(receivers, report.sent - report.refused);
    report.duplicated = m_ledger.duplicates();
    report.reordered = m_ledger.outOfOrder();
    report.latencyP50Ms = double(m_latency.percentile(0.50)) / kMicrosPerMs;
    report.latencyP90Ms = double(m_latency.percentile(0.90)) / kMicrosPerMs;
    report.latencyP99Ms = double(m_latency.percentile(0.99)) / kMicrosPerMs;
    report.latencyMaxMs = double(m_latency.max()) / kMicrosPerMs;
}
