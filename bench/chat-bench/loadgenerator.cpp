// SPDX-License-Identifier: MIT
#include "loadgenerator.h"

#include "benchpayload.h"
#include "cpumeter.h"
#include "filelimit.h"
#include "monotonicclock.h"
#include "phasetally.h"
#include "processprobe.h"

#include <sys/epoll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

using MonotonicClock::kNsPerMs;
using MonotonicClock::kNsPerSecond;
using MonotonicClock::nowNs;
using MonotonicClock::seconds;

namespace {

constexpr int kMaxEvents = 1024;
constexpr std::size_t kReadChunk = 256 * 1024;
// Closed loop: echoes wake the loop; this only bounds how late a duration
// or deadline check can be.
constexpr int kIdlePollMs = 50;
// After the last send, a run whose deliveries stop arriving for this long
// will not complete: report what is missing instead of waiting for the timeout.
constexpr std::int64_t kDrainSilenceNs = 5 * kNsPerSecond;
// The settle phase waits at most this long for the joined storm to end.
constexpr std::int64_t kMaxSettleNs = 30 * kNsPerSecond;

} // namespace

LoadGenerator::LoadGenerator(const BenchOptions &options)
    : m_options(options), m_rooms(options.rooms), m_scratch(kReadChunk)
{}

bool LoadGenerator::setUp(std::string &error)
{
    m_base.label = m_options.label;
    m_base.clients = m_options.clients;
    m_base.rooms = m_options.rooms;
    m_base.rate = m_options.rate;
    m_base.window = m_options.window;

    for (const std::uint16_t port : m_options.ports) {
        const auto server = Loopback::resolve(m_options.host, port);
        if (!server) {
            error = "refusing " + m_options.host + ": chat-bench only connects to 127.0.0.0/8 or ::1";
            return false;
        }
        m_servers.push_back(*server);
        m_base.server += (m_base.server.empty() ? "" : ",") + Loopback::toString(*server);
    }
    // Extra source addresses only exist for IPv4 loopback (127.0.0.0/8 is
    // all local); IPv6 has just ::1.
    if (m_servers.front().isIpv4)
        m_sourceCount = (m_options.clients + m_options.connectionsPerSource - 1) / m_options.connectionsPerSource;

    constexpr std::uint64_t kSpareDescriptors = 16;
    if (const std::uint64_t limit = FileLimit::raiseToHardLimit();
        limit < std::uint64_t(m_options.clients) + kSpareDescriptors) {
        error = "RLIMIT_NOFILE hard limit " + std::to_string(limit) + " is too low for " +
                std::to_string(m_options.clients) + " clients";
        return false;
    }

    m_epoll.reset(::epoll_create1(EPOLL_CLOEXEC));
    if (!m_epoll.isValid()) {
        error = std::string("epoll_create1: ") + std::strerror(errno);
        return false;
    }
    m_connections.reserve(std::size_t(m_options.clients));
    for (int i = 0; i < m_options.clients; ++i)
        m_connections.push_back(std::make_unique<BenchConnection>(i, m_options.prefix + std::to_string(i)));
    return true;
}

bool LoadGenerator::run(const ReportSink &sink, std::string &error)
{
    m_startNs = nowNs();
    m_deadlineNs = m_startNs + std::int64_t(m_options.timeout * double(kNsPerSecond));
    m_connectDeadlineNs =
        m_options.connectTimeout > 0
            ? std::min(m_deadlineNs, m_startNs + std::int64_t(m_options.connectTimeout * double(kNsPerSecond)))
            : m_deadlineNs;
    if (!setUp(error))
        return false;
    if (!m_options.serverPids.empty())
        m_base.serverRssStartKib = ProcessProbe::rssKib(m_options.serverPids);

    connectPhase();
    const bool connected = m_base.connectFailures == 0;
    for (int i = 0; i < int(m_options.phases.size()); ++i) {
        startPhase(i);
        // Without all clients there is nothing fair to measure; the report
        // still says how far the connect phase got.
        if (connected && !pastDeadline()) {
            settlePhase();
            if (!m_options.serverPids.empty())
                m_report.serverRssIdleKib = ProcessProbe::rssKib(m_options.serverPids);
            sendPhase();
        } else {
            m_report.timedOut = m_report.timedOut || nowNs() >= m_connectDeadlineNs || pastDeadline();
            // Not idle (the server may still be announcing joins), but the
            // best available figure for the clients that did register.
            if (!m_options.serverPids.empty())
                m_report.serverRssIdleKib = ProcessProbe::rssKib(m_options.serverPids);
        }
        finishPhase();
        sink(m_report);
    }
    return true;
}

bool LoadGenerator::pastDeadline() const
{
    return nowNs() >= m_deadlineNs;
}

int LoadGenerator::msUntil(std::int64_t ns) const
{
    const std::int64_t left = ns - nowNs();
    if (left <= 0)
        return 0;
    return int(std::min<std::int64_t>((left + kNsPerMs - 1) / kNsPerMs, kIdlePollMs));
}

int LoadGenerator::senderCount() const
{
    // Clients 0 .. rooms x S - 1 are S senders in every room (RoomLayout).
    return std::min(m_spec.senders * m_rooms.count(), int(m_receivers.size()));
}

BenchConnection &LoadGenerator::sender(int s) const
{
    return *m_connections[std::size_t(m_receivers[std::size_t(s)])];
}

void LoadGenerator::connectPhase()
{
    m_stage = Stage::Connecting;
    m_report = m_base;
    const CpuMeter cpu(m_options.serverPids);
    openMore();
    while (m_settled < m_options.clients && nowNs() < m_connectDeadlineNs)
        pump(kIdlePollMs);
    m_report.connectSeconds = seconds(nowNs() - m_startNs);
    if (const std::int64_t serverNs = cpu.serverNs(); serverNs >= 0)
        m_report.serverCpuConnectSeconds = seconds(serverNs);
    for (const auto &connection : m_connections) {
        if (connection->state() == BenchConnection::State::Registered)
            m_receivers.push_back(connection->index());
        else if (connection->state() != BenchConnection::State::Failed)
            fail(*connection, "not registered before the connect timeout");
    }
    m_report.registered = int(m_receivers.size());
    m_base = m_report;
}

void LoadGenerator::startPhase(int index)
{
    m_phaseIndex = index;
    m_spec = m_options.phases[std::size_t(index)];
    m_report = m_base;
    m_report.phase = index;
    m_report.senders = m_spec.senders * m_rooms.count();
    m_report.size = m_spec.size;
    m_tally = std::make_unique<PhaseTally>(m_options.clients, std::max(1, m_report.senders), m_rooms, m_receivers);
    m_stopSending = false;
    m_sendStopNs = 0;
    m_senderOf.assign(m_connections.size(), -1);
    for (const auto &connection : m_connections)
        connection->restartSequence();
}

void LoadGenerator::settlePhase()
{
    m_stage = Stage::Settling;
    const std::int64_t start = nowNs();
    const std::int64_t quietNs = std::int64_t(m_options.quietMs) * kNsPerMs;
    m_lastControlNs = start;
    while (!pastDeadline() && nowNs() - start < kMaxSettleNs) {
        const std::int64_t quietUntil = m_lastControlNs + quietNs;
        if (nowNs() >= quietUntil)
            break;
        pump(msUntil(quietUntil));
    }
    m_report.settleSeconds = seconds(nowNs() - start);
}

void LoadGenerator::sendPhase()
{
    m_stage = Stage::Sending;
    m_sendStartNs = nowNs();
    m_lastInputNs = m_sendStartNs;
    const CpuMeter cpu(m_options.serverPids);
    const std::int64_t stopAt =
        m_options.duration > 0 ? m_sendStartNs + std::int64_t(m_options.duration * double(kNsPerSecond)) : INT64_MAX;
    const std::int64_t periodNs = m_options.rate > 0 ? std::int64_t(double(kNsPerSecond) / m_options.rate) : 0;

    const int senders = senderCount();
    for (int s = 0; s < senders; ++s) {
        m_senderOf[std::size_t(sender(s).index())] = s;
        // Stagger fixed-rate senders so they do not all fire in the same tick.
        sender(s).nextDueNs = m_sendStartNs + periodNs * s / senders;
    }
    if (senders < m_report.senders && m_report.firstError.empty())
        m_report.firstError = "fewer registered clients than senders";

    for (;;) {
        const std::int64_t now = nowNs();
        if (!m_stopSending && now >= stopAt) {
            m_stopSending = true;
            m_sendStopNs = now;
        }
        sendDue(now);
        if (sendingFinished() && allDelivered())
            break;
        if (pastDeadline()) {
            m_report.timedOut = true;
            break;
        }
        if (sendingFinished() && now - m_lastInputNs > kDrainSilenceNs) {
            if (m_report.firstError.empty())
                m_report.firstError = "deliveries stopped arriving";
            break;
        }
        int timeoutMs = kIdlePollMs;
        if (periodNs > 0 && !m_stopSending) {
            for (int s = 0; s < senders; ++s) {
                if (sender(s).nextSeq < m_spec.messages)
                    timeoutMs = std::min(timeoutMs, msUntil(sender(s).nextDueNs));
            }
        }
        pump(timeoutMs);
    }

    const std::int64_t end = nowNs();
    m_report.sendSeconds = seconds((m_sendStopNs ? m_sendStopNs : end) - m_sendStartNs);
    const std::int64_t elapsed = end - m_sendStartNs;
    cpu.fillSendFigures(m_report, elapsed);
    m_stage = Stage::Settling; // late arrivals from now on are not this phase's
}

void LoadGenerator::finishPhase()
{
    m_tally->fillReport(m_report, m_sendStartNs);
    // Later phases inherit the failures: a client cut off stays missing.
    m_base.disconnects = m_report.disconnects;
    m_base.connectFailures = m_report.connectFailures;
    m_base.firstError = m_report.firstError;
}

bool LoadGenerator::sendingFinished() const
{
    for (int s = 0; s < senderCount(); ++s) {
        const BenchConnection &connection = sender(s);
        if (connection.state() != BenchConnection::State::Registered)
            continue;
        if (!connection.outstandingSeqs().empty())
            return false;
        if (!m_stopSending && connection.nextSeq < m_spec.messages)
            return false;
    }
    return true;
}

bool LoadGenerator::allDelivered() const
{
    return m_tally->complete();
}

void LoadGenerator::sendDue(std::int64_t now)
{
    if (m_stopSending)
        return;
    const std::int64_t periodNs = m_options.rate > 0 ? std::int64_t(double(kNsPerSecond) / m_options.rate) : 0;
    for (int s = 0; s < senderCount(); ++s) {
        BenchConnection &connection = sender(s);
        while (connection.state() == BenchConnection::State::Registered && connection.nextSeq < m_spec.messages &&
               int(connection.outstandingSeqs().size()) < m_options.window &&
               (periodNs == 0 || connection.nextDueNs <= now)) {
            sendOne(connection, nowNs());
            connection.nextDueNs += periodNs;
        }
    }
}

void LoadGenerator::sendOne(BenchConnection &sender, std::int64_t sentAtNs)
{
    const int room = m_rooms.roomOf(sender.index());
    // Without --rooms no room field: version-1 servers (limit-server) too.
    const std::string_view roomName = m_rooms.enabled() ? std::string_view(m_rooms.name(room)) : std::string_view();
    BenchPayload::writeSay(m_frame, sender.nick(), roomName, m_phaseIndex, sender.nextSeq, sentAtNs, m_spec.size);

    sender.outstandingSeqs().push_back(sender.nextSeq);
    ++sender.nextSeq;
    ++m_report.sent;
    m_tally->sent(room);
    if (!sender.send(m_frame)) {
        fail(sender, "write failed while sending");
        return;
    }
    sender.watchWrites(m_epoll.get(), sender.hasPendingOutput());
}

void LoadGenerator::openMore()
{
    while (m_inFlight < m_options.connectParallel && m_nextToOpen < m_options.clients) {
        BenchConnection &connection = *m_connections[std::size_t(m_nextToOpen)];
        Loopback::Address source;
        const Loopback::Address *sourcePtr = nullptr;
        if (m_sourceCount > 1) {
            source = Loopback::ipv4Source(m_nextToOpen / m_options.connectionsPerSource);
            sourcePtr = &source;
        }
        ++m_nextToOpen;
        std::string error;
        const Loopback::Address &server = m_servers[std::size_t(connection.index()) % m_servers.size()];
        if (!connection.startConnect(server, sourcePtr, error)) {
            fail(connection, error);
            continue;
        }
        connection.addTo(m_epoll.get());
        ++m_inFlight;
    }
}

void LoadGenerator::pump(int timeoutMs)
{
    epoll_event events[kMaxEvents];
    const int count = ::epoll_wait(m_epoll.get(), events, kMaxEvents, timeoutMs);
    for (int i = 0; i < count; ++i)
        handleEvent(*m_connections[events[i].data.u32], events[i].events);
    if (m_stage == Stage::Connecting)
        openMore();
}

void LoadGenerator::handleEvent(BenchConnection &connection, std::uint32_t events)
{
    using State = BenchConnection::State;
    if (connection.state() == State::Failed || connection.state() == State::Closed)
        return;
    if (connection.state() == State::Connecting) {
        if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            finishConnect(connection);
        return;
    }
    if ((events & EPOLLOUT) && connection.hasPendingOutput()) {
        if (!connection.flush()) {
            fail(connection, "write failed");
            return;
        }
        connection.watchWrites(m_epoll.get(), connection.hasPendingOutput());
    }
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
        readFrom(connection);
}

void LoadGenerator::fail(BenchConnection &connection, const std::string &why)
{
    if (m_report.firstError.empty())
        m_report.firstError = connection.nick() + ": " + why;
    // A registered client that is cut off stays among the receivers, so what
    // it misses counts as lost: the protocol promises delivery to everyone
    // who stays connected, and chat-bench never leaves on its own.
    using State = BenchConnection::State;
    switch (connection.state()) {
    case State::Registered:
        ++m_report.disconnects;
        connection.close();
        return;
    case State::Connecting:
    case State::WaitingForWelcome:
    case State::WaitingForRoom:
        --m_inFlight;
        break;
    case State::Idle:
        break;
    case State::Failed:
    case State::Closed:
        return;
    }
    ++m_settled;
    ++m_report.connectFailures;
    connection.setState(State::Failed);
    connection.close();
}
