// SPDX-License-Identifier: MIT
#include "benchconnection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace {
// Output kept before compacting: erasing the written head of the buffer on
// every partial write would be quadratic for a slow server.
constexpr std::size_t kCompactThreshold = 64 * 1024;
} // namespace

BenchConnection::BenchConnection(int index, std::string nick) : m_index(index), m_nick(std::move(nick))
{}

bool BenchConnection::startConnect(const Loopback::Address &server, const Loopback::Address *source, std::string &error)
{
    m_fd.reset(::socket(server.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!m_fd.isValid()) {
        error = std::string("socket: ") + std::strerror(errno);
        return false;
    }
    const int one = 1;
    ::setsockopt(m_fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (source) {
        // Let connect() pick the port for the whole 4-tuple, not bind(), so
        // ports are shared across destinations.
        ::setsockopt(m_fd.get(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        if (::bind(m_fd.get(), reinterpret_cast<const sockaddr *>(&source->storage), source->length) != 0) {
            error = "bind " + Loopback::toString(*source) + ": " + std::strerror(errno);
            return false;
        }
    }
    if (::connect(m_fd.get(), reinterpret_cast<const sockaddr *>(&server.storage), server.length) != 0 &&
        errno != EINPROGRESS) {
        error = std::string("connect: ") + std::strerror(errno);
        return false;
    }
    m_state = State::Connecting;
    return true;
}

int BenchConnection::connectResult() const
{
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(m_fd.get(), SOL_SOCKET, SO_ERROR, &error, &length) != 0)
        return errno;
    return error;
}

bool BenchConnection::send(std::string_view bytes)
{
    m_output.append(bytes);
    return flush();
}

bool BenchConnection::flush()
{
    while (m_outputOffset < m_output.size()) {
        const ssize_t n =
            ::send(m_fd.get(), m_output.data() + m_outputOffset, m_output.size() - m_outputOffset, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                break;
            return false;
        }
        m_outputOffset += std::size_t(n);
    }
    if (m_outputOffset == m_output.size()) {
        m_output.clear();
        m_outputOffset = 0;
    } else if (m_outputOffset > kCompactThreshold) {
        m_output.erase(0, m_outputOffset);
        m_outputOffset = 0;
    }
    return true;
}

BenchConnection::ReadResult BenchConnection::read(char *scratch, std::size_t capacity)
{
    const ssize_t n = ::read(m_fd.get(), scratch, capacity);
    if (n > 0) {
        m_input.append(scratch, std::size_t(n));
        return ReadResult::Data;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return ReadResult::WouldBlock;
    return ReadResult::Closed;
}

bool BenchConnection::nextLine(std::string_view &line)
{
    const std::size_t newline = m_input.find('\n', m_inputOffset);
    if (newline == std::string::npos)
        return false;
    std::size_t end = newline;
    if (end > m_inputOffset && m_input[end - 1] == '\r')
        --end;
    line = std::string_view(m_input).substr(m_inputOffset, end - m_inputOffset);
    m_inputOffset = newline + 1;
    return true;
}

void BenchConnection::compactInput()
{
    m_input.erase(0, m_inputOffset);
    m_inputOffset = 0;
}

void BenchConnection::close()
{
    m_fd.reset();
    if (m_state != State::Failed)
        m_state = State::Closed;
}

void BenchConnection::addTo(int epollFd)
{
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT;
    event.data.u32 = std::uint32_t(m_index);
    ::epoll_ctl(epollFd, EPOLL_CTL_ADD, m_fd.get(), &event);
    m_watchingWrites = true;
}

void BenchConnection::watchWrites(int epollFd, bool wanted)
{
    if (!m_fd.isValid() || m_watchingWrites == wanted)
        return;
    m_watchingWrites = wanted;
    epoll_event event{};
    event.events = EPOLLIN | (wanted ? EPOLLOUT : 0u);
    event.data.u32 = std::uint32_t(m_index);
    ::epoll_ctl(epollFd, EPOLL_CTL_MOD, m_fd.get(), &event);
}

bool BenchConnection::acknowledge(int seq)
{
    const auto it = std::find(m_outstanding.begin(), m_outstanding.end(), seq);
    if (it == m_outstanding.end())
        return false;
    m_outstanding.erase(it);
    return true;
}
