// SPDX-License-Identifier: MIT
#pragma once

#include "loopback.h"
#include "uniquefd.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

// The "limit": the least a chat relay can do on this machine, so every
// benchmark report shows how close chat-server comes to it. One thread, one
// level-triggered epoll set, non-blocking sockets, a message line built once
// by string concatenation and appended to every registered client's buffer;
// buffers are flushed once per epoll round. It speaks only what chat-bench
// needs: hello -> welcome, say -> message to everyone (sender included) with
// increasing ids, ping -> pong. No validation, no joined/left events.
class LimitServer
{
public:
    // Deliberate mistakes, so chat-bench's checks can be shown to catch them:
    // every kFaultInterval-th message is dropped for, sent twice to, or
    // swapped with the next message for the most recently registered client.
    // Leak pretends to know rooms (hello.rooms gets its room frame, messages
    // carry their say's room) but still relays every message to everyone.
    enum class Fault { None, Drop, Duplicate, Reorder, Leak };
    static constexpr std::int64_t kFaultInterval = 97;

    explicit LimitServer(Fault fault = Fault::None);

    // Listens on a loopback address; port 0 picks a free port.
    bool listen(const Loopback::Address &address);
    std::uint16_t port() const { return m_port; }
    // Runs until SIGINT or SIGTERM.
    int run();

private:
    struct Client {
        UniqueFd fd;
        std::string input;
        std::string output;
        std::size_t outputOffset = 0; // bytes of output already sent
        std::string nick;
        bool registered = false;
        bool dirty = false;
        bool wantsWrite = false;
    };

    void acceptAll();
    void readFrom(int fd);
    void handleLine(Client &client, std::string_view line);
    void relay(const Client &sender, std::string_view rawText, std::string_view rawRoom);
    void queue(Client &client, std::string_view bytes);
    void flushDirty();
    bool flush(Client &client);
    void updateInterest(Client &client, bool wantsWrite);
    void drop(int fd);

    UniqueFd m_listener;
    UniqueFd m_epoll;
    UniqueFd m_signals;
    Fault m_fault;
    std::string m_held; // Reorder: the message held back for the victim
    std::uint16_t m_port = 0;
    std::int64_t m_nextId = 1;
    std::unordered_map<int, Client> m_clients;
    std::vector<int> m_registered;
    std::vector<int> m_dirty;
    std::vector<int> m_doomed;
};
