// SPDX-License-Identifier: MIT
#pragma once

#include "benchreport.h"
#include "deliveryledger.h"
#include "latencyhistogram.h"

#include <cstdint>
#include <vector>

// What one measurement phase saw arrive: every delivery (in the ledger, to
// find lost, duplicated and reordered messages), its latency, and when the
// last acceptance and delivery came, for the rates.
class PhaseTally
{
public:
    PhaseTally(int receivers, int senders);

    void delivered(int receiver, int sender, int seq, std::int64_t id, std::int64_t latencyNs, std::int64_t atNs);
    void accepted(std::int64_t atNs) { m_lastAcceptNs = atNs; }
    // Every receiver has `expectedPerReceiver` distinct messages.
    bool complete(const std::vector<int> &receivers, std::uint64_t expectedPerReceiver) const;

    // The rates over the time since `sendStartNs`, and the delivery and
    // latency figures of `report`, whose counters are final.
    void fillReport(BenchReport &report, const std::vector<int> &receivers, std::int64_t sendStartNs) const;

private:
    DeliveryLedger m_ledger;
    LatencyHistogram m_latency;
    std::int64_t m_lastAcceptNs = 0;
    std::int64_t m_lastDeliveryNs = 0;
};
