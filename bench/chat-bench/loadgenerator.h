// SPDX-License-Identifier: MIT
#pragma once

#include "benchconnection.h"
#include "benchoptions.h"
#include "benchreport.h"
#include "jsonline.h"
#include "loopback.h"
#include "phasetally.h"
#include "roomlayout.h"
#include "uniquefd.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

// chat-bench's engine: one thread, one epoll set, every client a non-blocking
// socket. A run connects N clients (at most --connect-parallel being set up
// at a time), then for each measurement phase: settles (until the server's
// joined storm has been quiet for --quiet-ms), sends (S senders, closed loop
// with a window or at a fixed rate) and drains (until every registered
// client has every accepted message, or nothing has arrived for a while).
// Everything is bounded by the overall timeout.
class LoadGenerator
{
public:
    using ReportSink = std::function<void(const BenchReport &)>;

    explicit LoadGenerator(const BenchOptions &options);

    // Runs every phase, handing each phase's report to sink. False, with the
    // reason in error, if it could not start at all.
    bool run(const ReportSink &sink, std::string &error);

private:
    enum class Stage { Connecting, Settling, Sending };

    bool setUp(std::string &error);
    void connectPhase();
    void startPhase(int index);
    void settlePhase();
    void sendPhase();
    void finishPhase();

    // One epoll_wait round; returns after handling what was ready.
    void pump(int timeoutMs);
    void openMore();
    void handleEvent(BenchConnection &connection, std::uint32_t events);
    void finishConnect(BenchConnection &connection);
    void readFrom(BenchConnection &connection);
    void handleLine(BenchConnection &connection, std::string_view line);
    void handleRegistration(BenchConnection &connection);
    void handleMessage(BenchConnection &receiver);
    bool inWrongRoom(const BenchConnection &receiver, std::int64_t sender);
    void handleError(BenchConnection &connection);
    void sendDue(std::int64_t nowNs);
    void sendOne(BenchConnection &sender, std::int64_t sentAtNs);
    void fail(BenchConnection &connection, const std::string &why);
    bool allDelivered() const;
    bool sendingFinished() const;
    int msUntil(std::int64_t ns) const;
    bool pastDeadline() const;
    int senderCount() const;
    BenchConnection &sender(int s) const;

    BenchOptions m_options;
    RoomLayout m_rooms;
    PhaseSpec m_spec; // the phase being measured
    int m_phaseIndex = 0;
    BenchReport m_base;                       // what all phases share: connect figures
    BenchReport m_report;                     // the phase being measured
    std::vector<Loopback::Address> m_servers; // client i connects to m_servers[i % size]
    int m_sourceCount = 0;
    UniqueFd m_epoll;
    std::vector<std::unique_ptr<BenchConnection>> m_connections;
    std::vector<int> m_receivers; // indexes of registered clients, fixed when sending starts
    std::vector<int> m_senderOf;  // client index -> sender number (over all rooms), or -1
    std::unique_ptr<PhaseTally> m_tally;
    JsonLine::Fields m_fields; // reused: one parse at a time
    std::string m_frame;       // reused outgoing frame
    std::vector<char> m_scratch;

    Stage m_stage = Stage::Connecting;
    int m_nextToOpen = 0;
    int m_inFlight = 0;
    int m_settled = 0; // registered or failed
    bool m_stopSending = false;
    std::int64_t m_startNs = 0;
    std::int64_t m_deadlineNs = 0;
    std::int64_t m_connectDeadlineNs = 0;
    std::int64_t m_lastInputNs = 0;
    std::int64_t m_readNs = 0; // when the bytes being handled were read
    std::int64_t m_lastControlNs = 0;
    std::int64_t m_sendStartNs = 0;
    std::int64_t m_sendStopNs = 0;
};
