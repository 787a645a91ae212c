// SPDX-License-Identifier: MIT
#include "pauseprobe.h"

#include "framefield.h"
#include "monotonicclock.h"

#include <sys/epoll.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

namespace {

constexpr std::uint64_t kRedisTag = ~std::uint64_t(0);
constexpr int kSlotBits = 32;
constexpr int kMaxEvents = 256;
constexpr double kP50 = 0.50;
constexpr double kP99 = 0.99;

double ms(std::int64_t ns)
{
    return double(ns) / double(MonotonicClock::kNsPerMs);
}

// The q-quantile of `values` (sorted in place), in ms; -1 when empty.
double quantileMs(std::vector<std::int64_t> values, double q)
{
    if (values.empty())
        return -1;
    std::sort(values.begin(), values.end());
    const auto index = std::min(values.size() - 1, std::size_t(q * double(values.size())));
    return ms(values[index]);
}

// RESP for `DEBUG SLEEP <seconds>`: redis-cli is not needed, and the reply
// (+OK) marks the end of the pause on this process's clock.
std::string debugSleepCommand(int seconds)
{
    const std::string value = std::to_string(seconds);
    // Without the final LF: LineSocket::sendLine adds it.
    return "*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$" + std::to_string(value.size()) + "\r\n" + value + "\r";
}

} // namespace

PauseProbe::PauseProbe(Options options) : m_options(std::move(options))
{}

std::string PauseProbe::nick(int instance, int slot) const
{
    return "rp" + std::to_string(instance) + "x" + std::to_string(slot);
}

void PauseProbe::watch(int fd, std::uint64_t tag)
{
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.u64 = tag;
    ::epoll_ctl(m_epoll.get(), EPOLL_CTL_ADD, fd, &event);
}

bool PauseProbe::connectAll(std::string &error)
{
    m_epoll.reset(::epoll_create1(EPOLL_CLOEXEC));
    const int perInstance = kFirstIdleSlot + m_options.idleClientsPerServer;
    for (std::size_t i = 0; i < m_options.servers.size(); ++i) {
        auto instance = std::make_unique<Instance>();
        instance->sockets.resize(std::size_t(perInstance));
        instance->welcomed.assign(std::size_t(perInstance), false);
        for (int slot = 0; slot < perInstance; ++slot) {
            LineSocket &socket = instance->sockets[std::size_t(slot)];
            if (!socket.connectTo(m_options.servers[i], error))
                return false;
            watch(socket.fd(), (std::uint64_t(i) << kSlotBits) | std::uint64_t(slot));
            socket.sendLine(R"({"type":"hello","nick":")" + nick(int(i), slot) + R"(","client":"recovery-bench"})");
        }
        m_instances.push_back(std::move(instance));
    }
    if (!m_redis.connectTo(m_options.redis, error))
        return false;
    watch(m_redis.fd(), kRedisTag);
    return true;
}

bool PauseProbe::waitForWelcomes()
{
    const std::int64_t deadline = MonotonicClock::nowNs() + m_options.registerTimeoutMs * MonotonicClock::kNsPerMs;
    auto allWelcomed = [this] {
        return std::all_of(m_instances.begin(), m_instances.end(), [](const auto &instance) {
            return std::all_of(instance->welcomed.begin(), instance->welcomed.end(), [](bool w) { return w; });
        });
    };
    while (!allWelcomed() && MonotonicClock::nowNs() < deadline)
        loopUntil(MonotonicClock::nowNs() + 10 * MonotonicClock::kNsPerMs);
    // A missing idle client's welcome is reported, not fatal: the figures
    // come from the pinger and the poster.
    bool measurable = true;
    for (std::size_t i = 0; i < m_instances.size(); ++i) {
        Instance &instance = *m_instances[i];
        const auto welcomed = std::count(instance.welcomed.begin(), instance.welcomed.end(), true);
        m_missingWelcomes += int(std::ssize(instance.welcomed) - welcomed);
        measurable = measurable && instance.welcomed[kPingerSlot] && instance.welcomed[kPosterSlot];
        if (welcomed < std::ssize(instance.welcomed))
            std::fprintf(stderr, "recovery-bench: instance %zu: %zd of %zu clients got their welcome within %d ms\n", i,
                         welcomed, instance.welcomed.size(), m_options.registerTimeoutMs);
        std::fill(instance.welcomed.begin(), instance.welcomed.end(), true); // so that tick() pings
    }
    return measurable;
}

bool PauseProbe::duringPause(std::int64_t ns) const
{
    return m_pauseStartNs >= 0 && ns >= m_pauseStartNs && (m_pauseEndNs < 0 || ns < m_pauseEndNs);
}

void PauseProbe::tick(std::int64_t nowNs)
{
    for (auto &instance : m_instances) {
        // Output queued before its connect completed is tried again every
        // turn, not only on the EPOLLOUT edge: cheap insurance (a few dozen
        // sockets, once a millisecond).
        for (LineSocket &socket : instance->sockets) {
            if (socket.isOpen() && socket.hasPendingOutput())
                socket.flush();
        }
        if (!std::all_of(instance->welcomed.begin(), instance->welcomed.end(), [](bool w) { return w; }))
            continue;
        if (nowNs >= instance->nextPingNs) {
            const std::int64_t id = m_nextPingId++;
            instance->pingSentNs[id] = nowNs;
            instance->sockets[kPingerSlot].sendLine(R"({"type":"ping","id":)" + std::to_string(id) + "}");
            instance->nextPingNs = nowNs + m_options.pingIntervalMs * MonotonicClock::kNsPerMs;
        }
        if (!instance->postOutstanding && nowNs >= instance->nextPostNs) {
            instance->postOutstanding = true;
            instance->sockets[kPosterSlot].sendLine(R"({"type":"say","text":"post )" +
                                                    std::to_string(instance->postSeq++) + R"("})");
            instance->nextPostNs = nowNs + m_options.postIntervalMs * MonotonicClock::kNsPerMs;
        }
    }
}

void PauseProbe::loopUntil(std::int64_t endNs)
{
    std::array<epoll_event, kMaxEvents> events{};
    for (;;) {
        const std::int64_t now = MonotonicClock::nowNs();
        if (now >= endNs)
            return;
        tick(now);
        // One ms granularity is enough for a ping every 10 ms.
        const int count = ::epoll_wait(m_epoll.get(), events.data(), kMaxEvents, 1);
        for (int e = 0; e < count; ++e) {
            const std::uint64_t tag = events[std::size_t(e)].data.u64;
            if (tag == kRedisTag) {
                handleRedisReply(MonotonicClock::nowNs());
                continue;
            }
            readSocket(int(tag >> kSlotBits), int(tag & ((std::uint64_t(1) << kSlotBits) - 1)));
        }
    }
}

void PauseProbe::readSocket(int instanceIndex, int slot)
{
    Instance &instance = *m_instances[std::size_t(instanceIndex)];
    LineSocket &socket = instance.sockets[std::size_t(slot)];
    if (!socket.isOpen())
        return;
    socket.flush(); // the hello queued before the connect completed
    const auto result = socket.read();
    const std::int64_t now = MonotonicClock::nowNs();
    std::string line;
    while (socket.nextLine(line))
        handleLine(instanceIndex, slot, line, now);
    if (result == LineSocket::ReadResult::Closed) {
        ++instance.closedByServer;
        socket.close(); // also leaves the epoll set
    }
}

void PauseProbe::handleLine(int instanceIndex, int slot, const std::string &line, std::int64_t nowNs)
{
    Instance &instance = *m_instances[std::size_t(instanceIndex)];
    const auto type = FrameField::string(line, "type");
    if (!type)
        return; // the plain-text greeting
    if (*type == "welcome") {
        instance.welcomed[std::size_t(slot)] = true;
    } else if (*type == "pong" && slot == kPingerSlot) {
        const auto id = FrameField::integer(line, "id");
        const auto sent = id ? instance.pingSentNs.find(*id) : instance.pingSentNs.end();
        if (sent == instance.pingSentNs.end())
            return;
        (duringPause(sent->second) ? instance.rttPauseNs : instance.rttOutsideNs).push_back(nowNs - sent->second);
        instance.pingSentNs.erase(sent);
    } else if (*type == "left" && slot == kPingerSlot && m_pauseStartNs >= 0) {
        ++instance.leftEvents;
    } else if (slot == kPosterSlot && *type == "message" &&
               FrameField::string(line, "from") == nick(instanceIndex, slot)) {
        instance.postOutstanding = false;
        ++instance.postsAccepted;
        if (m_pauseEndNs >= 0 && instance.firstAcceptAfterPauseNs < 0)
            instance.firstAcceptAfterPauseNs = nowNs;
    } else if (slot == kPosterSlot && *type == "error") {
        instance.postOutstanding = false;
        ++instance.postsRefused;
        instance.lastRefusal = std::string(FrameField::string(line, "code").value_or("?"));
    }
}

void PauseProbe::handleRedisReply(std::int64_t nowNs)
{
    m_redis.flush();
    if (m_redis.read() == LineSocket::ReadResult::Closed) {
        std::fprintf(stderr, "recovery-bench: Redis closed the probe's connection\n");
        m_redis.close();
        if (m_pauseEndNs < 0)
            m_pauseEndNs = nowNs;
        return;
    }
    std::string line;
    while (m_redis.nextLine(line)) {
        if (m_pauseEndNs < 0 && m_pauseStartNs >= 0)
            m_pauseEndNs = nowNs;
        if (line != "+OK") {
            std::fprintf(stderr, "recovery-bench: DEBUG SLEEP answered %s\n", line.c_str());
            m_pauseRefused = true;
        }
    }
}

int PauseProbe::run()
{
    std::string error;
    if (!connectAll(error)) {
        std::fprintf(stderr, "recovery-bench: cannot connect: %s\n", error.c_str());
        return 1;
    }
    if (!waitForWelcomes()) {
        std::fprintf(stderr, "recovery-bench: a pinger or poster got no welcome; nothing to measure\n");
        return 1;
    }
    loopUntil(MonotonicClock::nowNs() + m_options.warmupMs * MonotonicClock::kNsPerMs);
    m_pauseStartNs = MonotonicClock::nowNs();
    m_redis.sendLine(debugSleepCommand(m_options.pauseSeconds));
    const std::int64_t pauseBound = m_pauseStartNs + (m_options.pauseSeconds + 30) * MonotonicClock::kNsPerSecond;
    while (m_pauseEndNs < 0 && MonotonicClock::nowNs() < pauseBound)
        loopUntil(MonotonicClock::nowNs() + 10 * MonotonicClock::kNsPerMs);
    if (m_pauseEndNs < 0) {
        std::fprintf(stderr, "recovery-bench: Redis never answered DEBUG SLEEP\n");
        return 1;
    }
    if (m_pauseRefused)
        return 1; // no pause, nothing to measure (redis-server needs --enable-debug-command local)
    loopUntil(m_pauseEndNs + m_options.watchAfterMs * MonotonicClock::kNsPerMs);
    return report();
}

int PauseProbe::report() const
{
    std::printf("Redis pause: DEBUG SLEEP %d answered after %.1f ms; watched %.1f s after it; %d idle clients got "
                "no welcome\n",
                m_options.pauseSeconds, ms(m_pauseEndNs - m_pauseStartNs), m_options.watchAfterMs / 1000.0,
                m_missingWelcomes);
    bool ok = true;
    for (std::size_t i = 0; i < m_instances.size(); ++i) {
        const Instance &instance = *m_instances[i];
        int unansweredInPause = 0;
        for (const auto &[id, sentNs] : instance.pingSentNs)
            unansweredInPause += duringPause(sentNs) ? 1 : 0;
        const double resumeMs =
            instance.firstAcceptAfterPauseNs < 0 ? -1 : ms(instance.firstAcceptAfterPauseNs - m_pauseEndNs);
        ok = ok && resumeMs >= 0;
        std::printf("instance %zu (%s): pings in pause %zu answered (+%d not), rtt p50 %.2f ms p99 %.2f ms max %.2f ms;"
                    " outside the pause %zu, p99 %.2f ms; posts accepted %d, refused %d (%s);"
                    " first post accepted %.1f ms after the pause; left events after the pause began %d;"
                    " connections closed by the server %d\n",
                    i, Loopback::toString(m_options.servers[i]).c_str(), instance.rttPauseNs.size(), unansweredInPause,
                    quantileMs(instance.rttPauseNs, kP50), quantileMs(instance.rttPauseNs, kP99),
                    quantileMs(instance.rttPauseNs, 1.0), instance.rttOutsideNs.size(),
                    quantileMs(instance.rttOutsideNs, kP99), instance.postsAccepted, instance.postsRefused,
                    instance.lastRefusal.empty() ? "-" : instance.lastRefusal.c_str(), resumeMs, instance.leftEvents,
                    instance.closedByServer);
    }
    return ok ? 0 : 1;
}
