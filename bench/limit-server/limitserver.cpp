// SPDX-License-Identifier: MIT
#include "limitserver.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <ctime>

namespace {

constexpr int kListenBacklog = 4096;
constexpr int kMaxEvents = 512;
constexpr std::size_t kReadChunk = 256 * 1024;
// Same order of magnitude as chat-server's --sendq default: a client this far
// behind is dropped so the relay's memory stays bounded.
constexpr std::size_t kMaxOutputBytes = 4 * 1024 * 1024;
constexpr std::size_t kMaxLineBytes = 65536;

// The JSON-escaped value of a string field, as it stands in the line (a
// relay need not unescape what it passes on), or empty if absent.
std::string_view rawStringField(std::string_view line, std::string_view key)
{
    std::string pattern = "\"";
    pattern += key;
    pattern += "\":\"";
    const std::size_t start = line.find(pattern);
    if (start == std::string_view::npos)
        return {};
    const std::size_t begin = start + pattern.size();
    for (std::size_t i = begin; i < line.size(); ++i) {
        if (line[i] == '\\')
            ++i;
        else if (line[i] == '"')
            return line.substr(begin, i - begin);
    }
    return {};
}

// The first name of hello's "rooms" array, as it stands in the line.
std::string_view firstRoom(std::string_view line)
{
    constexpr std::string_view kPattern = "\"rooms\":[\"";
    const std::size_t start = line.find(kPattern);
    if (start == std::string_view::npos)
        return {};
    const std::size_t begin = start + kPattern.size();
    const std::size_t end = line.find('"', begin);
    return end == std::string_view::npos ? std::string_view() : line.substr(begin, end - begin);
}

std::string isoTimestamp()
{
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    tm utc{};
    ::gmtime_r(&now.tv_sec, &utc);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, now.tv_nsec / 1'000'000);
    return text;
}

} // namespace

LimitServer::LimitServer(Fault fault) : m_fault(fault)
{}

bool LimitServer::listen(const Loopback::Address &address)
{
    m_listener.reset(::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!m_listener.isValid())
        return false;
    const int one = 1;
    ::setsockopt(m_listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(m_listener.get(), reinterpret_cast<const sockaddr *>(&address.storage), address.length) != 0 ||
        ::listen(m_listener.get(), kListenBacklog) != 0)
        return false;

    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    ::getsockname(m_listener.get(), reinterpret_cast<sockaddr *>(&bound), &length);
    m_port = ntohs(bound.ss_family == AF_INET ? reinterpret_cast<sockaddr_in *>(&bound)->sin_port
                                              : reinterpret_cast<sockaddr_in6 *>(&bound)->sin6_port);

    m_epoll.reset(::epoll_create1(EPOLL_CLOEXEC));
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = m_listener.get();
    ::epoll_ctl(m_epoll.get(), EPOLL_CTL_ADD, m_listener.get(), &event);

    // Signals arrive as readable data, so shutdown needs no global state.
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    ::sigprocmask(SIG_BLOCK, &mask, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    m_signals.reset(::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC));
    event.data.fd = m_signals.get();
    ::epoll_ctl(m_epoll.get(), EPOLL_CTL_ADD, m_signals.get(), &event);
    return m_epoll.isValid() && m_signals.isValid();
}

int LimitServer::run()
{
    std::vector<epoll_event> events(kMaxEvents);
    for (;;) {
        const int count = ::epoll_wait(m_epoll.get(), events.data(), kMaxEvents, -1);
        if (count < 0 && errno != EINTR)
            return 1;
        for (int i = 0; i < count; ++i) {
            const int fd = events[i].data.fd;
            if (fd == m_signals.get())
                return 0;
            if (fd == m_listener.get()) {
                acceptAll();
                continue;
            }
            auto it = m_clients.find(fd);
            if (it == m_clients.end())
                continue;
            if ((events[i].events & EPOLLOUT) && !flush(it->second))
                continue;
            if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
                readFrom(fd);
        }
        flushDirty();
        for (const int fd : m_doomed)
            drop(fd);
        m_doomed.clear();
    }
}

void LimitServer::acceptAll()
{
    for (;;) {
        const int fd = ::accept4(m_listener.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return; // EAGAIN, or out of descriptors: try again on the next event
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.fd = fd;
        ::epoll_ctl(m_epoll.get(), EPOLL_CTL_ADD, fd, &event);
        m_clients[fd].fd.reset(fd);
    }
}

void LimitServer::readFrom(int fd)
{
    Client &client = m_clients.at(fd);
    char buffer[kReadChunk];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        m_doomed.push_back(fd);
        return;
    }
    if (n < 0)
        return;
    client.input.append(buffer, std::size_t(n));
    std::size_t start = 0;
    for (std::size_t newline; (newline = client.input.find('\n', start)) != std::string::npos; start = newline + 1)
        handleLine(client, std::string_view(client.input).substr(start, newline - start));
    client.input.erase(0, start);
    if (client.input.size() > kMaxLineBytes)
        m_doomed.push_back(fd);
}

void LimitServer::handleLine(Client &client, std::string_view line)
{
    if (line.find("\"type\":\"say\"") != std::string_view::npos) {
        if (client.registered)
            relay(client, rawStringField(line, "text"), m_fault == Fault::Leak ? rawStringField(line, "room") : "");
        return;
    }
    if (line.find("\"type\":\"hello\"") != std::string_view::npos && !client.registered) {
        client.nick = std::string(rawStringField(line, "nick"));
        client.registered = true;
        m_registered.push_back(client.fd.get());
        queue(client, "{\"type\":\"welcome\",\"nick\":\"" + client.nick +
                          "\",\"users\":[],\"history\":[],\"server\":\"limit-server/1\",\"protocol\":1}\n");
        if (const std::string_view room = firstRoom(line); m_fault == Fault::Leak && !room.empty())
            queue(client, "{\"type\":\"room\",\"room\":\"" + std::string(room) +
                              "\",\"topic\":\"\",\"users\":[],\"history\":[]}\n");
        return;
    }
    if (line.find("\"type\":\"ping\"") != std::string_view::npos)
        queue(client, "{\"type\":\"pong\"}\n");
}

void LimitServer::relay(const Client &sender, std::string_view rawText, std::string_view rawRoom)
{
    const std::int64_t id = m_nextId++;
    const std::string roomField = rawRoom.empty() ? std::string() : ",\"room\":\"" + std::string(rawRoom) + "\"";
    const std::string line = "{\"type\":\"message\",\"id\":" + std::to_string(id) + roomField + ",\"from\":\"" +
                             sender.nick + "\",\"text\":\"" + std::string(rawText) + "\",\"ts\":\"" + isoTimestamp() +
                             "\"}\n";
    // Leak misdelivers every message, not every kFaultInterval-th.
    const bool faulty =
        m_fault != Fault::None && m_fault != Fault::Leak && id % kFaultInterval == 0 && !m_registered.empty();
    const int victim = m_registered.empty() ? -1 : m_registered.back();
    for (const int fd : m_registered) {
        if (fd != victim || m_fault == Fault::None || m_fault == Fault::Leak) {
            queue(m_clients.at(fd), line);
            continue;
        }
        if (faulty && m_fault == Fault::Reorder) {
            m_held = line;
            continue;
        }
        if (!faulty || m_fault != Fault::Drop)
            queue(m_clients.at(fd), line);
        if (faulty && m_fault == Fault::Duplicate)
            queue(m_clients.at(fd), line);
        if (!m_held.empty()) {
            queue(m_clients.at(fd), m_held);
            m_held.clear();
        }
    }
}

void LimitServer::queue(Client &client, std::string_view bytes)
{
    if (client.output.size() - client.outputOffset > kMaxOutputBytes) {
        if (std::find(m_doomed.begin(), m_doomed.end(), client.fd.get()) == m_doomed.end())
            m_doomed.push_back(client.fd.get());
        return;
    }
    client.output.append(bytes);
    if (!client.dirty) {
        client.dirty = true;
        m_dirty.push_back(client.fd.get());
    }
}

void LimitServer::flushDirty()
{
    for (const int fd : m_dirty) {
        auto it = m_clients.find(fd);
        if (it == m_clients.end())
            continue;
        it->second.dirty = false;
        flush(it->second);
    }
    m_dirty.clear();
}

bool LimitServer::flush(Client &client)
{
    while (client.outputOffset < client.output.size()) {
        const ssize_t n = ::send(client.fd.get(), client.output.data() + client.outputOffset,
                                 client.output.size() - client.outputOffset, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                break;
            m_doomed.push_back(client.fd.get());
            return false;
        }
        client.outputOffset += std::size_t(n);
    }
    // Drop the sent head only once it is large: erasing it after every
    // partial write would copy the rest of the buffer each time.
    constexpr std::size_t kCompactThreshold = 256 * 1024;
    if (client.outputOffset == client.output.size()) {
        client.output.clear();
        client.outputOffset = 0;
    } else if (client.outputOffset > kCompactThreshold) {
        client.output.erase(0, client.outputOffset);
        client.outputOffset = 0;
    }
    updateInterest(client, client.outputOffset < client.output.size());
    return true;
}

void LimitServer::updateInterest(Client &client, bool wantsWrite)
{
    if (client.wantsWrite == wantsWrite)
        return;
    client.wantsWrite = wantsWrite;
    epoll_event event{};
    event.events = EPOLLIN | (wantsWrite ? EPOLLOUT : 0u);
    event.data.fd = client.fd.get();
    ::epoll_ctl(m_epoll.get(), EPOLL_CTL_MOD, client.fd.get(), &event);
}

void LimitServer::drop(int fd)
{
    auto it = m_clients.find(fd);
    if (it == m_clients.end())
        return;
    if (it->second.registered)
        std::erase(m_registered, fd);
    ::epoll_ctl(m_epoll.get(), EPOLL_CTL_DEL, fd, nullptr);
    m_clients.erase(it); // closes the socket
}
