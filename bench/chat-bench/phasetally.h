// SPDX-License-Identifier: MIT
#pragma once

#include "benchreport.h"
#include "deliveryledger.h"
#include "latencyhistogram.h"
#include "roomlayout.h"

#include <cstdint>
#include <vector>

// What one measurement phase saw arrive: every delivery (in the ledger, to
// find lost, duplicated and reordered messages), its latency, and when the
// last acceptance and delivery came, for the rates. What each receiver must
// get is what the senders of its room sent and the server did not refuse.
class PhaseTally
{
public:
    // `receivers`: the client indexes that must get their room's messages.
    PhaseTally(int clients, int senders, const RoomLayout &rooms, const std::vector<int> &receivers);

    // A message to `room` was sent, or refused by the server.
    void sent(int room) { ++m_expected[std::size_t(room)]; }
    void refused(int room) { --m_expected[std::size_t(room)]; }
    void delivered(int receiver, int sender, int seq, std::int64_t id, std::int64_t latencyNs, std::int64_t atNs);
    void accepted(std::int64_t atNs) { m_lastAcceptNs = atNs; }
    // Every receiver has every message of its room.
    bool complete() const;

    // The rates over the time since `sendStartNs`, and the delivery and
    // latency figures of `report`, whose counters are final.
    void fillReport(BenchReport &report, std::int64_t sendStartNs) const;

private:
    const RoomLayout &m_rooms;
    std::vector<int> m_receivers;
    std::vector<std::uint64_t> m_members;  // receivers per room
    std::vector<std::uint64_t> m_expected; // messages per room: sent and not refused
    DeliveryLedger m_ledger;
    LatencyHistogram m_latency;
    std::int64_t m_lastAcceptNs = 0;
    std::int64_t m_lastDeliveryNs = 0;
};
