// SPDX-License-Identifier: MIT
#include "linesocket.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace {
constexpr std::size_t kReadChunk = 64 * 1024;
}

bool LineSocket::connectTo(const Loopback::Address &server, std::string &error)
{
    close();
    const int fd = ::socket(server.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        error = std::strerror(errno);
        return false;
    }
    m_fd.reset(fd);
    // Pings are single small frames: Nagle would hold one back behind the last.
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&server.storage), server.length) != 0 &&
        errno != EINPROGRESS) {
        error = std::strerror(errno);
        close();
        return false;
    }
    return true;
}

bool LineSocket::sendLine(std::string_view line)
{
    m_output.append(line);
    m_output += '\n';
    return flush();
}

bool LineSocket::flush()
{
    while (!m_output.empty()) {
        const ssize_t written = ::send(m_fd.get(), m_output.data(), m_output.size(), MSG_NOSIGNAL);
        if (written < 0 && errno == EINTR)
            continue;
        // Not connected yet, or the send buffer is full: EPOLLOUT comes later.
        if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOTCONN))
            return true;
        if (written <= 0)
            return false;
        m_output.erase(0, std::size_t(written));
    }
    return true;
}

LineSocket::ReadResult LineSocket::read()
{
    std::array<char, kReadChunk> chunk{};
    ReadResult result = ReadResult::WouldBlock;
    for (;;) {
        const ssize_t got = ::recv(m_fd.get(), chunk.data(), chunk.size(), MSG_DONTWAIT);
        if (got > 0) {
            m_input.append(chunk.data(), std::size_t(got));
            result = ReadResult::Data;
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOTCONN))
            return result;
        return ReadResult::Closed; // EOF, or a reset: the server is gone either way
    }
}

bool LineSocket::nextLine(std::string &line)
{
    const std::size_t end = m_input.find('\n');
    if (end == std::string::npos)
        return false;
    std::size_t length = end;
    if (length > 0 && m_input[length - 1] == '\r')
        --length;
    line.assign(m_input, 0, length);
    m_input.erase(0, end + 1);
    return true;
}

void LineSocket::close()
{
    m_fd.reset();
    m_input.clear();
    m_output.clear();
}
