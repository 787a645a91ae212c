// SPDX-License-Identifier: MIT
#include "delayproxy.h"

#include "monotonicclock.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <utility>

namespace {

constexpr int kMaxEvents = 256;
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::uint64_t kListenerTag = 0;
// With nothing queued the loop still wakes now and then to notice a signal.
constexpr std::int64_t kIdleWaitNs = 100 * MonotonicClock::kNsPerMs;

std::atomic<bool> g_stop{
    false}; // NOLINT(cppcoreguidelines-avoid-non-const-global-variables): set by the signal handler

void onSignal(int)
{
    g_stop = true;
}

void noDelay(int fd)
{
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

} // namespace

DelayProxy::DelayProxy(Loopback::Address target, std::int64_t delayNs) : m_target(target), m_delayNs(delayNs)
{}

bool DelayProxy::listen(const Loopback::Address &address)
{
    m_listener.reset(::socket(address.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    const int one = 1;
    ::setsockopt(m_listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(m_listener.get(), reinterpret_cast<const sockaddr *>(&address.storage), address.length) != 0 ||
        ::listen(m_listener.get(), SOMAXCONN) != 0)
        return false;
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    ::getsockname(m_listener.get(), reinterpret_cast<sockaddr *>(&bound), &length);
    m_port = ntohs(reinterpret_cast<const sockaddr_in *>(&bound)->sin_port);
    m_epoll.reset(::epoll_create1(EPOLL_CLOEXEC));
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = kListenerTag;
    return ::epoll_ctl(m_epoll.get(), EPOLL_CTL_ADD, m_listener.get(), &event) == 0;
}

void DelayProxy::accept()
{
    for (;;) {
        const int client = ::accept4(m_listener.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (client < 0)
            return;
        auto pair = std::make_unique<Pair>();
        pair->client.reset(client);
        // A blocking connect: loopback answers at once, and Redis's clients
        // connect rarely (at start and after an outage).
        const int server = ::socket(m_target.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        pair->server.reset(server);
        if (::connect(server, reinterpret_cast<const sockaddr *>(&m_target.storage), m_target.length) != 0) {
            std::perror("delay-proxy: connect to the target");
            continue; // the client's socket closes with the pair
        }
        ::fcntl(server, F_SETFL, ::fcntl(server, F_GETFL) | O_NONBLOCK);
        noDelay(client);
        noDelay(server);
        pair->up.from = client;
        pair->up.to = server;
        pair->down.from = server;
        pair->down.to = client;
        for (const int fd : {client, server}) {
            epoll_event event{};
            event.events = EPOLLIN | EPOLLRDHUP;
            event.data.u64 = std::uint64_t(fd) + 1; // 0 is the listener
            ::epoll_ctl(m_epoll.get(), EPOLL_CTL_ADD, fd, &event);
        }
        m_pairs.push_back(std::move(pair));
    }
}

void DelayProxy::readInto(Direction &direction, std::int64_t nowNs)
{
    std::array<char, kReadChunk> buffer{};
    for (;;) {
        const ssize_t got = ::recv(direction.from, buffer.data(), buffer.size(), MSG_DONTWAIT);
        if (got > 0) {
            direction.queue.push_back({nowNs + m_delayNs, std::string(buffer.data(), std::size_t(got))});
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            direction.readerClosed = true;
        return;
    }
}

bool DelayProxy::writeDue(Direction &direction, std::int64_t nowNs)
{
    while (!direction.queue.empty() && direction.queue.front().dueNs <= nowNs) {
        const std::string &bytes = direction.queue.front().bytes;
        const ssize_t written = ::send(direction.to, bytes.data() + direction.offset, bytes.size() - direction.offset,
                                       MSG_NOSIGNAL | MSG_DONTWAIT);
        if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return true; // the next turn tries again
        if (written < 0)
            return false;
        direction.offset += std::size_t(written);
        if (direction.offset == bytes.size()) {
            direction.queue.pop_front();
            direction.offset = 0;
        }
    }
    return true;
}

std::int64_t DelayProxy::nextDueNs() const
{
    std::int64_t next = -1;
    for (const auto &pair : m_pairs) {
        for (const Direction *direction : {&pair->up, &pair->down}) {
            if (!direction->queue.empty() && (next < 0 || direction->queue.front().dueNs < next))
                next = direction->queue.front().dueNs;
        }
    }
    return next;
}

void DelayProxy::dropFinished()
{
    for (auto &pair : m_pairs) {
        // One side closed: pass on what it sent, then close both.
        const bool closed = pair->up.readerClosed || pair->down.readerClosed;
        if (closed && pair->up.queue.empty() && pair->down.queue.empty())
            pair->done = true;
    }
    std::erase_if(m_pairs, [](const auto &pair) { return pair->done; });
}

int DelayProxy::run()
{
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    // The default timer slack (50 µs) would add a fifth to every 250 µs wait.
    ::prctl(PR_SET_TIMERSLACK, 1UL);
    std::array<epoll_event, kMaxEvents> events{};
    while (!g_stop) {
        const std::int64_t now = MonotonicClock::nowNs();
        const std::int64_t due = nextDueNs();
        const std::int64_t waitNs = due < 0 ? kIdleWaitNs : std::max<std::int64_t>(0, due - now);
        const timespec timeout{time_t(waitNs / MonotonicClock::kNsPerSecond),
                               long(waitNs % MonotonicClock::kNsPerSecond)};
        const int count = ::epoll_pwait2(m_epoll.get(), events.data(), kMaxEvents, &timeout, nullptr);
        const std::int64_t after = MonotonicClock::nowNs();
        for (int e = 0; e < count; ++e) {
            const std::uint64_t tag = events[std::size_t(e)].data.u64;
            if (tag == kListenerTag) {
                accept();
                continue;
            }
            const int fd = int(tag - 1);
            for (auto &pair : m_pairs) {
                if (pair->up.from == fd)
                    readInto(pair->up, after);
                else if (pair->down.from == fd)
                    readInto(pair->down, after);
            }
        }
        for (auto &pair : m_pairs) {
            if (!writeDue(pair->up, after) || !writeDue(pair->down, after))
                pair->done = true;
        }
        dropFinished();
    }
    return 0;
}
