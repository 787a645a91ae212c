// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// One measurement over the connected clients: who sends what.
struct PhaseSpec {
    int senders = 1;
    int size = 64;
    int messages = 100;
};

// What chat-bench is told on its command line.
struct BenchOptions {
    std::string host = "127.0.0.1";
    // Client i connects to ports[i % ports.size()] (--port 4000,4001,4002
    // spreads the clients evenly over several servers sharing one room).
    std::vector<std::uint16_t> ports{55555};
    int clients = 10;
    // Spread the clients over this many rooms (client i in "#bench-<i mod
    // rooms>"), each of whose senders says to its own room; 0: all in #lobby.
    int rooms = 0;
    int senders = 1;                 // with rooms: per room
    int messages = 100;              // per sender
    int size = 64;                   // bytes of message text
    double rate = 0;                 // messages/s per sender; 0: closed loop
    int window = 16;                 // outstanding (unechoed) messages per sender
    double duration = 0;             // stop sending after this many seconds; 0: no limit
    double timeout = 60;             // the whole run, connect phase included
    double connectTimeout = 0;       // the connect phase alone; 0: the whole timeout
    int connectParallel = 32;        // connections opened but not yet welcomed
    int quietMs = 300;               // silence that ends the settle phase before sending
    int connectionsPerSource = 5000; // then the next 127.0.0.x source address
    // Sample these processes' RSS and CPU (summed over all of them) when set.
    std::vector<pid_t> serverPids;
    std::string prefix = "b"; // nicks are <prefix><index>
    std::string label;        // echoed in the report, for scripts
    // Several measurements over one set of connections (--phases); without
    // it, one phase from --senders, --size and --messages.
    std::vector<PhaseSpec> phases;

    // Parsed options, or nothing after printing the reason (or the help, in
    // which case exitCode is 0) on stderr/stdout.
    static std::optional<BenchOptions> parse(int argc, char *argv[], int &exitCode);
    static void printUsage(bool toStdout);
};
