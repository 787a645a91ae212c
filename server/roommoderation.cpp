// SPDX-License-Identifier: MIT
// Room's moderation requests (docs/protocol.md, "Moderation"); room.cpp has
// the rest of the room, roomevents.cpp what it does with what its backend says.
#include "room.h"

#include "frametypename.h"
#include "timestamp.h"
#include "validation.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcRoom)

namespace {
constexpr qint64 kMsecsPerSecond = 1000;

// Rounded up, so "wait 1 s" is never too short.
qint64 secondsFrom(qint64 msecs)
{
    return (msecs + kMsecsPerSecond - 1) / kMsecsPerSecond;
}

QString durationText(qint64 msecs)
{
    const qint64 seconds = secondsFrom(msecs);
    if (seconds < 60)
        return u"%1 s"_s.arg(seconds);
    const qint64 minutes = (seconds + 59) / 60;
    return u"%1 min"_s.arg(minutes);
}
} // namespace

void Room::op(const Requester &from, const Op &op)
{
    const Moderation::OpAttempt attempt = m_moderation.tryOp(from.id, op.password);
    using Outcome = Moderation::OpAttempt::Outcome;
    switch (attempt.outcome) {
    case Outcome::Disabled:
        reply(from,
              Error{ErrorCode::OpDisabled, u"this server has no operators (it was started without an admin password)"_s,
                    typeName<Op>()});
        return;
    case Outcome::Wrong:
        reply(from, Error{ErrorCode::WrongPassword, u"wrong operator password"_s, typeName<Op>()});
        return;
    case Outcome::Locked:
        reply(from, Error{ErrorCode::RateLimited,
                          u"too many wrong passwords; try again in %1"_s.arg(durationText(attempt.waitMsecs)),
                          typeName<Op>(), secondsFrom(attempt.waitMsecs)});
        return;
    case Outcome::AlreadyOp:
        // Confirmed to the asker only: nothing changed for the others.
        reply(from, Opped{from.nick, Timestamp::now()});
        return;
    case Outcome::Granted:
        qCInfo(lcRoom).noquote() << from.nick << "is now an operator";
        // Unavailable: an operator here all the same; listed once Redis is back.
        share(from, Opped{from.nick, Timestamp::now()}, typeName<Op>());
        return;
    }
}

bool Room::checkOperator(const Requester &from, const QString &ref)
{
    if (m_moderation.isOp(from.id))
        return true;
    const QString why = m_moderation.isEnabled() ? u"only operators can use /%1 (see /op)"_s.arg(ref)
                                                 : u"only operators can use /%1, and this server has none"_s.arg(ref);
    reply(from, Error{ErrorCode::NotOperator, why, ref});
    return false;
}

std::optional<std::pair<QString, QString>> Room::operatorTarget(const Requester &from, const QString &nick,
                                                                const QString &ref)
{
    if (!checkOperator(from, ref))
        return std::nullopt;
    return findUser(from, nick, ref);
}

std::optional<std::pair<QString, QString>> Room::findUser(const Requester &from, const QString &nick,
                                                          const QString &ref)
{
    const QString key = Validation::nickKey(nick);
    if (!m_roster.contains(key)) {
        reply(from, Error{ErrorCode::NoSuchUser, u"no user named %1"_s.arg(nick), ref});
        return std::nullopt;
    }
    return std::pair{key, m_roster.nick(key)};
}

bool Room::mayPost(const Requester &from, const QString &ref, bool slowModeApplies)
{
    if (const qint64 left = m_moderation.muteLeft(Validation::nickKey(from.nick)); left > 0) {
        reply(from, Error{ErrorCode::Muted, u"you are muted for another %1"_s.arg(durationText(left)), ref,
                          secondsFrom(left)});
        return false;
    }
    if (!slowModeApplies)
        return true;
    if (const qint64 wait = m_moderation.slowWait(from.id); wait > 0) {
        reply(from, Error{ErrorCode::SlowMode,
                          u"slow mode is on (one message per %1 s): wait %2 before your next message"_s.arg(
                              QString::number(m_moderation.slowSeconds()), durationText(wait)),
                          ref, secondsFrom(wait)});
        return false;
    }
    return true;
}

void Room::kick(const Requester &from, const Kick &kick)
{
    const std::optional<std::pair<QString, QString>> target = operatorTarget(from, kick.nick, typeName<Kick>());
    if (!target)
        return;
    QString reason;
    if (!kick.reason.trimmed().isEmpty()) {
        // Shown to everyone, so it obeys the rules for message text.
        const Validation::TextResult checked = Validation::checkText(kick.reason);
        if (!checked.isValid()) {
            reply(from, Error{ErrorCode::TextInvalid, Validation::describe(checked), typeName<Kick>()});
            return;
        }
        reason = checked.text;
    }
    const ServerBye bye{leaveReasonName(LeaveReason::Kicked), from.nick, reason};
    // The reason is text people wrote, like a message: only at debug level,
    // where message texts are logged too (README, --log-level).
    qCInfo(lcRoom).noquote() << from.nick << "kicked" << target->second;
    qCDebug(lcRoom).noquote() << "kick reason:" << reason;
    // Carried out where the target is, when the backend says so (apply()).
    sendToUser(from, {target->first, kick.nick}, RoomStream::Kind::Kick, bye, typeName<Kick>());
}

void Room::kickHere(Wire::ConnectionId id, const ServerBye &bye)
{
    const auto target = m_members.constFind(id);
    if (target == m_members.cend())
        return;
    // A copy: removeMember() erases the entry `target` points to.
    const Member member = *target; // NOLINT(performance-unnecessary-copy-initialization)
    removeMember(id, LeaveReason::Kicked, bye.message, bye.by);
    member.channel->queueClose(id, Wire::encode(member.mode, bye, member.nick));
}

void Room::mute(const Requester &from, const Mute &mute)
{
    const std::optional<std::pair<QString, QString>> target = operatorTarget(from, mute.nick, typeName<Mute>());
    if (!target)
        return;
    const qint64 minutes = mute.minutes.value_or(kDefaultMuteMinutes);
    if (minutes > kMaxMuteMinutes) {
        reply(from,
              Error{ErrorCode::BadFrame, u"a mute lasts at most %1 minutes"_s.arg(kMaxMuteMinutes), typeName<Mute>()});
        return;
    }
    const QString nick = target->second;
    if (minutes == 0) {
        unmute(from, Unmute{nick});
        return;
    }
    qCInfo(lcRoom).noquote() << from.nick << "muted" << nick << "for" << minutes << "minutes";
    const QDateTime now = Timestamp::now();
    share(from, Muted{nick, from.nick, minutes, now.addSecs(minutes * 60), now}, typeName<Mute>());
}

void Room::unmute(const Requester &from, const Unmute &unmute)
{
    const std::optional<std::pair<QString, QString>> target = operatorTarget(from, unmute.nick, typeName<Unmute>());
    if (!target)
        return;
    qCInfo(lcRoom).noquote() << from.nick << "unmuted" << target->second;
    share(from, Unmuted{target->second, from.nick, Timestamp::now()}, typeName<Unmute>());
}

void Room::slow(const Requester &from, const Slow &slow)
{
    if (!checkOperator(from, typeName<Slow>()))
        return;
    if (slow.seconds > kMaxSlowSeconds) {
        reply(from, Error{ErrorCode::BadFrame, u"slow mode allows at most %1 seconds"_s.arg(kMaxSlowSeconds),
                          typeName<Slow>()});
        return;
    }
    qCInfo(lcRoom).noquote() << from.nick << "set slow mode to" << slow.seconds << "s";
    share(from, SlowMode{slow.seconds, from.nick, Timestamp::now()}, typeName<Slow>());
}

qint64 Room::msecsUntil(const QDateTime &until)
{
    return std::max<qint64>(0, Timestamp::now().msecsTo(until));
}

void Room::applyModeration(const ServerFrame &frame)
{
    if (const auto *muted = std::get_if<Muted>(&frame))
        m_moderation.mute(Validation::nickKey(muted->nick), msecsUntil(muted->until));
    else if (const auto *unmuted = std::get_if<Unmuted>(&frame))
        m_moderation.unmute(Validation::nickKey(unmuted->nick));
    else if (const auto *slowMode = std::get_if<SlowMode>(&frame))
        m_moderation.setSlowSeconds(slowMode->seconds);
}
