// SPDX-License-Identifier: MIT
#pragma once

#include "benchconnection.h"
#include "benchoptions.h"
#include "benchreport.h"
#include "deliveryledger.h"
#include "jsonline.h"
#include "latencyhistogram.h"
#include "loopback.h"
#include "uniquefd.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

// chat-bench's engine: one thread, one epoll set, every client a non-blocking
// socket. A run goes through four phases, each bounded by the overall
// timeout: connect (N clients register, at most --connect-parallel at a
// time), settle (until the server's joined storm has been quiet for
// --quiet-ms), send (S senders, closed loop with a window or at a fixed
// rate) and drain (until every registered client has every accepted message,
// or nothing has arrived for a while).
class LoadGenerator
{
public:
    explicit LoadGenerator(const BenchOptions &options);

    // Runs the benchmark and fills the report; false if it could not start.
    bool run(BenchReport &report);

private:
    enum class Phase { Connecting, Settling, Sending };

    bool setUp(BenchReport &report);
    void connectPhase();
    void settlePhase();
    void sendPhase();

    // One epoll_wait round; returns after handling what was ready.
    void pump(int timeoutMs);
    void openMore();
    void handleEvent(BenchConnection &connection, std::uint32_t events);
    void finishConnect(BenchConnection &connection);
    void readFrom(BenchConnection &connection);
    void handleLine(BenchConnection &connection, std::string_view line);
    void handleMessage(BenchConnection &receiver);
    void handleError(BenchConnection &connection);
    void sendDue(std::int64_t nowNs);
    void sendOne(BenchConnection &sender, std::int64_t nowNs);
    void watchWrites(BenchConnection &connection, bool wanted);
    void fail(BenchConnection &connection, const std::string &why);
    bool allDelivered() const;
    bool sendingFinished() const;
    int msUntil(std::int64_t ns) const;
    bool pastDeadline() const;

    BenchOptions m_options;
    BenchReport m_report;
    Loopback::Address m_server;
    int m_sourceCount = 0;
    UniqueFd m_epoll;
    std::vector<std::unique_ptr<BenchConnection>> m_connections;
    std::vector<int> m_receivers; // indexes of registered clients, fixed when sending starts
    std::vector<int> m_senderOf;  // client index -> sender number, or -1
    std::unique_ptr<DeliveryLedger> m_ledger;
    LatencyHistogram m_latency;
    JsonLine::Fields m_fields; // reused: one parse at a time
    std::string m_frame;       // reused outgoing frame
    std::vector<char> m_scratch;

    Phase m_phase = Phase::Connecting;
    int m_nextToOpen = 0;
    int m_inFlight = 0;
    int m_settled = 0; // registered or failed
    bool m_stopSending = false;
    std::int64_t m_startNs = 0;
    std::int64_t m_deadlineNs = 0;
    std::int64_t m_lastInputNs = 0;
    std::int64_t m_lastControlNs = 0;
    std::int64_t m_sendStartNs = 0;
    std::int64_t m_sendStopNs = 0;
    std::int64_t m_lastAcceptNs = 0;
    std::int64_t m_lastDeliveryNs = 0;
};
