// SPDX-License-Identifier: MIT
#pragma once

#include "loopback.h"
#include "uniquefd.h"

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

// One chat-bench client: a non-blocking socket, its line buffer and its
// pending output. The LoadGenerator drives it from its epoll loop.
class BenchConnection
{
public:
    // With --rooms, a client is registered once its room's `room` frame came.
    enum class State { Idle, Connecting, WaitingForWelcome, WaitingForRoom, Registered, Failed, Closed };
    enum class ReadResult { Data, WouldBlock, Closed };

    BenchConnection(int index, std::string nick);

    int index() const { return m_index; }
    const std::string &nick() const { return m_nick; }
    State state() const { return m_state; }
    void setState(State state) { m_state = state; }
    int fd() const { return m_fd.get(); }
    bool fdOpen() const { return m_fd.isValid(); }

    // Starts a non-blocking connect from source (if given) to server.
    bool startConnect(const Loopback::Address &server, const Loopback::Address *source, std::string &error);
    // After EPOLLOUT while connecting: 0 on success, else the errno.
    int connectResult() const;

    // Queues bytes and writes what the socket takes; false on a write error.
    bool send(std::string_view bytes);
    // Writes queued bytes; false on a write error.
    bool flush();
    bool hasPendingOutput() const { return m_outputOffset < m_output.size(); }

    // Reads once into the line buffer.
    ReadResult read(char *scratch, std::size_t capacity);
    // The next complete line without its LF (and CR), or false.
    bool nextLine(std::string_view &line);
    // Drops the lines already handed out; call after the nextLine() loop.
    void compactInput();

    void close();

    // Adds the socket to `epollFd`'s interest list (reading and writing:
    // a non-blocking connect completes as writable), tagged with index().
    void addTo(int epollFd);
    // Whether EPOLLOUT stays in that interest (only while output is pending).
    void watchWrites(int epollFd, bool wanted);

    // Sender bookkeeping: sequence numbers sent and not yet echoed, oldest first.
    std::deque<int> &outstandingSeqs() { return m_outstanding; }
    const std::deque<int> &outstandingSeqs() const { return m_outstanding; }
    // The server echoed `seq` back to its sender: no longer outstanding.
    // False if it was not (a duplicate, or refused already).
    bool acknowledge(int seq);
    // A new phase numbers its messages from 0 again.
    void restartSequence()
    {
        nextSeq = 0;
        m_outstanding.clear();
    }
    int nextSeq = 0;
    std::int64_t nextDueNs = 0;

private:
    int m_index;
    bool m_watchingWrites = false; // EPOLLOUT is in this socket's epoll interest
    std::string m_nick;
    State m_state = State::Idle;
    UniqueFd m_fd;
    std::string m_input;
    std::size_t m_inputOffset = 0;
    std::string m_output;
    std::size_t m_outputOffset = 0;
    std::deque<int> m_outstanding;
};
