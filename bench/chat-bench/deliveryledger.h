// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <vector>

// Checks the protocol's delivery promises for every receiver: every accepted
// message exactly once, each sender's messages in increasing sequence, ids
// increasing, and the same id for the same message everywhere (which, with
// increasing ids at each receiver, means one order for all). With rooms the
// caller records only deliveries within the receiver's one room, so these
// are the promises per room.
class DeliveryLedger
{
public:
    enum class Outcome { Fresh, Duplicate, OutOfOrder };

    DeliveryLedger(int receivers, int senders);

    Outcome record(int receiver, int sender, int seq, std::int64_t id);

    std::uint64_t uniqueDeliveries() const { return m_unique; }
    std::uint64_t duplicates() const { return m_duplicates; }
    std::uint64_t outOfOrder() const { return m_outOfOrder; }
    // Distinct messages the receiver got.
    std::uint64_t received(int receiver) const { return m_received[std::size_t(receiver)]; }

private:
    struct Stream {
        int maxSeq = -1;
        std::vector<std::uint64_t> seen; // bit per sequence number, grown on demand
    };

    Stream &stream(int receiver, int sender);

    int m_senders;
    std::vector<Stream> m_streams;                 // receivers x senders
    std::vector<std::int64_t> m_lastId;            // per receiver
    std::vector<std::uint64_t> m_received;         // unique messages per receiver
    std::vector<std::vector<std::int64_t>> m_idOf; // per sender, per seq: the id first seen
    std::uint64_t m_unique = 0;
    std::uint64_t m_duplicates = 0;
    std::uint64_t m_outOfOrder = 0;
};
