// SPDX-License-Identifier: MIT
#pragma once

#include "clientset.h"
#include "failoverledger.h"
#include "loopback.h"

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

// Issue #16, "kill the Redis primary at 100 msg/s": on each instance one
// poster and --listeners idle clients; the posters share --rate posts/s
// (each waits for the answer to its post before the next, as a client
// does). After the warm-up the Redis primary (--kill-pid) is SIGKILLed and
// posting goes on; a `cluster-unavailable` refusal is counted and the
// poster moves on to its next post. Measures, per instance, the time from
// the kill to the first accepted post and to steady posting (the first
// accepted post after the last refusal), and over all clients what
// FailoverLedger checks: reused ids, reordered and repeated deliveries,
// accepted posts some listener never got.
class FailoverProbe
{
public:
    struct Options {
        std::vector<Loopback::Address> servers;
        pid_t killPid = 0;
        int listenersPerServer = 5;
        int ratePerSecond = 100; // in all, split evenly over the instances
        int warmupMs = 3000;
        int afterKillMs = 25000;
        // Time for the last accepted posts to reach every listener.
        int settleMs = 3000;
        int registerTimeoutMs = 15000;
    };

    explicit FailoverProbe(Options options);
    // Prints the figures on stdout; 0 if posting resumed on every instance
    // with no reused id and no reordered delivery, 1 otherwise (never on
    // timing alone).
    int run();

private:
    static constexpr int kPosterSlot = 0;
    static constexpr int kFirstListenerSlot = 1;

    struct Instance {
        std::int64_t postIntervalNs = 0;
        std::int64_t nextPostNs = 0;
        bool postOutstanding = false;
        std::int64_t outstandingSentNs = 0;
        std::string outstandingText;
        int postSeq = 0;
        int postsSent = 0;
        int postsAccepted = 0;
        int postsRefused = 0;
        int postsUnanswered = 0;
        int otherErrors = 0;
        std::string lastRefusal;
        std::int64_t firstRefusedNs = -1; // after the kill
        std::int64_t lastRefusedNs = -1;
        std::int64_t lastAcceptNs = -1;
        std::int64_t longestGapNs = 0; // between accepted posts, across the kill
        std::int64_t firstAcceptAfterKillNs = -1;
        std::int64_t steadyNs = -1;
        int roomFrames = 0; // unasked `room` frames: a rollback's resync
    };

    bool connectAll(std::string &error);
    bool waitForWelcomes();
    void loopUntil(std::int64_t endNs, bool posting);
    void post(Instance &instance, int instanceIndex, std::int64_t nowNs);
    void handleLine(int instance, int slot, const std::string &line, std::int64_t nowNs);
    void handlePosterAnswer(Instance &instance, std::string_view type, const std::string &line, std::int64_t nowNs);
    std::string nick(int instance, int slot) const;
    int clientIndex(int instance, int slot) const;
    int report() const;

    Options m_options;
    std::vector<std::unique_ptr<Instance>> m_instances; // one per server, as m_clients' instances
    ClientSet m_clients;
    std::unique_ptr<FailoverLedger> m_ledger;
    std::int64_t m_killNs = -1;
    std::int64_t m_postingEndNs = -1;
};
