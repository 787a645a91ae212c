// SPDX-License-Identifier: MIT
#pragma once

#include "clientset.h"
#include "loopback.h"

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

// Issue #16, "kill -9 recovery": N clients registered on instance A, A is
// killed with SIGKILL, and each client, once it sees its connection end,
// connects to instance B and says `hello` with its nickname (and, unless
// told not to, the resume token of its last `welcome`), again every
// --retry-ms while the answer is `nick-taken`. Measures the time from the
// kill until every client is back under its own nickname (and in its rooms,
// with --rooms).
class KillRecovery
{
public:
    struct Options {
        Loopback::Address serverA;
        Loopback::Address serverB;
        pid_t killPid = 0;
        int clients = 100;
        bool useResume = true;
        int retryMs = 250;
        int settleMs = 1000;
        int timeoutMs = 40000; // bounded: the heartbeat expiry is 15-20 s
        int registerTimeoutMs = 30000;
        // Rooms besides #lobby each client is in (`hello.rooms`, asked again
        // on B): back once it has its welcome and every `room` frame.
        int rooms = 0;
    };

    explicit KillRecovery(const Options &options);
    // Prints the figures on stdout; 0 if every client came back in time.
    int run();

private:
    enum class Phase { OnA, WaitingForB, OnB, Back };

    // The client's connection: m_clients' slot of the same index (instance 0).
    struct Client {
        std::string nick;
        std::string resume;
        Phase phase = Phase::OnA;
        std::int64_t eofNs = -1;
        std::int64_t backNs = -1;
        std::int64_t retryAtNs = -1;
        int hellosOnB = 0;
        bool welcomedOnB = false;
        int roomFramesOnB = 0;
    };

    bool registerOnA();
    void loopFor(std::int64_t ms);
    void closed(int index, std::int64_t nowNs);
    void handleLine(Client &client, const std::string &line, std::int64_t nowNs);
    // Back once welcomed on B and, with --rooms, in every room again.
    void comeBackIfWhole(Client &client, std::int64_t nowNs) const;
    void retryDue(std::int64_t nowNs);
    void helloOnB(Client &client, int index, std::int64_t nowNs);
    void sendHello(Client &client, int index);
    int countIn(Phase phase) const;
    int report() const;

    Options m_options;
    std::vector<Client> m_clients;
    ClientSet m_connections; // instance 0: A's and then B's connections
    std::int64_t m_killNs = -1;
    int m_nickTaken = 0;
    int m_otherRefusals = 0;
    std::string m_lastRefusal;
};
