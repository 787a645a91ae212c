// SPDX-License-Identifier: MIT
#include "phasetally.h"

#include "monotonicclock.h"

namespace {
constexpr double kMicrosPerMs = 1000.0;
constexpr std::int64_t kNsPerMicro = 1000;
using MonotonicClock::seconds;
} // namespace

PhaseTally::PhaseTally(int clients, int senders, const RoomLayout &rooms, const std::vector<int> &receivers)
    : m_rooms(rooms)
    , m_receivers(receivers)
    , m_members(std::size_t(rooms.count()), 0)
    , m_expected(std::size_t(rooms.count()), 0)
    , m_ledger(clients, senders)
{
    for (const int receiver : m_receivers)
        ++m_members[std::size_t(m_rooms.roomOf(receiver))];
}

void PhaseTally::delivered(int receiver, int sender, int seq, std::int64_t id, std::int64_t latencyNs,
                           std::int64_t atNs)
{
    m_lastDeliveryNs = atNs;
    m_latency.record(latencyNs / kNsPerMicro);
    m_ledger.record(receiver, sender, seq, id);
}

bool PhaseTally::complete() const
{
    // Per room, not per receiver: this runs after every epoll round.
    std::uint64_t expected = 0;
    for (std::size_t room = 0; room < m_expected.size(); ++room)
        expected += m_members[room] * m_expected[room];
    return m_ledger.uniqueDeliveries() >= expected;
}

void PhaseTally::fillReport(BenchReport &report, std::int64_t sendStartNs) const
{
    if (m_lastAcceptNs > sendStartNs)
        report.messagesPerSecond = double(report.accepted) / seconds(m_lastAcceptNs - sendStartNs);
    if (m_lastDeliveryNs > sendStartNs)
        report.deliveriesPerSecond = double(report.deliveries) / seconds(m_lastDeliveryNs - sendStartNs);
    // Every message sent to a room and not refused must reach every
    // registered client in that room.
    report.lost = 0;
    for (const int receiver : m_receivers) {
        const std::uint64_t expected = m_expected[std::size_t(m_rooms.roomOf(receiver))];
        const std::uint64_t got = m_ledger.received(receiver);
        if (got < expected)
            report.lost += expected - got;
    }
    report.duplicated = m_ledger.duplicates();
    report.reordered = m_ledger.outOfOrder();
    report.latencyP50Ms = double(m_latency.percentile(0.50)) / kMicrosPerMs;
    report.latencyP90Ms = double(m_latency.percentile(0.90)) / kMicrosPerMs;
    report.latencyP99Ms = double(m_latency.percentile(0.99)) / kMicrosPerMs;
    report.latencyMaxMs = double(m_latency.max()) / kMicrosPerMs;
}
