// SPDX-License-Identifier: MIT
#include "outbox.h"

#include "validation.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <memory>

using namespace Protocol;

namespace {

// How long sending pauses after the server answered `rate-limited`.
constexpr int kRateLimitedPauseMsecs = 1000;

} // namespace

Outbox::Outbox(Clock clock) : m_clock(std::move(clock))
{
    if (!m_clock) {
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        m_clock = [timer] { return timer->elapsed(); };
    }
    m_lastRefill = m_clock();
}

void Outbox::enqueue(const ClientFrame &frame)
{
    m_queued.append(Entry{frame, false});
    if (isMessage(frame))
        ++m_queuedMessages;
}

void Outbox::setRate(double framesPerSecond, int burst)
{
    m_rate = std::max(0.0, framesPerSecond);
    m_burst = std::max(1, burst);
    resetPacing();
}

void Outbox::resetPacing()
{
    m_tokens = m_burst;
    m_lastRefill = m_clock();
    m_holdUntil = 0;
}

void Outbox::refill()
{
    const qint64 now = m_clock();
    m_tokens = std::min(m_burst, m_tokens + double(now - m_lastRefill) * m_rate / 1000.0);
    m_lastRefill = now;
}

void Outbox::spendToken()
{
    if (m_rate <= 0)
        return;
    refill();
    // Control frames may overdraw a little; the next message waits for it.
    m_tokens = std::max(-m_burst, m_tokens - 1.0);
}

int Outbox::msecsUntilNextSend()
{
    const qint64 now = m_clock();
    const int hold = int(std::max<qint64>(0, m_holdUntil - now));
    if (m_rate <= 0)
        return hold;
    refill();
    const double missing = 1.0 - m_tokens;
    const int refillWait = missing <= 0 ? 0 : int(std::ceil(missing * 1000.0 / m_rate));
    return std::max(hold, refillWait);
}

ClientFrame Outbox::takeNextToSend()
{
    Entry entry = m_queued.takeFirst();
    m_putBack = std::max<qsizetype>(0, m_putBack - 1);
    if (!isMessage(entry.frame))
        return entry.frame;
    --m_queuedMessages;
    m_inFlight.append(entry);
    return entry.frame;
}

bool Outbox::isMessage(const ClientFrame &frame)
{
    return std::holds_alternative<Say>(frame) || std::holds_alternative<Whisper>(frame);
}

bool Outbox::isKind(const Entry &entry, Kind kind)
{
    return kind == Kind::Say ? std::holds_alternative<Say>(entry.frame) : std::holds_alternative<Whisper>(entry.frame);
}

bool Outbox::confirmFirstInFlight(Kind kind)
{
    if (m_inFlight.isEmpty() || !isKind(m_inFlight.first(), kind))
        return false;
    m_inFlight.removeFirst();
    return true;
}

void Outbox::retryFirstInFlight(Kind kind)
{
    if (m_inFlight.isEmpty() || !isKind(m_inFlight.first(), kind))
        return;
    // Refused, so certainly not delivered.
    Entry entry = m_inFlight.takeFirst();
    entry.maybeDelivered = false;
    putBack(std::move(entry));
    m_tokens = std::min(m_tokens, 0.0);
    m_holdUntil = m_clock() + kRateLimitedPauseMsecs;
}

bool Outbox::retryUnavailableFirstInFlight()
{
    if (m_inFlight.isEmpty() || !isKind(m_inFlight.first(), Kind::Say))
        return false;
    Entry &first = m_inFlight.first();
    if (std::get<Say>(first.frame).cid.isEmpty() || first.unavailableRefusals >= kMaxUnavailableRetries)
        return false;
    Entry entry = m_inFlight.takeFirst();
    ++entry.unavailableRefusals;
    // A refusal after Redis timed out may hide a post that was carried out:
    // the history after a reconnect, or the server by its cid, settles it.
    entry.maybeDelivered = true;
    putBack(std::move(entry));
    m_holdUntil = m_clock() + kUnavailablePauseMsecs;
    return true;
}

bool Outbox::retryBusyFirstInFlight(Kind kind)
{
    if (m_inFlight.isEmpty() || !isKind(m_inFlight.first(), kind) || m_inFlight.first().busyRefusals >= kMaxBusyRetries)
        return false;
    Entry entry = m_inFlight.takeFirst();
    ++entry.busyRefusals;
    // This attempt was refused unseen; an earlier one may still be unsettled.
    putBack(std::move(entry));
    m_holdUntil = m_clock() + kBusyPauseMsecs;
    return true;
}

void Outbox::putBack(Entry entry)
{
    // Behind those put back before it, which were sent before it: a run of
    // refusals (every message in flight when Redis went away) keeps its order.
    m_queued.insert(m_putBack, std::move(entry));
    ++m_putBack;
    ++m_queuedMessages;
}

void Outbox::requeueInFlight()
{
    for (Entry &entry : m_inFlight) {
        entry.maybeDelivered = true;
        putBack(std::move(entry));
    }
    m_inFlight.clear();
}

void Outbox::forgetInFlight()
{
    m_inFlight.clear();
}

bool Outbox::isSettledBy(const Entry &entry, const QString &roomKey)
{
    const auto *say = std::get_if<Say>(&entry.frame);
    if (!say)
        return roomKey == Validation::roomKey(lobby());
    return Validation::roomKey(roomOrLobby(say->room)) == roomKey;
}

void Outbox::confirmFromHistory(const QList<ChatMessage> &history, const QString &self, qint64 afterId,
                                const QString &room)
{
    const QString selfKey = Validation::nickKey(self);
    const QString roomKey = Validation::roomKey(roomOrLobby(room));
    for (const ChatMessage &message : history) {
        if (message.id <= afterId || Validation::nickKey(message.from) != selfKey)
            continue;
        const auto match = std::find_if(m_queued.begin(), m_queued.end(), [&](const Entry &entry) {
            const auto *say = std::get_if<Say>(&entry.frame);
            return entry.maybeDelivered && say && isSettledBy(entry, roomKey) && say->text == message.text &&
                   say->action == message.action;
        });
        if (match != m_queued.end()) {
            if (match - m_queued.begin() < m_putBack)
                --m_putBack;
            m_queued.erase(match);
            --m_queuedMessages;
        }
    }
    for (Entry &entry : m_queued) {
        if (isSettledBy(entry, roomKey))
            entry.maybeDelivered = false;
    }
}
