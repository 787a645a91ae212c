// SPDX-License-Identifier: MIT
#include "killrecovery.h"

#include "framefield.h"
#include "monotonicclock.h"

#include <algorithm>
#include <csignal>
#include <cstdio>

namespace {

// KillRecovery's clients are all on instance 0 of its ClientSet, first
// connected to A, then to B.
constexpr int kInstance = 0;
constexpr int kTickMs = 5;
constexpr int kPollMs = 1;
constexpr std::size_t kP90Percent = 90;
constexpr std::size_t kPercent = 100;

} // namespace

KillRecovery::KillRecovery(const Options &options)
    : m_options(options)
    , m_connections([this](int, int slot, const std::string &line,
                           std::int64_t nowNs) { handleLine(m_clients[std::size_t(slot)], line, nowNs); },
                    [this](int, int slot, std::int64_t nowNs) { closed(slot, nowNs); })
{}

void KillRecovery::sendHello(Client &client, int index)
{
    ++client.hellosOnB;
    m_connections.sendHello(kInstance, index, client.nick, m_options.useResume ? client.resume : std::string());
}

int KillRecovery::countIn(Phase phase) const
{
    return int(
        std::count_if(m_clients.begin(), m_clients.end(), [phase](const Client &c) { return c.phase == phase; }));
}

bool KillRecovery::registerOnA()
{
    m_clients.resize(std::size_t(m_options.clients));
    for (int i = 0; i < m_options.clients; ++i)
        m_clients[std::size_t(i)].nick = "rk" + std::to_string(i);
    std::vector<std::string> rooms;
    rooms.reserve(std::size_t(std::max(m_options.rooms, 0)));
    for (int r = 0; r < m_options.rooms; ++r)
        rooms.push_back("#rk" + std::to_string(r));
    m_connections.setHelloRooms(rooms);
    std::string error;
    if (!m_connections.connectAll(
            {m_options.serverA}, m_options.clients, [this](int, int slot) { return m_clients[std::size_t(slot)].nick; },
            error)) {
        std::fprintf(stderr, "recovery-bench: cannot connect to A: %s\n", error.c_str());
        return false;
    }
    return m_connections.waitForWelcomes(m_options.registerTimeoutMs, [this] { loopFor(kTickMs); });
}

void KillRecovery::loopFor(std::int64_t durationMs)
{
    const std::int64_t end = MonotonicClock::nowNs() + durationMs * MonotonicClock::kNsPerMs;
    while (MonotonicClock::nowNs() < end) {
        m_connections.poll(kPollMs);
        retryDue(MonotonicClock::nowNs());
    }
}

void KillRecovery::closed(int index, std::int64_t nowNs)
{
    Client &client = m_clients[std::size_t(index)];
    if (client.phase == Phase::OnA && m_killNs >= 0) {
        client.eofNs = nowNs;
        helloOnB(client, index, nowNs);
    } else if (client.phase == Phase::OnB) {
        // B closed on us (it should not): try again after the retry delay.
        client.phase = Phase::WaitingForB;
        client.retryAtNs = nowNs + m_options.retryMs * MonotonicClock::kNsPerMs;
    }
}

void KillRecovery::helloOnB(Client &client, int index, std::int64_t nowNs)
{
    std::string error;
    if (!m_connections.connect(kInstance, index, m_options.serverB, error)) {
        client.phase = Phase::WaitingForB;
        client.retryAtNs = nowNs + m_options.retryMs * MonotonicClock::kNsPerMs;
        return;
    }
    client.phase = Phase::OnB;
    client.retryAtNs = -1;
    sendHello(client, index);
}

void KillRecovery::retryDue(std::int64_t nowNs)
{
    m_connections.flushPending();
    for (std::size_t i = 0; i < m_clients.size(); ++i) {
        Client &client = m_clients[i];
        if (client.retryAtNs < 0 || nowNs < client.retryAtNs)
            continue;
        client.retryAtNs = -1;
        if (client.phase == Phase::WaitingForB)
            helloOnB(client, int(i), nowNs);
        else if (client.phase == Phase::OnB)
            sendHello(client, int(i)); // another hello on the same connection, as the contract allows
    }
}

void KillRecovery::comeBackIfWhole(Client &client, std::int64_t nowNs) const
{
    // With its rooms: one `room` frame for each, after the welcome.
    if (client.roomFramesOnB < m_options.rooms)
        return;
    client.phase = Phase::Back;
    client.backNs = nowNs;
}

void KillRecovery::handleLine(Client &client, const std::string &line, std::int64_t nowNs)
{
    const auto type = FrameField::string(line, "type");
    if (!type)
        return;
    if (*type == "welcome") {
        if (const auto resume = FrameField::string(line, "resume"))
            client.resume = std::string(*resume);
        if (client.phase == Phase::OnB && FrameField::string(line, "nick") == client.nick) {
            client.welcomedOnB = true;
            client.roomFramesOnB = 0;
            comeBackIfWhole(client, nowNs);
        }
    } else if (*type == "room" && client.phase == Phase::OnB && client.welcomedOnB) {
        ++client.roomFramesOnB;
        comeBackIfWhole(client, nowNs);
    } else if (*type == "error" && client.phase == Phase::OnB && FrameField::string(line, "ref") == "hello") {
        const auto code = FrameField::string(line, "code").value_or("?");
        if (code == "nick-taken") {
            ++m_nickTaken;
        } else {
            ++m_otherRefusals;
            m_lastRefusal = std::string(code);
        }
        client.retryAtNs = nowNs + m_options.retryMs * MonotonicClock::kNsPerMs;
    }
}

int KillRecovery::run()
{
    if (!registerOnA()) {
        std::fprintf(stderr, "recovery-bench: not every client registered on A in time\n");
        return 1;
    }
    const bool tokens =
        std::all_of(m_clients.begin(), m_clients.end(), [](const Client &c) { return !c.resume.empty(); });
    if (m_options.useResume && !tokens) {
        std::fprintf(stderr, "recovery-bench: a welcome carried no resume token\n");
        return 1;
    }
    // Let the joined events drain, so that B is not still busy with them.
    loopFor(m_options.settleMs);
    m_killNs = MonotonicClock::nowNs();
    if (::kill(m_options.killPid, SIGKILL) != 0) {
        std::perror("recovery-bench: kill");
        return 1;
    }
    const std::int64_t deadline = m_killNs + m_options.timeoutMs * MonotonicClock::kNsPerMs;
    while (countIn(Phase::Back) < m_options.clients && MonotonicClock::nowNs() < deadline)
        loopFor(kTickMs);
    return report();
}

int KillRecovery::report() const
{
    std::vector<std::int64_t> backNs;
    std::int64_t lastEofNs = -1;
    int attempts = 0;
    for (const Client &client : m_clients) {
        if (client.backNs >= 0)
            backNs.push_back(client.backNs - m_killNs);
        lastEofNs = std::max(lastEofNs, client.eofNs);
        attempts += client.hellosOnB;
    }
    std::sort(backNs.begin(), backNs.end());
    const bool all = int(backNs.size()) == m_options.clients;
    std::printf(
        "kill -9 recovery (%s, %d rooms besides #lobby each, retry every %d ms, bound %d ms): %zu of %d clients "
        "back under their own nickname; all back %.1f ms after the kill%s; median %.1f ms, p90 %.1f ms; last "
        "connection end seen %.1f ms "
        "after the kill; hellos on B %d, nick-taken %d, other refusals %d%s%s\n",
        m_options.useResume ? "with resume tokens" : "plain hello, no token", m_options.rooms, m_options.retryMs,
        m_options.timeoutMs, backNs.size(), m_options.clients,
        backNs.empty() ? -1.0 : MonotonicClock::milliseconds(backNs.back()),
        all ? "" : " (NOT ALL: time of the last one back)",
        backNs.empty() ? -1.0 : MonotonicClock::milliseconds(backNs[backNs.size() / 2]),
        backNs.empty() ? -1.0 : MonotonicClock::milliseconds(backNs[backNs.size() * kP90Percent / kPercent]),
        lastEofNs < 0 ? -1.0 : MonotonicClock::milliseconds(lastEofNs - m_killNs), attempts, m_nickTaken,
        m_otherRefusals, m_lastRefusal.empty() ? "" : " last ", m_lastRefusal.c_str());
    return all ? 0 : 1;
}
