// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

// Everything one chat-bench run measured; printed as one JSON line with flat
// keys so shell scripts can read it with awk or jq.
struct BenchReport {
    std::string label;
    std::string server;
    int phase = 0;
    int clients = 0;
    int rooms = 0; // --rooms; 0: everyone in #lobby
    int registered = 0;
    int senders = 0;
    int size = 0;
    double rate = 0;
    int window = 0;
    std::uint64_t sent = 0;
    std::uint64_t accepted = 0;
    std::uint64_t refused = 0;
    double messagesPerSecond = 0;
    std::uint64_t deliveries = 0;
    double deliveriesPerSecond = 0;
    double latencyP50Ms = 0;
    double latencyP90Ms = 0;
    double latencyP99Ms = 0;
    double latencyMaxMs = 0;
    std::uint64_t lost = 0;
    std::uint64_t duplicated = 0;
    std::uint64_t reordered = 0;
    std::uint64_t corrupt = 0;
    // Messages chat-bench did not send in this phase (another copy's, a late
    // one); with rooms also any from a room the receiver is not in.
    std::uint64_t foreign = 0;
    std::uint64_t errorFrames = 0;
    std::uint64_t connectFailures = 0;
    std::uint64_t disconnects = 0;
    double connectSeconds = 0;
    double serverCpuConnectSeconds = -1; // server CPU time spent during the connect phase
    double settleSeconds = 0;
    double sendSeconds = 0;
    double benchCpuPercent = 0;            // of one core, during the send phase
    double benchCpuMicrosPerDelivery = -1; // chat-bench's own CPU time per delivery
    double serverCpuPercent = -1;          // of one core, during the send phase; -1 unknown
    // Server CPU time per delivery during the send phase: unlike rates, it
    // hardly changes when other processes compete for the CPUs.
    double serverCpuMicrosPerDelivery = -1;
    std::int64_t serverRssStartKib = -1;
    std::int64_t serverRssIdleKib = -1;
    bool timedOut = false;
    std::string firstError;

    std::uint64_t errors() const { return errorFrames + connectFailures + disconnects; }
    // With rooms nothing else shares the server, so a foreign delivery can
    // only be a message that leaked out of its room.
    bool deliveryOk() const
    {
        return lost == 0 && duplicated == 0 && reordered == 0 && corrupt == 0 && (rooms == 0 || foreign == 0);
    }
    std::string toJson() const;
};
