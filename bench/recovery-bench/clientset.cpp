// SPDX-License-Identifier: MIT
#include "clientset.h"

#include "framefield.h"
#include "monotonicclock.h"

#include <sys/epoll.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

namespace {

// A client's tag in the epoll set: its instance above, its slot below.
constexpr int kSlotBits = 32;
constexpr std::uint64_t kSlotMask = (std::uint64_t(1) << kSlotBits) - 1;
constexpr std::uint64_t kOtherTag = ~std::uint64_t(0);
constexpr int kMaxEvents = 256;

} // namespace

ClientSet::ClientSet(LineHandler onLine, ClosedHandler onClosed)
    : m_onLine(std::move(onLine)), m_onClosed(std::move(onClosed)), m_epoll(::epoll_create1(EPOLL_CLOEXEC))
{}

void ClientSet::watch(int fd, std::uint64_t tag) const
{
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.u64 = tag;
    ::epoll_ctl(m_epoll.get(), EPOLL_CTL_ADD, fd, &event);
}

bool ClientSet::connectAll(const std::vector<Loopback::Address> &servers, int perInstance, const NickOf &nickOf,
                           std::string &error)
{
    m_perInstance = perInstance;
    m_sockets.resize(servers.size());
    m_welcomed.resize(servers.size());
    m_closedByServer.assign(servers.size(), 0);
    for (std::size_t i = 0; i < servers.size(); ++i) {
        m_sockets[i].resize(std::size_t(perInstance));
        m_welcomed[i].assign(std::size_t(perInstance), false);
        for (int slot = 0; slot < perInstance; ++slot) {
            if (!connect(int(i), slot, servers[i], error))
                return false;
            sendHello(int(i), slot, nickOf(int(i), slot));
        }
    }
    return true;
}

bool ClientSet::connect(int instance, int slot, const Loopback::Address &server, std::string &error)
{
    LineSocket &client = socket(instance, slot);
    m_welcomed[std::size_t(instance)][std::size_t(slot)] = false;
    if (!client.connectTo(server, error))
        return false;
    watch(client.fd(), (std::uint64_t(instance) << kSlotBits) | std::uint64_t(slot));
    return true;
}

void ClientSet::sendHello(int instance, int slot, std::string_view nick, std::string_view resume)
{
    std::string hello = R"({"type":"hello","nick":")" + std::string(nick) + R"(","client":"recovery-bench")";
    if (!resume.empty())
        hello += R"(,"resume":")" + std::string(resume) + "\"";
    for (std::size_t i = 0; i < m_helloRooms.size(); ++i)
        hello +=
            (i == 0 ? R"(,"rooms":[")" : R"(",")") + m_helloRooms[i] + (i + 1 == m_helloRooms.size() ? R"("])" : "");
    hello += "}";
    socket(instance, slot).sendLine(hello);
}

void ClientSet::watchOther(int fd, std::function<void()> onReady)
{
    m_onOtherReady = std::move(onReady);
    watch(fd, kOtherTag);
}

LineSocket &ClientSet::socket(int instance, int slot)
{
    return m_sockets[std::size_t(instance)][std::size_t(slot)];
}

bool ClientSet::welcomed(int instance, int slot) const
{
    return m_welcomed[std::size_t(instance)][std::size_t(slot)];
}

bool ClientSet::allWelcomed(int instance) const
{
    const std::vector<bool> &row = m_welcomed[std::size_t(instance)];
    return std::all_of(row.begin(), row.end(), [](bool w) { return w; });
}

bool ClientSet::allWelcomed() const
{
    for (int i = 0; i < instances(); ++i) {
        if (!allWelcomed(i))
            return false;
    }
    return true;
}

int ClientSet::welcomedCount(int instance) const
{
    const std::vector<bool> &row = m_welcomed[std::size_t(instance)];
    return int(std::count(row.begin(), row.end(), true));
}

bool ClientSet::waitForWelcomes(int timeoutMs, const std::function<void()> &turn)
{
    const std::int64_t deadline = MonotonicClock::nowNs() + timeoutMs * MonotonicClock::kNsPerMs;
    while (!allWelcomed() && MonotonicClock::nowNs() < deadline)
        turn();
    return allWelcomed();
}

void ClientSet::printWelcomes(int instance, int timeoutMs) const
{
    std::fprintf(stderr, "recovery-bench: instance %d: %d of %d clients got their welcome within %d ms\n", instance,
                 welcomedCount(instance), m_perInstance, timeoutMs);
}

void ClientSet::flushPending()
{
    for (std::vector<LineSocket> &row : m_sockets) {
        for (LineSocket &client : row) {
            if (client.isOpen() && client.hasPendingOutput())
                client.flush();
        }
    }
}

void ClientSet::poll(int timeoutMs)
{
    std::array<epoll_event, kMaxEvents> events{};
    const int count = ::epoll_wait(m_epoll.get(), events.data(), kMaxEvents, timeoutMs);
    for (int e = 0; e < count; ++e) {
        const std::uint64_t tag = events[std::size_t(e)].data.u64;
        if (tag == kOtherTag)
            m_onOtherReady();
        else
            readClient(int(tag >> kSlotBits), int(tag & kSlotMask));
    }
}

void ClientSet::readClient(int instance, int slot)
{
    LineSocket &client = socket(instance, slot);
    if (!client.isOpen())
        return;
    client.flush(); // the hello queued before the connect completed
    const auto result = client.read();
    const std::int64_t now = MonotonicClock::nowNs();
    std::string line;
    while (client.nextLine(line)) {
        if (FrameField::string(line, "type") == "welcome")
            m_welcomed[std::size_t(instance)][std::size_t(slot)] = true;
        m_onLine(instance, slot, line, now);
    }
    if (result == LineSocket::ReadResult::Closed) {
        client.close(); // also leaves the epoll set
        ++m_closedByServer[std::size_t(instance)];
        if (m_onClosed)
            m_onClosed(instance, slot, now);
    }
}
