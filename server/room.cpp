// SPDX-License-Identifier: MIT
#include "room.h"

#include "handoff.h"
#include "timestamp.h"
#include "validation.h"
#include "worker.h"

#include <QLoggingCategory>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_LOGGING_CATEGORY(lcRoom, "qtchat.server.room")

namespace {
const QString kServerName = u"chat-server/" QTCHAT_VERSION ""_s;
const QString kGuestPrefix = u"guest"_s;
// The characters (UTF-16 units) of text and sender names a resuming
// `welcome` carries at most: about 3 MiB of UTF-8 at worst, within the
// default 4 MiB send queue and the 16 MiB line the project's clients accept.
constexpr qsizetype kMaxResumeTextChars = 1024 * 1024;

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

struct RoomRequestVisitor {
    Room *room;
    const Room::Requester &from;

    void operator()(const Hello &f) const { room->hello(from, f); }
    void operator()(const Say &f) const { room->say(from, f); }
    void operator()(const Whisper &f) const { room->whisper(from, f); }
    void operator()(const Nick &f) const { room->rename(from, f); }
    void operator()(const Who &) const { room->reply(from, Users{room->users(), room->operators()}); }
    void operator()(const Ping &f) const { room->reply(from, Pong{f.id}); }
    void operator()(const Bye &f) const { room->bye(from, f); }
    void operator()(const Op &f) const { room->op(from, f); }
    void operator()(const Kick &f) const { room->kick(from, f); }
    void operator()(const Mute &f) const { room->mute(from, f); }
    void operator()(const Unmute &f) const { room->unmute(from, f); }
    void operator()(const Slow &f) const { room->slow(from, f); }
};

Room::Room(const ServerConfig &config, std::unique_ptr<MessageLog> log, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_log(std::move(log))
    , m_moderation(config.adminPassword, config.moderationClock)
{
}

Room::~Room() = default;

void Room::handle(Wire::ConnectionId id, Worker *worker, Wire::Mode mode, const Wire::Request &request)
{
    const auto member = m_members.constFind(id);
    Requester from{id, worker, mode, member == m_members.cend() ? QString() : member->nick};
    // A text-mode user joins as a guest with their first line, whatever it
    // is: a message, a command, even one that is only answered locally.
    if (from.nick.isEmpty() && mode == Wire::Mode::Text) {
        from.nick = freeGuestNick();
        admit(from, from.nick);
    }

    if (const auto *error = std::get_if<Error>(&request.body)) {
        reply(from, *error);
        return;
    }
    if (const auto *lines = std::get_if<QStringList>(&request.body)) {
        if (mode == Wire::Mode::Text)
            send(worker, id, Wire::textLines(*lines));
        return;
    }
    dispatch(from, std::get<ClientFrame>(request.body));
}

void Room::dispatch(const Requester &from, const ClientFrame &frame)
{
    if (from.nick.isEmpty() && !std::holds_alternative<Hello>(frame) && !std::holds_alternative<Ping>(frame)
        && !std::holds_alternative<Bye>(frame)) {
        reply(from, Error{ErrorCode::NotRegistered, u"send a hello with your nickname first"_s, typeName(frame)});
        return;
    }
    std::visit(RoomRequestVisitor{this, from}, frame);
}

void Room::hello(const Requester &from, const Hello &hello)
{
    if (!from.nick.isEmpty()) {
        reply(from, Error{ErrorCode::AlreadyRegistered, u"you are already registered as %1"_s.arg(from.nick),
                          u"hello"_s});
        return;
    }
    if (const std::optional<QString> nick = checkNickFor(from, hello.nick, u"hello"_s))
        admit(from, *nick, hello.since);
}

void Room::admit(const Requester &from, const QString &nick, std::optional<qint64> since)
{
    m_members.insert(from.id, Member{nick, from.worker, from.mode});
    m_idByKey.insert(Validation::nickKey(nick), from.id);
    if (from.mode == Wire::Mode::Text)
        ++m_textMembers;
    qCInfo(lcRoom).noquote() << "connection" << from.id << "joined as" << nick;

    reply(Requester{from.id, from.worker, from.mode, nick}, welcomeFor(nick, since));
    setMember(from.worker, from.id, true);
    publish(Joined{nick, Timestamp::now()}, from.id);
}

Welcome Room::welcomeFor(const QString &nick, std::optional<qint64> since) const
{
    Welcome welcome{nick, users(), {}, kServerName, kVersion};
    welcome.ops = operators();
    welcome.slow = int(m_moderation.slowSeconds());
    if (m_config.history == 0)
        return welcome;
    // An id this log never handed out (a client of an earlier, in-memory
    // server) says nothing about what was missed: the usual history then.
    if (!since || *since >= m_log->nextId()) {
        welcome.history = m_log->last(m_config.history);
        return welcome;
    }
    MessageLog::Page page = m_log->after(*since, kMaxResumeMessages);
    // Bound the frame too: 1000 messages of 4000 characters would exceed
    // what a client accepts in one line, and the connection's send queue.
    qsizetype chars = 0;
    qsizetype keep = 0;
    for (auto it = page.messages.crbegin(); it != page.messages.crend(); ++it, ++keep) {
        chars += it->text.size() + it->from.size();
        if (chars > kMaxResumeTextChars)
            break;
    }
    if (keep < page.messages.size()) {
        page.messages.remove(0, page.messages.size() - keep);
        page.truncated = true;
    }
    welcome.history = std::move(page.messages);
    welcome.truncated = page.truncated;
    return welcome;
}

void Room::say(const Requester &from, const Say &say)
{
    if (!mayPost(from, u"say"_s, true))
        return;
    const Validation::TextResult text = Validation::checkText(say.text);
    if (!text.isValid()) {
        reply(from, Error{ErrorCode::TextInvalid, Validation::describe(text), u"say"_s});
        return;
    }
    const MessageLog::Appended stored =
        m_log->append(ChatMessage{0, from.nick, text.text, Timestamp::now(), say.action});
    if (const auto *error = std::get_if<QString>(&stored)) {
        // The log said why (and logged it); the sender learns it was not sent, and may try again.
        qCWarning(lcRoom).noquote() << "message from" << from.nick << "refused: the store failed:" << *error;
        reply(from, Error{ErrorCode::StoreFailed,
                          u"the server could not store your message, so it was not sent; try again later"_s, u"say"_s});
        return;
    }
    const ChatMessage &message = std::get<ChatMessage>(stored);
    m_moderation.posted(from.id);
    qCDebug(lcRoom).noquote() << "message" << message.id << "from" << message.from << ":" << message.text;
    publish(message);
}

void Room::whisper(const Requester &from, const Whisper &whisper)
{
    // Muted users cannot whisper either; slow mode is about the room, whispers are not.
    if (!mayPost(from, u"whisper"_s, false))
        return;
    const auto recipientId = m_idByKey.constFind(Validation::nickKey(whisper.to));
    if (recipientId == m_idByKey.cend()) {
        reply(from, Error{ErrorCode::NoSuchUser, u"no user named %1"_s.arg(whisper.to), u"whisper"_s});
        return;
    }
    const Validation::TextResult text = Validation::checkText(whisper.text);
    if (!text.isValid()) {
        reply(from, Error{ErrorCode::TextInvalid, Validation::describe(text), u"whisper"_s});
        return;
    }
    const Member &recipient = m_members[*recipientId];
    const WhisperMessage frame{from.nick, recipient.nick, text.text, Timestamp::now()};
    qCDebug(lcRoom).noquote() << "whisper from" << frame.from << "to" << frame.to << ":" << frame.text;
    reply(Requester{*recipientId, recipient.worker, recipient.mode, recipient.nick}, frame);
    if (*recipientId != from.id)
        reply(from, frame);
}

void Room::rename(const Requester &from, const Nick &request)
{
    const std::optional<QString> nick = checkNickFor(from, request.nick, u"nick"_s);
    if (!nick)
        return;
    m_idByKey.remove(Validation::nickKey(from.nick));
    m_idByKey.insert(Validation::nickKey(*nick), from.id);
    m_moderation.renamed(Validation::nickKey(from.nick), Validation::nickKey(*nick));
    m_members[from.id].nick = *nick;
    qCInfo(lcRoom).noquote() << from.nick << "is now" << *nick;
    publish(Renamed{from.nick, *nick, Timestamp::now()});
}

void Room::bye(const Requester &from, const Bye &bye)
{
    // The reason is shown to everyone, so it obeys the rules for text (no
    // terminal escapes for text-mode users); one that does not is left out.
    const Validation::TextResult reason = Validation::checkText(bye.reason);
    removeMember(from.id, LeaveReason::Quit, reason.isValid() ? reason.text : QString());
    closeAfter(from.worker, from.id, Wire::encode(from.mode, ServerBye{leaveReasonName(LeaveReason::Quit)}));
}

void Room::leave(Wire::ConnectionId id, Worker *worker, Wire::Mode mode, LeaveReason reason,
                 const Wire::LastWords &last)
{
    const QString nick = m_members.value(id).nick;
    removeMember(id, reason, {});
    if (last.frame)
        closeAfter(worker, id, Wire::encode(mode, *last.frame, nick));
}

void Room::removeMember(Wire::ConnectionId id, LeaveReason reason, const QString &message, const QString &by)
{
    const auto member = m_members.constFind(id);
    if (member == m_members.cend())
        return;
    const QString nick = member->nick;
    if (member->mode == Wire::Mode::Text)
        --m_textMembers;
    setMember(member->worker, id, false);
    m_idByKey.remove(Validation::nickKey(nick));
    m_members.erase(member);
    m_moderation.forget(id);
    qCInfo(lcRoom).noquote() << nick << "left:" << leaveReasonName(reason);
    publish(Left{nick, reason, Timestamp::now(), message.left(kMaxTextLength), by});
}

QStringList Room::users() const
{
    QList<std::pair<QString, QString>> keyed; // (key, nick): fold each nick once, not per comparison
    keyed.reserve(m_idByKey.size());
    for (auto it = m_idByKey.cbegin(); it != m_idByKey.cend(); ++it)
        keyed.append({it.key(), m_members.value(it.value()).nick});
    std::sort(keyed.begin(), keyed.end());
    QStringList nicks;
    nicks.reserve(keyed.size());
    for (const auto &[key, nick] : keyed)
        nicks.append(nick);
    return nicks;
}

QStringList Room::operators() const
{
    QStringList ops = users();
    ops.removeIf([this](const QString &nick) { return !m_moderation.isOp(m_idByKey.value(Validation::nickKey(nick))); });
    return ops;
}

QString Room::freeGuestNick() const
{
    for (int n = 1;; ++n) {
        const QString nick = kGuestPrefix + QString::number(n);
        if (!m_idByKey.contains(nick))
            return nick;
    }
}

std::optional<QString> Room::checkNickFor(const Requester &from, const QString &requested, const QString &ref)
{
    const Validation::NickResult checked = Validation::checkNick(requested);
    if (!checked.isValid()) {
        reply(from, Error{ErrorCode::NickInvalid, Validation::describe(checked), ref});
        return std::nullopt;
    }
    const auto holder = m_idByKey.constFind(Validation::nickKey(checked.nick));
    if (holder != m_idByKey.cend() && *holder == from.id && checked.nick == from.nick) {
        reply(from, Error{ErrorCode::NickTaken, u"you are already called %1"_s.arg(checked.nick), ref});
        return std::nullopt;
    }
    if (holder != m_idByKey.cend() && *holder != from.id) {
        reply(from, Error{ErrorCode::NickTaken, u"the nickname %1 is taken"_s.arg(checked.nick), ref});
        return std::nullopt;
    }
    return checked.nick;
}

void Room::reply(const Requester &to, const ServerFrame &frame)
{
    send(to.worker, to.id, Wire::encode(to.mode, frame, to.nick));
}

void Room::publish(const ServerFrame &frame, Wire::ConnectionId except)
{
    const BroadcastPtr broadcast = std::make_shared<const Broadcast>(frame, except, m_textMembers > 0);
    Handoff::send(broadcast.get());
    emit published(broadcast);
}

void Room::send(Worker *worker, Wire::ConnectionId id, const QByteArray &bytes)
{
    QMetaObject::invokeMethod(worker, [worker, id, bytes] { worker->send(id, bytes); }, Qt::QueuedConnection);
}

void Room::closeAfter(Worker *worker, Wire::ConnectionId id, const QByteArray &last)
{
    QMetaObject::invokeMethod(worker, [worker, id, last] { worker->closeAfter(id, last); }, Qt::QueuedConnection);
}

void Room::setMember(Worker *worker, Wire::ConnectionId id, bool member)
{
    QMetaObject::invokeMethod(worker, [worker, id, member] { worker->setMember(id, member); },
                              Qt::QueuedConnection);
}

// ---- moderation ----

void Room::op(const Requester &from, const Op &op)
{
    const Moderation::OpAttempt attempt = m_moderation.tryOp(from.id, op.password);
    using Outcome = Moderation::OpAttempt::Outcome;
    switch (attempt.outcome) {
    case Outcome::Disabled:
        reply(from, Error{ErrorCode::OpDisabled, u"this server has no operators (it was started without an admin password)"_s,
                          u"op"_s});
        return;
    case Outcome::Wrong:
        reply(from, Error{ErrorCode::WrongPassword, u"wrong operator password"_s, u"op"_s});
        return;
    case Outcome::Locked:
        reply(from, Error{ErrorCode::RateLimited,
                          u"too many wrong passwords; try again in %1"_s.arg(durationText(attempt.waitMsecs)), u"op"_s,
                          secondsFrom(attempt.waitMsecs)});
        return;
    case Outcome::AlreadyOp:
        // Confirmed to the asker only: nothing changed for the others.
        reply(from, Opped{from.nick, Timestamp::now()});
        return;
    case Outcome::Granted:
        qCInfo(lcRoom).noquote() << from.nick << "is now an operator";
        publish(Opped{from.nick, Timestamp::now()});
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

std::optional<Wire::ConnectionId> Room::findMember(const Requester &from, const QString &nick, const QString &ref)
{
    const auto id = m_idByKey.constFind(Validation::nickKey(nick));
    if (id == m_idByKey.cend()) {
        reply(from, Error{ErrorCode::NoSuchUser, u"no user named %1"_s.arg(nick), ref});
        return std::nullopt;
    }
    return *id;
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
    if (!checkOperator(from, u"kick"_s))
        return;
    const std::optional<Wire::ConnectionId> targetId = findMember(from, kick.nick, u"kick"_s);
    if (!targetId)
        return;
    QString reason;
    if (!kick.reason.trimmed().isEmpty()) {
        // Shown to everyone, so it obeys the rules for message text.
        const Validation::TextResult checked = Validation::checkText(kick.reason);
        if (!checked.isValid()) {
            reply(from, Error{ErrorCode::TextInvalid, Validation::describe(checked), u"kick"_s});
            return;
        }
        reason = checked.text;
    }
    const Member target = m_members.value(*targetId);
    qCInfo(lcRoom).noquote() << from.nick << "kicked" << target.nick << (reason.isEmpty() ? QString() : reason);
    removeMember(*targetId, LeaveReason::Kicked, reason, from.nick);
    closeAfter(target.worker, *targetId,
               Wire::encode(target.mode, ServerBye{leaveReasonName(LeaveReason::Kicked), from.nick, reason}, target.nick));
}

void Room::mute(const Requester &from, const Mute &mute)
{
    if (!checkOperator(from, u"mute"_s))
        return;
    const std::optional<Wire::ConnectionId> targetId = findMember(from, mute.nick, u"mute"_s);
    if (!targetId)
        return;
    const qint64 minutes = mute.minutes.value_or(kDefaultMuteMinutes);
    if (minutes > kMaxMuteMinutes) {
        reply(from, Error{ErrorCode::BadFrame, u"a mute lasts at most %1 minutes"_s.arg(kMaxMuteMinutes), u"mute"_s});
        return;
    }
    const QString nick = m_members.value(*targetId).nick;
    if (minutes == 0) {
        unmute(from, Unmute{nick});
        return;
    }
    m_moderation.mute(Validation::nickKey(nick), minutes);
    qCInfo(lcRoom).noquote() << from.nick << "muted" << nick << "for" << minutes << "minutes";
    const QDateTime now = Timestamp::now();
    publish(Muted{nick, from.nick, minutes, now.addSecs(minutes * 60), now});
}

void Room::unmute(const Requester &from, const Unmute &unmute)
{
    if (!checkOperator(from, u"unmute"_s))
        return;
    const std::optional<Wire::ConnectionId> targetId = findMember(from, unmute.nick, u"unmute"_s);
    if (!targetId)
        return;
    const QString nick = m_members.value(*targetId).nick;
    m_moderation.unmute(Validation::nickKey(nick));
    qCInfo(lcRoom).noquote() << from.nick << "unmuted" << nick;
    publish(Unmuted{nick, from.nick, Timestamp::now()});
}

void Room::slow(const Requester &from, const Slow &slow)
{
    if (!checkOperator(from, u"slow"_s))
        return;
    if (slow.seconds > kMaxSlowSeconds) {
        reply(from, Error{ErrorCode::BadFrame, u"slow mode allows at most %1 seconds"_s.arg(kMaxSlowSeconds),
                          u"slow"_s});
        return;
    }
    m_moderation.setSlowSeconds(slow.seconds);
    qCInfo(lcRoom).noquote() << from.nick << "set slow mode to" << slow.seconds << "s";
    publish(SlowMode{slow.seconds, from.nick, Timestamp::now()});
}
