// SPDX-License-Identifier: MIT
#include "moderation.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QLoggingCategory>

#include <memory>

Q_LOGGING_CATEGORY(lcModeration, "qtchat.server.moderation")

namespace {

constexpr qint64 kMsecsPerSecond = 1000;

QByteArray hashOf(const QString &password)
{
    return QCryptographicHash::hash(password.toUtf8(), QCryptographicHash::Sha256);
}

Moderation::Clock steadyClock()
{
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    return [timer] { return timer->elapsed(); };
}

} // namespace

Moderation::Moderation(const QString &password, Clock clock)
    : m_passwordHash(password.isEmpty() ? QByteArray() : hashOf(password))
    , m_clock(clock ? std::move(clock) : steadyClock())
{}

bool Moderation::passwordMatches(const QString &password) const
{
    // Digests of equal length, compared without an early exit, so the time
    // taken tells nothing about the password.
    const QByteArray given = hashOf(password);
    char difference = 0;
    for (qsizetype i = 0; i < given.size(); ++i)
        difference |= char(given.at(i) ^ m_passwordHash.at(i));
    return difference == 0;
}

Moderation::OpAttempt Moderation::tryOp(Wire::ConnectionId id, const QString &password)
{
    using Outcome = OpAttempt::Outcome;
    if (!isEnabled())
        return {Outcome::Disabled};
    if (m_ops.contains(id))
        return {Outcome::AlreadyOp};

    const qint64 t = now();
    while (!m_failures.isEmpty() && t - m_failures.first() >= kFailureWindowMsecs)
        m_failures.removeFirst();
    qint64 wait = m_retryAt.value(id, t) - t;
    if (m_failures.size() >= kMaxFailures)
        wait = std::max(wait, m_failures.first() + kFailureWindowMsecs - t);
    if (wait > 0) {
        // Not even checked: a locked-out guess must not reveal whether it was right.
        qCWarning(lcModeration) << "connection" << id << "tried /op while locked out";
        return {Outcome::Locked, wait};
    }

    if (!passwordMatches(password)) {
        m_failures.append(t);
        m_retryAt.insert(id, t + kRetryMsecs);
        qCWarning(lcModeration) << "connection" << id << "gave a wrong operator password;" << m_failures.size()
                                << "wrong in the last minute";
        return {Outcome::Wrong};
    }
    m_retryAt.remove(id);
    m_ops.insert(id);
    qCInfo(lcModeration) << "connection" << id << "is now an operator";
    return {Outcome::Granted};
}

void Moderation::mute(const QString &nickKey, qint64 msecs)
{
    m_mutedUntil.insert(nickKey, now() + msecs);
}

bool Moderation::unmute(const QString &nickKey)
{
    const bool wasMuted = muteLeft(nickKey) > 0;
    m_mutedUntil.remove(nickKey);
    return wasMuted;
}

qint64 Moderation::muteLeft(const QString &nickKey)
{
    const auto it = m_mutedUntil.constFind(nickKey);
    if (it == m_mutedUntil.cend())
        return 0;
    const qint64 left = *it - now();
    if (left > 0)
        return left;
    m_mutedUntil.erase(it);
    return 0;
}

void Moderation::renamed(const QString &oldKey, const QString &newKey)
{
    if (oldKey == newKey)
        return;
    const auto it = m_mutedUntil.constFind(oldKey);
    if (it == m_mutedUntil.cend())
        return;
    const qint64 until = *it;
    m_mutedUntil.erase(it);
    // Never shortens a mute the new name already had.
    m_mutedUntil.insert(newKey, std::max(until, m_mutedUntil.value(newKey, until)));
}

qint64 Moderation::slowWait(Wire::ConnectionId id) const
{
    if (m_slowSeconds <= 0 || m_ops.contains(id))
        return 0;
    const auto last = m_lastPost.constFind(id);
    if (last == m_lastPost.cend())
        return 0;
    return std::max<qint64>(0, *last + m_slowSeconds * kMsecsPerSecond - now());
}

void Moderation::posted(Wire::ConnectionId id)
{
    m_lastPost.insert(id, now());
}

void Moderation::forget(Wire::ConnectionId id)
{
    m_ops.remove(id);
    m_lastPost.remove(id);
    m_retryAt.remove(id);
}
