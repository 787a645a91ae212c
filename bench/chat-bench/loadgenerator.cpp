// SPDX-License-Identifier: MIT
#include "loadgenerator.h"

#include "monotonicclock.h"
#include "processprobe.h"

#include <sys/epoll.h>
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

using MonotonicClock::kNsPerMs;
using MonotonicClock::kNsPerSecond;
using MonotonicClock::nowNs;

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

double seconds(std::int64_t ns)
{
    return double(ns) / double(kNsPerSecond);
}

std::int64_t cpuNsOfSelf()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    constexpr std::int64_t kNsPerMicro = 1000;
    return (std::int64_t(usage.ru_utime.tv_sec) + usage.ru_stime.tv_sec) * kNsPerSecond +
           (std::int64_t(usage.ru_utime.tv_usec) + usage.ru_stime.tv_usec) * kNsPerMicro;
}

// Reads "<digits>" at pos, advancing past it; false if there are none.
bool readNumber(std::string_view text, std::size_t &pos, std::int64_t &value)
{
    const auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
    if (ec != std::errc())
        return false;
    pos = std::size_t(ptr - text.data());
    return true;
}

} // namespace

LoadGenerator::LoadGenerator(const BenchOptions &options) : m_options(options), m_scratch(kReadChunk)
{}

bool LoadGenerator::setUp(std::string &error)
{
    m_base.label = m_options.label;
    m_base.clients = m_options.clients;
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

    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    constexpr rlim_t kSpareDescriptors = 16;
    if (limit.rlim_cur < rlim_t(m_options.clients) + kSpareDescriptors) {
        error = "RLIMIT_NOFILE hard limit " + std::to_string(limit.rlim_cur) + " is too low for " +
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
    if (probingServers())
        m_base.serverRssStartKib = serverRssKib();

    connectPhase();
    const bool connected = m_base.connectFailures == 0;
    for (int i = 0; i < int(m_options.phases.size()); ++i) {
        startPhase(i);
        // Without all clients there is nothing fair to measure; the report
        // still says how far the connect phase got.
        if (connected && !pastDeadline()) {
            settlePhase();
            if (probingServers())
                m_report.serverRssIdleKib = serverRssKib();
            sendPhase();
        } else {
            m_report.timedOut = m_report.timedOut || nowNs() >= m_connectDeadlineNs || pastDeadline();
            // Not idle (the server may still be announcing joins), but the
            // best available figure for the clients that did register.
            if (probingServers())
                m_report.serverRssIdleKib = serverRssKib();
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
    return std::min(m_spec.senders, int(m_receivers.size()));
}

BenchConnection &LoadGenerator::sender(int s) const
{
    return *m_connections[std::size_t(m_receivers[std::size_t(s)])];
}

bool LoadGenerator::probingServers() const
{
    return !m_options.serverPids.empty();
}

std::int64_t LoadGenerator::serverCpuNs() const
{
    std::int64_t total = 0;
    for (const pid_t pid : m_options.serverPids) {
        const std::int64_t ns = ProcessProbe::cpuNs(pid);
        if (ns < 0)
            return -1;
        total += ns;
    }
    return total;
}

std::int64_t LoadGenerator::serverRssKib() const
{
    std::int64_t total = 0;
    for (const pid_t pid : m_options.serverPids) {
        const std::int64_t kib = ProcessProbe::rssKib(pid);
        if (kib < 0)
            return -1;
        total += kib;
    }
    return total;
}

void LoadGenerator::connectPhase()
{
    m_stage = Stage::Connecting;
    m_report = m_base;
    const std::int64_t serverCpuStart = probingServers() ? serverCpuNs() : -1;
    openMore();
    while (m_settled < m_options.clients && nowNs() < m_connectDeadlineNs)
        pump(kIdlePollMs);
    m_report.connectSeconds = seconds(nowNs() - m_startNs);
    if (serverCpuStart >= 0)
        m_report.serverCpuConnectSeconds = seconds(serverCpuNs() - serverCpuStart);
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
    m_report.senders = m_spec.senders;
    m_report.size = m_spec.size;
    m_ledger = std::make_unique<DeliveryLedger>(m_options.clients, std::max(1, m_spec.senders));
    m_latency = LatencyHistogram();
    m_stopSending = false;
    m_sendStopNs = 0;
    m_lastAcceptNs = 0;
    m_lastDeliveryNs = 0;
    m_senderOf.assign(m_connections.size(), -1);
    for (const auto &connection : m_connections) {
        connection->nextSeq = 0;
        connection->outstandingSeqs().clear();
    }
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
    const std::int64_t cpuStart = cpuNsOfSelf();
    const std::int64_t serverCpuStart = probingServers() ? serverCpuNs() : -1;
    const std::int64_t stopAt =
        m_options.duration > 0 ? m_sendStartNs + std::int64_t(m_options.duration * double(kNsPerSecond)) : INT64_MAX;
    const std::int64_t periodNs = m_options.rate > 0 ? std::int64_t(double(kNsPerSecond) / m_options.rate) : 0;

    const int senders = senderCount();
    for (int s = 0; s < senders; ++s) {
        m_senderOf[std::size_t(sender(s).index())] = s;
        // Stagger fixed-rate senders so they do not all fire in the same tick.
        sender(s).nextDueNs = m_sendStartNs + periodNs * s / senders;
    }
    if (senders < m_spec.senders && m_report.firstError.empty())
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
    const std::int64_t benchCpuNs = cpuNsOfSelf() - cpuStart;
    if (elapsed > 0)
        m_report.benchCpuPercent = 100.0 * double(benchCpuNs) / double(elapsed);
    if (m_report.deliveries > 0)
        m_report.benchCpuMicrosPerDelivery = double(benchCpuNs) / 1000.0 / double(m_report.deliveries);
    if (serverCpuStart >= 0 && elapsed > 0) {
        const std::int64_t serverNs = serverCpuNs() - serverCpuStart;
        m_report.serverCpuPercent = 100.0 * double(serverNs) / double(elapsed);
        if (m_report.deliveries > 0)
            m_report.serverCpuMicrosPerDelivery = double(serverNs) / 1000.0 / double(m_report.deliveries);
    }
    if (m_lastAcceptNs > m_sendStartNs)
        m_report.messagesPerSecond = double(m_report.accepted) / seconds(m_lastAcceptNs - m_sendStartNs);
    if (m_lastDeliveryNs > m_sendStartNs)
        m_report.deliveriesPerSecond = double(m_report.deliveries) / seconds(m_lastDeliveryNs - m_sendStartNs);
    m_stage = Stage::Settling; // late arrivals from now on are not this phase's
}

void LoadGenerator::finishPhase()
{
    // Every message sent and not refused must reach every registered client.
    const std::uint64_t expected = m_report.sent - m_report.refused;
    m_report.lost = m_ledger->missing(m_receivers, expected);
    m_report.duplicated = m_ledger->duplicates();
    m_report.reordered = m_ledger->outOfOrder();
    m_report.latencyP50Ms = double(m_latency.percentile(0.50)) / 1000.0;
    m_report.latencyP90Ms = double(m_latency.percentile(0.90)) / 1000.0;
    m_report.latencyP99Ms = double(m_latency.percentile(0.99)) / 1000.0;
    m_report.latencyMaxMs = double(m_latency.max()) / 1000.0;
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
    const std::uint64_t expected = m_report.sent - m_report.refused;
    return m_ledger->uniqueDeliveries() >= expected * m_receivers.size();
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
    // The text carries who sent it, the phase, its sequence number and the
    // send time, padded to the phase's size: "b3:0:17:<monotonic ns>:xxxx".
    m_frame = "{\"type\":\"say\",\"text\":\"";
    const std::size_t textStart = m_frame.size();
    m_frame += sender.nick();
    m_frame += ':';
    m_frame += std::to_string(m_phaseIndex);
    m_frame += ':';
    m_frame += std::to_string(sender.nextSeq);
    m_frame += ':';
    m_frame += std::to_string(sentAtNs);
    m_frame += ':';
    const std::size_t used = m_frame.size() - textStart;
    if (used < std::size_t(m_spec.size))
        m_frame.append(std::size_t(m_spec.size) - used, 'x');
    m_frame += "\"}\n";

    sender.outstandingSeqs().push_back(sender.nextSeq);
    ++sender.nextSeq;
    ++m_report.sent;
    if (!sender.send(m_frame)) {
        fail(sender, "write failed while sending");
        return;
    }
    watchWrites(sender, sender.hasPendingOutput());
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
        epoll_event event{};
        event.events = EPOLLIN | EPOLLOUT;
        event.data.u32 = std::uint32_t(connection.index());
        ::epoll_ctl(m_epoll.get(), EPOLL_CTL_ADD, connection.fd(), &event);
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
        watchWrites(connection, connection.hasPendingOutput());
    }
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
        readFrom(connection);
}

void LoadGenerator::finishConnect(BenchConnection &connection)
{
    const int error = connection.connectResult();
    if (error != 0) {
        fail(connection, std::string("connect: ") + std::strerror(error));
        return;
    }
    connection.setState(BenchConnection::State::WaitingForWelcome);
    const std::string hello =
        "{\"type\":\"hello\",\"nick\":\"" + connection.nick() + "\",\"client\":\"chat-bench/1\"}\n";
    if (!connection.send(hello)) {
        fail(connection, "write failed sending hello");
        return;
    }
    // The socket was registered for EPOLLOUT while connecting.
    connection.watchingWrites = true;
    watchWrites(connection, connection.hasPendingOutput());
}

void LoadGenerator::readFrom(BenchConnection &connection)
{
    const BenchConnection::ReadResult result = connection.read(m_scratch.data(), m_scratch.size());
    if (result == BenchConnection::ReadResult::WouldBlock)
        return;
    if (result == BenchConnection::ReadResult::Closed) {
        fail(connection, "the server closed the connection");
        return;
    }
    // One timestamp per read: the moment these bytes reached the client.
    m_readNs = nowNs();
    m_lastInputNs = m_readNs;
    std::string_view line;
    while (connection.state() != BenchConnection::State::Failed && connection.nextLine(line))
        handleLine(connection, line);
    if (connection.state() != BenchConnection::State::Failed)
        connection.compactInput();
}

void LoadGenerator::handleLine(BenchConnection &connection, std::string_view line)
{
    // JSON clients ignore lines that are not JSON objects (the greeting).
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] != '{')
        return;
    if (!JsonLine::parse(line, m_fields))
        return;

    if (m_fields.type == "message") {
        if (connection.state() == BenchConnection::State::Registered)
            handleMessage(connection);
        return;
    }
    m_lastControlNs = m_readNs;
    if (m_fields.type == "error") {
        handleError(connection);
        return;
    }
    if (m_fields.type == "welcome" && connection.state() == BenchConnection::State::WaitingForWelcome) {
        connection.setState(BenchConnection::State::Registered);
        --m_inFlight;
        ++m_settled;
    }
}

void LoadGenerator::handleMessage(BenchConnection &receiver)
{
    const std::int64_t now = m_readNs;
    const std::string_view text = m_fields.text;
    const std::string &prefix = m_options.prefix;
    // "<prefix><client>:<phase>:<seq>:<ns>:" — anything else (another copy's
    // traffic, a late message of an earlier phase) is not counted.
    std::size_t pos = prefix.size();
    std::int64_t nickIndex = 0;
    std::int64_t phase = 0;
    std::int64_t seq = 0;
    std::int64_t sentNs = 0;
    auto field = [&text, &pos](std::int64_t &value) {
        return readNumber(text, pos, value) && pos < text.size() && text[pos++] == ':';
    };
    const bool ours =
        text.compare(0, prefix.size(), prefix) == 0 && field(nickIndex) && field(phase) && field(seq) && field(sentNs);
    if (!ours || m_stage != Stage::Sending || phase != m_phaseIndex || seq < 0 || seq >= m_spec.messages ||
        nickIndex < 0 || nickIndex >= std::int64_t(m_senderOf.size())) {
        ++m_report.foreign;
        return;
    }
    // Nicks carry client indexes; the ledger counts senders from 0.
    const int sender = m_senderOf[std::size_t(nickIndex)];
    if (sender < 0) {
        ++m_report.foreign;
        return;
    }
    if (text.size() != std::size_t(m_spec.size) || m_fields.from != m_connections[std::size_t(nickIndex)]->nick() ||
        m_fields.id < 0)
        ++m_report.corrupt;

    ++m_report.deliveries;
    m_lastDeliveryNs = now;
    m_latency.record((now - sentNs) / 1000);
    m_ledger->record(receiver.index(), sender, int(seq), m_fields.id);

    if (receiver.index() != int(nickIndex))
        return;
    // The sender's own copy: the server accepted the message.
    auto &outstanding = receiver.outstandingSeqs();
    const auto it = std::find(outstanding.begin(), outstanding.end(), int(seq));
    if (it != outstanding.end()) {
        outstanding.erase(it);
        ++m_report.accepted;
        m_lastAcceptNs = now;
    }
}

void LoadGenerator::handleError(BenchConnection &connection)
{
    ++m_report.errorFrames;
    if (m_report.firstError.empty())
        m_report.firstError = "error frame " + std::string(m_fields.code) + " (ref " + std::string(m_fields.ref) + ")";
    if (connection.state() == BenchConnection::State::WaitingForWelcome) {
        fail(connection, "hello refused: " + std::string(m_fields.code));
        return;
    }
    // Replies come in request order: a refused say is the oldest outstanding.
    if (m_fields.ref == "say" && !connection.outstandingSeqs().empty()) {
        connection.outstandingSeqs().pop_front();
        ++m_report.refused;
    }
}

void LoadGenerator::watchWrites(BenchConnection &connection, bool wanted)
{
    if (!connection.fdOpen() || connection.watchingWrites == wanted)
        return;
    connection.watchingWrites = wanted;
    epoll_event event{};
    event.events = EPOLLIN | (wanted ? EPOLLOUT : 0u);
    event.data.u32 = std::uint32_t(connection.index());
    ::epoll_ctl(m_epoll.get(), EPOLL_CTL_MOD, connection.fd(), &event);
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
