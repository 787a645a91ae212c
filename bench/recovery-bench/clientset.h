// SPDX-License-Identifier: MIT
#pragma once

#include "linesocket.h"
#include "loopback.h"
#include "uniquefd.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

// The chat clients of one recovery-bench probe: per instance a row of
// LineSockets (the probe gives each slot its part: pinger, poster,
// listener...), all on one edge-triggered epoll set, each saying `hello`
// as soon as it is connected (queued before the connect completes: the
// connects never block, see LineSocket), with what came to each one handed
// to the probe line by line. A client counts as welcomed once a `welcome`
// came on its current connection. Every probe had its own copy of this;
// one copy keeps their figures comparable.
class ClientSet
{
public:
    // Each line as it came, without its LF, with the time it was read.
    using LineHandler = std::function<void(int instance, int slot, const std::string &line, std::int64_t nowNs)>;
    // The server closed the connection (after its last lines went to the
    // LineHandler); the socket is closed and has left the epoll set.
    // Optional: closedByServer() counts them anyway.
    using ClosedHandler = std::function<void(int instance, int slot, std::int64_t nowNs)>;
    using NickOf = std::function<std::string(int instance, int slot)>;

    explicit ClientSet(LineHandler onLine, ClosedHandler onClosed = {});
    // The handlers hold the probe: it and this set stay where they are.
    ClientSet(const ClientSet &) = delete;
    ClientSet &operator=(const ClientSet &) = delete;
    ClientSet(ClientSet &&) = delete;
    ClientSet &operator=(ClientSet &&) = delete;
    ~ClientSet() = default;

    // `perInstance` clients on each server, saying hello as nickOf(instance,
    // slot); false with `error` set when a connect failed at once.
    bool connectAll(const std::vector<Loopback::Address> &servers, int perInstance, const NickOf &nickOf,
                    std::string &error);
    // The client connected (again) to `server`, not welcomed until its next
    // welcome; the hello is the caller's (KillRecovery adds its token).
    bool connect(int instance, int slot, const Loopback::Address &server, std::string &error);
    // `resume`: a welcome's resume token, or empty for a plain hello.
    void sendHello(int instance, int slot, std::string_view nick, std::string_view resume = {});
    // Rooms every hello asks for (`hello.rooms`), from the next hello on.
    void setHelloRooms(std::vector<std::string> rooms) { m_helloRooms = std::move(rooms); }
    // Another socket on the same epoll set, not a client (PauseProbe's Redis
    // connection): `onReady` is called whenever it is readable or writable.
    void watchOther(int fd, std::function<void()> onReady);

    int instances() const { return int(m_sockets.size()); }
    int clientsPerInstance() const { return m_perInstance; }
    LineSocket &socket(int instance, int slot);

    bool welcomed(int instance, int slot) const;
    bool allWelcomed(int instance) const;
    bool allWelcomed() const;
    int welcomedCount(int instance) const;
    // Connections to this instance that the server closed, all told.
    int closedByServer(int instance) const { return m_closedByServer[std::size_t(instance)]; }
    // Runs `turn` (one turn of the probe's loop, which must call poll())
    // until every client is welcomed or `timeoutMs` passed; true if all were.
    bool waitForWelcomes(int timeoutMs, const std::function<void()> &turn);
    // "instance I: W of N clients got their welcome within T ms" on stderr.
    void printWelcomes(int instance, int timeoutMs) const;

    // Output queued before its connect completed is tried again every turn,
    // not only on the EPOLLOUT edge: cheap insurance (a few hundred sockets
    // at most, once a millisecond).
    void flushPending();
    // Waits up to `timeoutMs` for events, then reads every client that has
    // some and calls the handlers.
    void poll(int timeoutMs);

private:
    void watch(int fd, std::uint64_t tag) const;
    void readClient(int instance, int slot);

    LineHandler m_onLine;
    ClosedHandler m_onClosed;
    std::function<void()> m_onOtherReady;
    UniqueFd m_epoll;
    int m_perInstance = 0;
    std::vector<std::string> m_helloRooms;
    std::vector<std::vector<LineSocket>> m_sockets; // [instance][slot]
    std::vector<std::vector<bool>> m_welcomed;
    std::vector<int> m_closedByServer;
};
