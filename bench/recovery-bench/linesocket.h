// SPDX-License-Identifier: MIT
#pragma once

#include "loopback.h"
#include "uniquefd.h"

#include <string>
#include <string_view>

// One line-oriented TCP connection for recovery-bench, non-blocking
// throughout and driven from the caller's edge-triggered epoll loop. The
// connect must not block: when 100 clients reconnect at once, a server's
// full accept queue makes the kernel retry a SYN after a second, and a
// blocking connect would hold every other client's welcome up behind it.
class LineSocket
{
public:
    enum class ReadResult { Data, WouldBlock, Closed };

    // Starts a connect; false with `error` set if it failed at once.
    bool connectTo(const Loopback::Address &server, std::string &error);
    int fd() const { return m_fd.get(); }
    bool isOpen() const { return m_fd.isValid(); }

    // Queues the line and its LF and writes what the socket takes (nothing
    // before the connect completes); false on a write error.
    bool sendLine(std::string_view line);
    // Writes queued bytes (call on EPOLLOUT); false on a write error.
    bool flush();
    bool hasPendingOutput() const { return !m_output.empty(); }
    // Reads everything there is into the line buffer (edge-triggered epoll
    // needs the socket drained); Data if anything came and it stays open.
    ReadResult read();
    // The next complete line without its LF (and CR), or false.
    bool nextLine(std::string &line);
    void close();

private:
    UniqueFd m_fd;
    std::string m_input;
    std::string m_output;
};
