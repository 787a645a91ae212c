// SPDX-License-Identifier: MIT
#pragma once

#include "loopback.h"
#include "uniquefd.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

// A TCP relay on loopback that holds every chunk it reads for a fixed delay
// before writing it on, in each direction: a stand-in for network latency
// to Redis. Hand-written because the kernel here has no netem (`tc qdisc add
// dev lo root netem` answers "Specified qdisc kind is unknown."), and
// without netem Debian's tools cannot delay loopback traffic by a fraction
// of a millisecond. One thread, epoll with a nanosecond timeout
// (epoll_pwait2); a chunk is released no earlier than its delay, plus the
// scheduler's wake-up latency.
class DelayProxy
{
public:
    DelayProxy(Loopback::Address target, std::int64_t delayNs);

    bool listen(const Loopback::Address &address);
    std::uint16_t port() const { return m_port; }
    // Runs until SIGINT or SIGTERM; returns the exit status.
    int run();

private:
    struct Chunk {
        std::int64_t dueNs = 0;
        std::string bytes;
    };
    // One direction of one relayed connection.
    struct Direction {
        int from = -1;
        int to = -1;
        std::deque<Chunk> queue;
        std::size_t offset = 0; // of the front chunk, already written
        bool readerClosed = false;
    };
    struct Pair {
        UniqueFd client;
        UniqueFd server;
        Direction up;   // client to server
        Direction down; // server to client
        bool done = false;
    };

    void accept();
    void readInto(Direction &direction, std::int64_t nowNs);
    // Writes what is due; false if the peer is gone.
    bool writeDue(Direction &direction, std::int64_t nowNs);
    std::int64_t nextDueNs() const;
    void dropFinished();

    Loopback::Address m_target;
    std::int64_t m_delayNs;
    UniqueFd m_listener;
    UniqueFd m_epoll;
    std::uint16_t m_port = 0;
    std::vector<std::unique_ptr<Pair>> m_pairs;
};
