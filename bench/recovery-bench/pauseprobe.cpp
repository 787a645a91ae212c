// SPDX-License-Identifier: MIT
#include "pauseprobe.h"

#include "framefield.h"
#include "monotonicclock.h"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace {

constexpr int kWaitStepMs = 10;
constexpr int kPollMs = 1;
constexpr double kP50 = 0.50;
constexpr double kP99 = 0.99;

// The q-quantile of `values` (sorted in place), in ms; -1 when empty.
double quantileMs(std::vector<std::int64_t> values, double q)
{
    if (values.empty())
        return -1;
    std::sort(values.begin(), values.end());
    const auto index = std::min(values.size() - 1, std::size_t(q * double(values.size())));
    return MonotonicClock::milliseconds(values[index]);
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

PauseProbe::PauseProbe(Options options)
    : m_options(std::move(options))
    , m_clients([this](int instance, int slot, const std::string &line, std::int64_t nowNs) {
        handleLine(instance, slot, line, nowNs);
    })
{}

std::string PauseProbe::nick(int instance, int slot) const
{
    return "rp" + std::to_string(instance) + "x" + std::to_string(slot);
}

bool PauseProbe::connectAll(std::string &error)
{
    for (std::size_t i = 0; i < m_options.servers.size(); ++i)
        m_instances.push_back(std::make_unique<Instance>());
    if (!m_clients.connectAll(
            m_options.servers, kFirstIdleSlot + m_options.idleClientsPerServer,
            [this](int instance, int slot) { return nick(instance, slot); }, error))
        return false;
    if (!m_redis.connectTo(m_options.redis, error))
        return false;
    m_clients.watchOther(m_redis.fd(), [this] { handleRedisReply(MonotonicClock::nowNs()); });
    return true;
}

bool PauseProbe::waitForWelcomes()
{
    m_clients.waitForWelcomes(m_options.registerTimeoutMs,
                              [this] { loopUntil(MonotonicClock::nowNs() + kWaitStepMs * MonotonicClock::kNsPerMs); });
    // A missing idle client's welcome is reported, not fatal: the figures
    // come from the pinger and the poster.
    bool measurable = true;
    for (int i = 0; i < m_clients.instances(); ++i) {
        const int welcomed = m_clients.welcomedCount(i);
        m_missingWelcomes += m_clients.clientsPerInstance() - welcomed;
        measurable = measurable && m_clients.welcomed(i, kPingerSlot) && m_clients.welcomed(i, kPosterSlot);
        if (welcomed < m_clients.clientsPerInstance())
            m_clients.printWelcomes(i, m_options.registerTimeoutMs);
    }
    m_welcomeWaitOver = true;
    return measurable;
}

bool PauseProbe::duringPause(std::int64_t ns) const
{
    return m_pauseStartNs >= 0 && ns >= m_pauseStartNs && (m_pauseEndNs < 0 || ns < m_pauseEndNs);
}

void PauseProbe::tick(std::int64_t nowNs)
{
    m_clients.flushPending();
    for (std::size_t i = 0; i < m_instances.size(); ++i) {
        Instance &instance = *m_instances[i];
        if (!m_welcomeWaitOver && !m_clients.allWelcomed(int(i)))
            continue;
        if (nowNs >= instance.nextPingNs) {
            const std::int64_t id = m_nextPingId++;
            instance.pingSentNs[id] = nowNs;
            m_clients.socket(int(i), kPingerSlot).sendLine(R"({"type":"ping","id":)" + std::to_string(id) + "}");
            instance.nextPingNs = nowNs + m_options.pingIntervalMs * MonotonicClock::kNsPerMs;
        }
        if (!instance.postOutstanding && nowNs >= instance.nextPostNs) {
            instance.postOutstanding = true;
            m_clients.socket(int(i), kPosterSlot)
                .sendLine(R"({"type":"say","text":"post )" + std::to_string(instance.postSeq++) + R"("})");
            instance.nextPostNs = nowNs + m_options.postIntervalMs * MonotonicClock::kNsPerMs;
        }
    }
}

void PauseProbe::loopUntil(std::int64_t endNs)
{
    for (;;) {
        const std::int64_t now = MonotonicClock::nowNs();
        if (now >= endNs)
            return;
        tick(now);
        // One ms granularity is enough for a ping every 10 ms.
        m_clients.poll(kPollMs);
    }
}

void PauseProbe::handleLine(int instanceIndex, int slot, const std::string &line, std::int64_t nowNs)
{
    Instance &instance = *m_instances[std::size_t(instanceIndex)];
    const auto type = FrameField::string(line, "type");
    if (!type)
        return; // the plain-text greeting
    if (*type == "pong" && slot == kPingerSlot) {
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
        loopUntil(MonotonicClock::nowNs() + kWaitStepMs * MonotonicClock::kNsPerMs);
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
                m_options.pauseSeconds, MonotonicClock::milliseconds(m_pauseEndNs - m_pauseStartNs),
                m_options.watchAfterMs / 1000.0, m_missingWelcomes);
    bool ok = true;
    for (std::size_t i = 0; i < m_instances.size(); ++i) {
        const Instance &instance = *m_instances[i];
        int unansweredInPause = 0;
        for (const auto &[id, sentNs] : instance.pingSentNs)
            unansweredInPause += duringPause(sentNs) ? 1 : 0;
        const double resumeMs = instance.firstAcceptAfterPauseNs < 0
                                    ? -1
                                    : MonotonicClock::milliseconds(instance.firstAcceptAfterPauseNs - m_pauseEndNs);
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
                    m_clients.closedByServer(int(i)));
    }
    return ok ? 0 : 1;
}
