// SPDX-License-Identifier: MIT
#pragma once

#include "clientset.h"
#include "linesocket.h"
#include "loopback.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

// Issue #16, "Redis pause": while every instance serves clients, Redis is
// made to sleep (`DEBUG SLEEP`, sent by this probe on its own connection,
// so the pause's start and end are read on the same clock as the pings).
// Per instance it measures the `ping` round trip (one every --ping-ms),
// counts `left` events and refused posts, and times the first post accepted
// after Redis answers again.
class PauseProbe
{
public:
    struct Options {
        std::vector<Loopback::Address> servers;
        Loopback::Address redis;
        int pauseSeconds = 5;
        int idleClientsPerServer = 20;
        int pingIntervalMs = 10;
        int postIntervalMs = 20;
        int warmupMs = 2000;
        // Long enough to see a `left` storm if liveness failed: the others
        // count an instance's users as gone after three 5 s heartbeats.
        int watchAfterMs = 25000;
        int registerTimeoutMs = 15000;
    };

    explicit PauseProbe(Options options);
    // Prints the figures on stdout; 0 if every client registered and every
    // instance accepted a post after the pause, 1 otherwise (never on timing).
    int run();

private:
    static constexpr int kPingerSlot = 0;
    static constexpr int kPosterSlot = 1;
    static constexpr int kFirstIdleSlot = 2;

    struct Instance {
        std::map<std::int64_t, std::int64_t> pingSentNs; // id -> send time
        std::vector<std::int64_t> rttPauseNs;            // pings sent during the pause
        std::vector<std::int64_t> rttOutsideNs;          // the others
        std::int64_t nextPingNs = 0;
        std::int64_t nextPostNs = 0;
        bool postOutstanding = false;
        int postSeq = 0;
        int postsAccepted = 0;
        int postsRefused = 0;
        std::string lastRefusal;
        std::int64_t firstAcceptAfterPauseNs = -1;
        int leftEvents = 0;
    };

    bool connectAll(std::string &error);
    bool waitForWelcomes();
    void loopUntil(std::int64_t endNs);
    void tick(std::int64_t nowNs);
    void handleLine(int instance, int slot, const std::string &line, std::int64_t nowNs);
    void handleRedisReply(std::int64_t nowNs);
    std::string nick(int instance, int slot) const;
    bool duringPause(std::int64_t ns) const;
    int report() const;

    Options m_options;
    std::vector<std::unique_ptr<Instance>> m_instances; // one per server, as m_clients' instances
    ClientSet m_clients;
    LineSocket m_redis;
    std::int64_t m_pauseStartNs = -1;
    std::int64_t m_pauseEndNs = -1;
    bool m_pauseRefused = false;
    int m_missingWelcomes = 0;
    // From then on every instance pings and posts, welcomed or not; before,
    // only those whose clients all are.
    bool m_welcomeWaitOver = false;
    std::int64_t m_nextPingId = 1;
};
