// SPDX-License-Identifier: MIT
#pragma once

#include "wire.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <functional>

// The room's moderation state (docs/protocol.md, "Moderation"): who is an
// operator, who is muted until when, slow mode, and the guard against
// guessing the operator password. It decides; the Room tells people.
//
// Times come from a monotonic millisecond clock that tests replace, so
// expiry is checked when it matters (the next post) rather than on a timer.
class Moderation final
{
public:
    using Clock = std::function<qint64()>;

    // Operator password attempts: a wrong one makes its connection wait
    // kRetryMsecs, and after kMaxFailures wrong ones within kFailureWindowMsecs
    // (from anyone) every attempt is refused until the window has passed, so
    // reconnecting does not buy more guesses.
    static constexpr qint64 kRetryMsecs = 3000;
    static constexpr int kMaxFailures = 5;
    static constexpr qint64 kFailureWindowMsecs = 60 * 1000;

    struct OpAttempt {
        enum class Outcome { Granted, AlreadyOp, Disabled, Wrong, Locked };
        Outcome outcome = Outcome::Disabled;
        qint64 waitMsecs = 0; // for Locked
    };

    // An empty password disables /op. An empty clock uses a steady clock.
    Moderation(const QString &password, Clock clock);

    bool isEnabled() const { return !m_passwordHash.isEmpty(); }
    OpAttempt tryOp(Wire::ConnectionId id, const QString &password);
    bool isOp(Wire::ConnectionId id) const { return m_ops.contains(id); }

    // Mutes follow the nickname key, so leaving and rejoining does not lift them.
    void mute(const QString &nickKey, qint64 msecs);
    bool unmute(const QString &nickKey);
    // Milliseconds of mute left, 0 when not muted (an expired mute is dropped).
    qint64 muteLeft(const QString &nickKey);
    void renamed(const QString &oldKey, const QString &newKey);

    void setSlowSeconds(qint64 seconds) { m_slowSeconds = seconds; }
    qint64 slowSeconds() const { return m_slowSeconds; }
    // Milliseconds before `id` may post again under slow mode, 0 if now.
    qint64 slowWait(Wire::ConnectionId id) const;
    void posted(Wire::ConnectionId id);

    // The connection is gone: its op status, last post and retry delay with it.
    void forget(Wire::ConnectionId id);

private:
    qint64 now() const { return m_clock(); }
    bool passwordMatches(const QString &password) const;

    QByteArray m_passwordHash;
    Clock m_clock;
    QSet<Wire::ConnectionId> m_ops;
    QHash<QString, qint64> m_mutedUntil;          // nick key -> clock time
    QHash<Wire::ConnectionId, qint64> m_lastPost; // clock time
    QHash<Wire::ConnectionId, qint64> m_retryAt;  // clock time
    QList<qint64> m_failures;                     // clock times within the window
    qint64 m_slowSeconds = 0;
};
