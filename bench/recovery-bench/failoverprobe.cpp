// SPDX-License-Identifier: MIT
#include "failoverprobe.h"

#include "framefield.h"
#include "monotonicclock.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <utility>

namespace {

constexpr int kWaitStepMs = 10;
constexpr int kPollMs = 1;
// A post left unanswered this long is given up on, so that one lost answer
// cannot stop its poster for the rest of the run (the server answers every
// `say`, within its 2 s Redis command timeout, when it works as documented).
constexpr std::int64_t kAnswerTimeoutNs = 10 * MonotonicClock::kNsPerSecond;

// "12.3 ms after the kill", or "never" for a moment not reached (-1).
std::string msAfter(std::int64_t ns, std::int64_t originNs)
{
    if (ns < 0)
        return "never";
    constexpr std::size_t kTextSize = 48;
    std::array<char, kTextSize> text{};
    std::snprintf(text.data(), text.size(), "%.1f ms after the kill", MonotonicClock::milliseconds(ns - originNs));
    return text.data();
}

} // namespace

FailoverProbe::FailoverProbe(Options options)
    : m_options(std::move(options))
    , m_clients([this](int instance, int slot, const std::string &line, std::int64_t nowNs) {
        handleLine(instance, slot, line, nowNs);
    })
{}

std::string FailoverProbe::nick(int instance, int slot) const
{
    return slot == kPosterSlot ? "fo" + std::to_string(instance) + "p"
                               : "fo" + std::to_string(instance) + "l" + std::to_string(slot);
}

int FailoverProbe::clientIndex(int instance, int slot) const
{
    return instance * (kFirstListenerSlot + m_options.listenersPerServer) + slot;
}

bool FailoverProbe::connectAll(std::string &error)
{
    const int perInstance = kFirstListenerSlot + m_options.listenersPerServer;
    const int instances = int(m_options.servers.size());
    std::vector<bool> isListener;
    // At least one post a second per instance, whatever --rate says.
    const std::int64_t interval = std::min(MonotonicClock::kNsPerSecond, MonotonicClock::kNsPerSecond * instances /
                                                                             std::max(1, m_options.ratePerSecond));
    for (int i = 0; i < instances; ++i) {
        auto instance = std::make_unique<Instance>();
        instance->postIntervalNs = interval;
        for (int slot = 0; slot < perInstance; ++slot)
            isListener.push_back(slot != kPosterSlot);
        m_instances.push_back(std::move(instance));
    }
    m_ledger = std::make_unique<FailoverLedger>(std::move(isListener));
    return m_clients.connectAll(
        m_options.servers, perInstance, [this](int instance, int slot) { return nick(instance, slot); }, error);
}

bool FailoverProbe::waitForWelcomes()
{
    // Every client matters here: a listener without its welcome would count
    // every message as lost.
    if (m_clients.waitForWelcomes(m_options.registerTimeoutMs, [this] {
            loopUntil(MonotonicClock::nowNs() + kWaitStepMs * MonotonicClock::kNsPerMs, false);
        }))
        return true;
    for (int i = 0; i < m_clients.instances(); ++i)
        m_clients.printWelcomes(i, m_options.registerTimeoutMs);
    return false;
}

void FailoverProbe::post(Instance &instance, int instanceIndex, std::int64_t nowNs)
{
    if (instance.postOutstanding && nowNs - instance.outstandingSentNs > kAnswerTimeoutNs) {
        instance.postOutstanding = false;
        ++instance.postsUnanswered;
        if (m_killNs >= 0)
            instance.steadyNs = -1;
    }
    if (instance.postOutstanding || nowNs < instance.nextPostNs)
        return;
    instance.postOutstanding = true;
    instance.outstandingSentNs = nowNs;
    instance.outstandingText = "fo" + std::to_string(instanceIndex) + "-" + std::to_string(instance.postSeq++);
    ++instance.postsSent;
    m_clients.socket(instanceIndex, kPosterSlot)
        .sendLine(R"({"type":"say","text":")" + instance.outstandingText + R"("})");
    // On schedule, but no burst to catch up after a post that took long:
    // the offered rate never exceeds --rate.
    instance.nextPostNs = std::max(instance.nextPostNs + instance.postIntervalNs, nowNs);
}

void FailoverProbe::loopUntil(std::int64_t endNs, bool posting)
{
    for (;;) {
        const std::int64_t now = MonotonicClock::nowNs();
        if (now >= endNs)
            return;
        m_clients.flushPending();
        if (posting) {
            for (std::size_t i = 0; i < m_instances.size(); ++i)
                post(*m_instances[i], int(i), now);
        }
        // One ms granularity is enough for a post every 20 ms.
        m_clients.poll(kPollMs);
    }
}

void FailoverProbe::handleLine(int instanceIndex, int slot, const std::string &line, std::int64_t nowNs)
{
    Instance &instance = *m_instances[std::size_t(instanceIndex)];
    const auto type = FrameField::string(line, "type");
    if (!type)
        return; // the plain-text greeting
    if (*type == "welcome")
        return; // counted by m_clients
    if (*type == "room") {
        ++instance.roomFrames;
        return;
    }
    if (*type == "message") {
        const auto id = FrameField::integer(line, "id");
        const auto text = FrameField::string(line, "text");
        if (id && text)
            m_ledger->received(clientIndex(instanceIndex, slot), *id, *text);
    }
    if (slot == kPosterSlot)
        handlePosterAnswer(instance, *type, line, nowNs);
}

void FailoverProbe::handlePosterAnswer(Instance &instance, std::string_view type, const std::string &line,
                                       std::int64_t nowNs)
{
    if (!instance.postOutstanding)
        return;
    const bool afterKill = m_killNs >= 0 && instance.outstandingSentNs >= m_killNs;
    if (type == "message") {
        // The other instance's posts reach this poster too: only its own
        // text answers its post.
        if (FrameField::string(line, "text") != instance.outstandingText)
            return;
        instance.postOutstanding = false;
        ++instance.postsAccepted;
        if (const auto id = FrameField::integer(line, "id"))
            m_ledger->accepted(*id, instance.outstandingText);
        if (m_killNs >= 0 && instance.lastAcceptNs >= 0)
            instance.longestGapNs = std::max(instance.longestGapNs, nowNs - instance.lastAcceptNs);
        instance.lastAcceptNs = nowNs;
        if (afterKill && instance.firstAcceptAfterKillNs < 0)
            instance.firstAcceptAfterKillNs = nowNs;
        if (afterKill && instance.steadyNs < 0)
            instance.steadyNs = nowNs;
        return;
    }
    if (type != "error")
        return;
    instance.postOutstanding = false;
    const std::string code(FrameField::string(line, "code").value_or("?"));
    if (code != "cluster-unavailable") {
        ++instance.otherErrors;
        instance.lastRefusal = code;
        return;
    }
    ++instance.postsRefused;
    m_ledger->refused(instance.outstandingText);
    if (m_killNs < 0)
        return;
    if (instance.firstRefusedNs < 0)
        instance.firstRefusedNs = nowNs;
    instance.lastRefusedNs = nowNs;
    instance.steadyNs = -1; // steady again only from the next accepted post
}

int FailoverProbe::run()
{
    std::string error;
    if (!connectAll(error)) {
        std::fprintf(stderr, "recovery-bench: cannot connect: %s\n", error.c_str());
        return 1;
    }
    if (!waitForWelcomes()) {
        std::fprintf(stderr, "recovery-bench: not every client got its welcome; nothing to measure\n");
        return 1;
    }
    loopUntil(MonotonicClock::nowNs() + m_options.warmupMs * MonotonicClock::kNsPerMs, true);
    m_killNs = MonotonicClock::nowNs();
    if (::kill(m_options.killPid, SIGKILL) != 0) {
        std::fprintf(stderr, "recovery-bench: cannot kill %d: %s\n", int(m_options.killPid), std::strerror(errno));
        return 1;
    }
    loopUntil(m_killNs + m_options.afterKillMs * MonotonicClock::kNsPerMs, true);
    m_postingEndNs = MonotonicClock::nowNs();
    // The last posts' answers and deliveries; nothing new is posted.
    loopUntil(m_postingEndNs + m_options.settleMs * MonotonicClock::kNsPerMs, false);
    return report();
}

int FailoverProbe::report() const
{
    const FailoverLedger::Figures figures = m_ledger->figures();
    std::printf("Redis primary (pid %d) SIGKILLed after a %.1f s warm-up; posted %.1f s after the kill at %d posts/s "
                "in all (one outstanding per poster), %zu instances, %d listeners each\n",
                int(m_options.killPid), m_options.warmupMs / 1000.0,
                MonotonicClock::milliseconds(m_postingEndNs - m_killNs) / 1000.0, m_options.ratePerSecond,
                m_instances.size(), m_options.listenersPerServer);
    bool resumed = true;
    for (std::size_t i = 0; i < m_instances.size(); ++i) {
        const Instance &instance = *m_instances[i];
        resumed = resumed && instance.firstAcceptAfterKillNs >= 0;
        // A gap still open when posting stopped counts too: with no post
        // accepted after the kill it is the whole time since the last one.
        const std::int64_t openGapNs = instance.lastAcceptNs < 0 ? 0 : m_postingEndNs - instance.lastAcceptNs;
        const std::int64_t longestGapNs = std::max(instance.longestGapNs, openGapNs);
        std::printf(
            "instance %zu (%s): posts sent %d, accepted %d, refused (cluster-unavailable) %d, unanswered %d,"
            " other errors %d (%s); refusals from %s to %s; first post accepted %s; steady (no refusal since) %s;"
            " longest gap between accepted posts %.1f ms;"
            " unasked room frames %d; connections closed by the server %d\n",
            i, Loopback::toString(m_options.servers[i]).c_str(), instance.postsSent, instance.postsAccepted,
            instance.postsRefused, instance.postsUnanswered, instance.otherErrors,
            instance.lastRefusal.empty() ? "-" : instance.lastRefusal.c_str(),
            msAfter(instance.firstRefusedNs, m_killNs).c_str(), msAfter(instance.lastRefusedNs, m_killNs).c_str(),
            msAfter(instance.firstAcceptAfterKillNs, m_killNs).c_str(), msAfter(instance.steadyNs, m_killNs).c_str(),
            MonotonicClock::milliseconds(longestGapNs), instance.roomFrames, m_clients.closedByServer(int(i)));
    }
    for (std::size_t l = 0; l < figures.listeners.size(); ++l) {
        const auto &listener = figures.listeners[l];
        std::printf("listener %zu: received %d, reordered %d, duplicates %d, accepted but not received %d\n", l,
                    listener.received, listener.reordered, listener.duplicates, listener.lost);
    }
    std::printf(
        "all clients: %d posts accepted; reused ids %d%s%s; reordered deliveries %d%s%s; duplicates %d; "
        "lost (accepted, missing at a listener) %d messages, %d deliveries; refused posts delivered anyway %d\n",
        figures.accepted, figures.reusedIds, figures.firstReuse.empty() ? "" : ", first ", figures.firstReuse.c_str(),
        figures.reordered, figures.firstReorder.empty() ? "" : ", first ", figures.firstReorder.c_str(),
        figures.duplicates, figures.lostMessages, figures.lostPairs, figures.refusedButDelivered);
    const bool ok = resumed && figures.reusedIds == 0 && figures.reordered == 0;
    std::printf("verdict: posting %s on every instance, %d reused ids, %d reordered deliveries: %s\n",
                resumed ? "resumed" : "did NOT resume", figures.reusedIds, figures.reordered, ok ? "pass" : "FAIL");
    return ok ? 0 : 1;
}
