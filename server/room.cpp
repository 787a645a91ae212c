// SPDX-License-Identifier: MIT
#include "room.h"

#include "cluster.h"
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
// Guest nicknames tried when others' instances take them at the same moment.
constexpr int kGuestAttempts = 20;

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
    if (!m_config.redis)
        return;
    m_cluster = new Cluster(*m_config.redis, m_config.clusterHeartbeatMsecs, [this] { return localUsers(); }, this);
    connect(m_cluster, &Cluster::entriesArrived, this, &Room::applyShared);
    connect(m_cluster, &Cluster::nicknamesLost, this, &Room::dropLostNicknames);
}

Room::~Room() = default;

std::optional<QString> Room::start()
{
    if (!m_cluster)
        return std::nullopt;
    const int capacity = MemoryMessageLog::capacityFor(m_config.history);
    auto joined = m_cluster->join(capacity);
    if (const auto *error = std::get_if<QString>(&joined))
        return *error;
    const Cluster::Snapshot &snapshot = std::get<Cluster::Snapshot>(joined);
    for (const auto &[key, nick] : snapshot.roster)
        m_roster.add(key, nick);
    for (const QString &key : snapshot.ops)
        m_roster.setOp(key);
    m_moderation.setSlowSeconds(snapshot.slowSeconds);
    m_recent = std::make_unique<MemoryMessageLog>(capacity);
    // The messages up to the snapshot; those after it come from the stream.
    for (const ChatMessage &message : snapshot.recent)
        m_recent->insert(message);
    m_recent->continueFrom(snapshot.newestMessageId + 1);
    m_cluster->follow(snapshot.lastEntryId);
    return std::nullopt;
}

void Room::stop()
{
    if (!m_cluster)
        return;
    for (auto it = m_members.cbegin(); it != m_members.cend(); ++it)
        m_cluster->release(Validation::nickKey(it->nick), Left{it->nick, LeaveReason::Shutdown, Timestamp::now()});
    m_cluster->leaveCluster();
}

void Room::handle(Wire::ConnectionId id, Worker *worker, Wire::Mode mode, const Wire::Request &request)
{
    const auto member = m_members.constFind(id);
    Requester from{id, worker, mode, member == m_members.cend() ? QString() : member->nick};
    // A text-mode user joins as a guest with their first line, whatever it
    // is: a message, a command, even one that is only answered locally.
    if (from.nick.isEmpty() && mode == Wire::Mode::Text) {
        from.nick = admitGuest(from);
        if (from.nick.isEmpty())
            return;
    }

    if (const auto *error = std::get_if<Error>(&request.body)) {
        reply(from, *error);
        return;
    }
    if (const auto *lines = std::get_if<QStringList>(&request.body)) {
        if (mode == Wire::Mode::Text)
            deliver(id, worker, Wire::textLines(*lines));
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
    const std::optional<QString> nick = checkNickFor(from, hello.nick, u"hello"_s);
    if (!nick)
        return;
    switch (admit(from, *nick, hello.since)) {
    case Admission::Admitted:
        return;
    case Admission::Taken:
        reply(from, Error{ErrorCode::NickTaken, u"the nickname %1 is taken"_s.arg(*nick), u"hello"_s});
        return;
    case Admission::Unavailable:
        replyUnavailable(from, u"hello"_s);
        return;
    }
}

Room::Admission Room::admit(const Requester &from, const QString &nick, std::optional<qint64> since)
{
    const QString key = Validation::nickKey(nick);
    if (m_cluster) {
        // The claim is the decision; the welcome waits for the `joined`
        // entry, so the history is what came before it and nothing after
        // it is missed.
        const Cluster::Claim claim = m_cluster->claimNick(key, nick, from.id);
        if (claim != Cluster::Claim::Granted)
            return claim == Cluster::Claim::Taken ? Admission::Taken : Admission::Unavailable;
    }
    m_members.insert(from.id, Member{nick, from.worker, from.mode, m_cluster != nullptr, since, {}});
    m_idByKey.insert(key, from.id);
    if (from.mode == Wire::Mode::Text)
        ++m_textMembers;
    qCInfo(lcRoom).noquote() << "connection" << from.id << "joined as" << nick;
    if (m_cluster)
        return Admission::Admitted;

    reply(Requester{from.id, from.worker, from.mode, nick}, welcomeFor(nick, since));
    setMember(from.worker, from.id, true);
    publish(Joined{nick, Timestamp::now()}, from.id);
    return Admission::Admitted;
}

QString Room::admitGuest(const Requester &from)
{
    int after = 0;
    for (int attempt = 0; attempt < kGuestAttempts; ++attempt) {
        const QString nick = freeGuestNick(after);
        switch (admit(from, nick)) {
        case Admission::Admitted:
            return nick;
        case Admission::Taken: // by another instance a moment ago: the next number
            after = nick.mid(kGuestPrefix.size()).toInt();
            continue;
        case Admission::Unavailable:
            replyUnavailable(from, {});
            return {};
        }
    }
    reply(from, Error{ErrorCode::NickTaken, u"no guest nickname is free; try again"_s, {}});
    return {};
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
    if (!since || *since >= history().nextId()) {
        welcome.history = history().last(m_config.history);
        return welcome;
    }
    MessageLog::Page page = history().after(*since, kMaxResumeMessages);
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
    if (m_cluster && !m_cluster->ensureReady()) {
        replyUnavailable(from, u"say"_s);
        return;
    }
    const MessageLog::Appended stored =
        m_log->append(ChatMessage{0, from.nick, text.text, Timestamp::now(), say.action});
    if (m_cluster && std::holds_alternative<QString>(stored)) {
        replyUnavailable(from, u"say"_s);
        return;
    }
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
    if (!m_cluster) // a shared room's message is sent when it is read back
        publish(message);
}

void Room::whisper(const Requester &from, const Whisper &whisper)
{
    // Muted users cannot whisper either; slow mode is about the room, whispers are not.
    if (!mayPost(from, u"whisper"_s, false))
        return;
    if (m_cluster) {
        const std::optional<std::pair<QString, QString>> to = findUser(from, whisper.to, u"whisper"_s);
        if (!to)
            return;
        const Validation::TextResult text = Validation::checkText(whisper.text);
        if (!text.isValid()) {
            reply(from, Error{ErrorCode::TextInvalid, Validation::describe(text), u"whisper"_s});
            return;
        }
        const WhisperMessage frame{from.nick, to->second, text.text, Timestamp::now()};
        switch (m_cluster->sendTo(to->first, RoomStream::Kind::Whisper, frame, from.id)) {
        case Cluster::Claim::Granted:
            return;
        case Cluster::Claim::Taken: // gone since the roster said so
            reply(from, Error{ErrorCode::NoSuchUser, u"no user named %1"_s.arg(whisper.to), u"whisper"_s});
            return;
        case Cluster::Claim::Unavailable:
            replyUnavailable(from, u"whisper"_s);
            return;
        }
    }
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
    if (m_cluster) {
        const Renamed renamed{from.nick, *nick, Timestamp::now()};
        switch (m_cluster->rename(Validation::nickKey(from.nick), Validation::nickKey(*nick), renamed)) {
        case Cluster::Claim::Granted:
            break;
        case Cluster::Claim::Taken:
            reply(from, Error{ErrorCode::NickTaken, u"the nickname %1 is taken"_s.arg(*nick), u"nick"_s});
            return;
        case Cluster::Claim::Unavailable:
            replyUnavailable(from, u"nick"_s);
            return;
        }
        // Here at once (later requests speak as the new nick); the roster,
        // mutes and the broadcast follow the stream.
        m_idByKey.remove(Validation::nickKey(from.nick));
        m_idByKey.insert(Validation::nickKey(*nick), from.id);
        m_members[from.id].nick = *nick;
        qCInfo(lcRoom).noquote() << from.nick << "is now" << *nick;
        return;
    }
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
    const Left left{nick, reason, Timestamp::now(), message.left(kMaxTextLength), by};
    if (!m_cluster) {
        publish(left);
        return;
    }
    // When Redis is away, the resync after the reconnect releases the
    // nickname (and says the user left).
    if (!m_cluster->release(Validation::nickKey(nick), left))
        qCInfo(lcRoom).noquote() << "the shared room will hear that" << nick << "left once Redis is back";
}

QStringList Room::users() const
{
    if (m_cluster)
        return m_roster.users();
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
    if (m_cluster)
        return m_roster.operators();
    QStringList ops = users();
    ops.removeIf([this](const QString &nick) { return !m_moderation.isOp(m_idByKey.value(Validation::nickKey(nick))); });
    return ops;
}

QString Room::freeGuestNick(int after) const
{
    for (int n = after + 1;; ++n) {
        const QString nick = kGuestPrefix + QString::number(n);
        if (!m_idByKey.contains(nick) && !m_roster.contains(nick))
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
    const bool takenHere = holder != m_idByKey.cend() && *holder != from.id;
    // A shared room's roster knows the other instances' users (the claim in
    // Redis decides a race; this saves the round trip).
    const bool takenElsewhere = m_cluster && m_roster.contains(Validation::nickKey(checked.nick))
        && Validation::nickKey(checked.nick) != Validation::nickKey(from.nick);
    if (takenHere || takenElsewhere) {
        reply(from, Error{ErrorCode::NickTaken, u"the nickname %1 is taken"_s.arg(checked.nick), ref});
        return std::nullopt;
    }
    return checked.nick;
}

void Room::reply(const Requester &to, const ServerFrame &frame)
{
    deliver(to.id, to.worker, Wire::encode(to.mode, frame, to.nick));
}

void Room::deliver(Wire::ConnectionId id, Worker *worker, const QByteArray &bytes)
{
    if (m_cluster) {
        const auto member = m_members.find(id);
        if (member != m_members.end() && member->awaitingWelcome) {
            member->held.append(bytes);
            return;
        }
    }
    send(worker, id, bytes);
}

void Room::replyUnavailable(const Requester &to, const QString &ref)
{
    reply(to, Error{ErrorCode::ClusterUnavailable,
                    u"this server cannot reach the shared room (Redis) right now, so that was not done; "
                    u"try again in a moment"_s,
                    ref});
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
        if (!m_cluster)
            publish(Opped{from.nick, Timestamp::now()});
        else if (!m_cluster->share(Opped{from.nick, Timestamp::now()}))
            replyUnavailable(from, u"op"_s); // an operator here all the same; listed once Redis is back
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

std::optional<std::pair<QString, QString>> Room::findUser(const Requester &from, const QString &nick,
                                                          const QString &ref)
{
    const QString key = Validation::nickKey(nick);
    if (m_cluster ? !m_roster.contains(key) : !m_idByKey.contains(key)) {
        reply(from, Error{ErrorCode::NoSuchUser, u"no user named %1"_s.arg(nick), ref});
        return std::nullopt;
    }
    return std::pair{key, m_cluster ? m_roster.nick(key) : m_members.value(m_idByKey.value(key)).nick};
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
    const std::optional<std::pair<QString, QString>> target = findUser(from, kick.nick, u"kick"_s);
    if (!target)
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
    const ServerBye bye{leaveReasonName(LeaveReason::Kicked), from.nick, reason};
    qCInfo(lcRoom).noquote() << from.nick << "kicked" << target->second << (reason.isEmpty() ? QString() : reason);
    if (!m_cluster) {
        kickHere(m_idByKey.value(target->first), bye);
        return;
    }
    // The target's instance carries it out when it reads the entry.
    switch (m_cluster->sendTo(target->first, RoomStream::Kind::Kick, bye, from.id)) {
    case Cluster::Claim::Granted:
        return;
    case Cluster::Claim::Taken:
        reply(from, Error{ErrorCode::NoSuchUser, u"no user named %1"_s.arg(kick.nick), u"kick"_s});
        return;
    case Cluster::Claim::Unavailable:
        replyUnavailable(from, u"kick"_s);
        return;
    }
}

void Room::kickHere(Wire::ConnectionId id, const ServerBye &bye)
{
    const auto target = m_members.constFind(id);
    if (target == m_members.cend())
        return;
    const Member member = *target;
    removeMember(id, LeaveReason::Kicked, bye.message, bye.by);
    closeAfter(member.worker, id, Wire::encode(member.mode, bye, member.nick));
}

void Room::mute(const Requester &from, const Mute &mute)
{
    if (!checkOperator(from, u"mute"_s))
        return;
    const std::optional<std::pair<QString, QString>> target = findUser(from, mute.nick, u"mute"_s);
    if (!target)
        return;
    const qint64 minutes = mute.minutes.value_or(kDefaultMuteMinutes);
    if (minutes > kMaxMuteMinutes) {
        reply(from, Error{ErrorCode::BadFrame, u"a mute lasts at most %1 minutes"_s.arg(kMaxMuteMinutes), u"mute"_s});
        return;
    }
    const QString nick = target->second;
    if (minutes == 0) {
        unmute(from, Unmute{nick});
        return;
    }
    qCInfo(lcRoom).noquote() << from.nick << "muted" << nick << "for" << minutes << "minutes";
    const QDateTime now = Timestamp::now();
    announce(from, Muted{nick, from.nick, minutes, now.addSecs(minutes * 60), now}, u"mute"_s);
}

void Room::unmute(const Requester &from, const Unmute &unmute)
{
    if (!checkOperator(from, u"unmute"_s))
        return;
    const std::optional<std::pair<QString, QString>> target = findUser(from, unmute.nick, u"unmute"_s);
    if (!target)
        return;
    qCInfo(lcRoom).noquote() << from.nick << "unmuted" << target->second;
    announce(from, Unmuted{target->second, from.nick, Timestamp::now()}, u"unmute"_s);
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
    qCInfo(lcRoom).noquote() << from.nick << "set slow mode to" << slow.seconds << "s";
    announce(from, SlowMode{slow.seconds, from.nick, Timestamp::now()}, u"slow"_s);
}

void Room::announce(const Requester &from, const ServerFrame &frame, const QString &ref)
{
    if (!m_cluster) {
        applyModeration(frame);
        publish(frame);
        return;
    }
    // Every instance applies it when it reads it back (applyEvent).
    if (!m_cluster->share(frame))
        replyUnavailable(from, ref);
}

void Room::applyModeration(const ServerFrame &frame)
{
    if (const auto *muted = std::get_if<Muted>(&frame))
        m_moderation.mute(Validation::nickKey(muted->nick), muted->minutes);
    else if (const auto *unmuted = std::get_if<Unmuted>(&frame))
        m_moderation.unmute(Validation::nickKey(unmuted->nick));
    else if (const auto *slowMode = std::get_if<SlowMode>(&frame))
        m_moderation.setSlowSeconds(slowMode->seconds);
}

// ---- the shared room (--redis) ----

QList<std::pair<QString, QString>> Room::localUsers() const
{
    QList<std::pair<QString, QString>> users;
    users.reserve(m_members.size());
    for (const Member &member : m_members)
        users.append({Validation::nickKey(member.nick), member.nick});
    return users;
}

void Room::applyShared(const QList<RoomStream::Entry> &entries)
{
    for (const RoomStream::Entry &entry : entries) {
        switch (entry.kind) {
        case RoomStream::Kind::Message: {
            const auto &message = std::get<ChatMessage>(entry.frame);
            if (message.id < m_recent->nextId())
                break; // already read (the start-up snapshot)
            m_recent->insert(message);
            publish(message);
            break;
        }
        case RoomStream::Kind::Whisper:
            applyWhisper(entry);
            break;
        case RoomStream::Kind::Kick:
            if (const auto *bye = std::get_if<ServerBye>(&entry.frame); bye && m_idByKey.contains(entry.target))
                kickHere(m_idByKey.value(entry.target), *bye);
            break;
        case RoomStream::Kind::Event:
            applyEvent(entry);
            break;
        }
    }
}

void Room::applyEvent(const RoomStream::Entry &entry)
{
    const ServerFrame &frame = entry.frame;
    Wire::ConnectionId except = 0;
    if (const auto *joined = std::get_if<Joined>(&frame)) {
        m_roster.add(Validation::nickKey(joined->nick), joined->nick);
        const auto member = m_members.constFind(entry.connection);
        if (entry.instance == m_cluster->instanceId() && member != m_members.cend() && member->awaitingWelcome) {
            sendWelcome(entry.connection);
            except = entry.connection;
        }
    } else if (const auto *left = std::get_if<Left>(&frame)) {
        m_roster.remove(Validation::nickKey(left->nick));
    } else if (const auto *renamed = std::get_if<Renamed>(&frame)) {
        m_roster.rename(Validation::nickKey(renamed->from), Validation::nickKey(renamed->to), renamed->to);
        m_moderation.renamed(Validation::nickKey(renamed->from), Validation::nickKey(renamed->to));
    } else if (const auto *opped = std::get_if<Opped>(&frame)) {
        m_roster.setOp(Validation::nickKey(opped->nick));
    } else {
        applyModeration(frame);
    }
    publish(frame, except);
}

void Room::sendWelcome(Wire::ConnectionId id)
{
    Member &member = m_members[id];
    member.awaitingWelcome = false;
    send(member.worker, id, Wire::encode(member.mode, welcomeFor(member.nick, member.since), member.nick));
    for (const QByteArray &bytes : std::as_const(member.held))
        send(member.worker, id, bytes);
    member.held.clear();
    setMember(member.worker, id, true);
}

void Room::applyWhisper(const RoomStream::Entry &entry)
{
    const auto *whisper = std::get_if<WhisperMessage>(&entry.frame);
    if (!whisper)
        return;
    const Wire::ConnectionId recipient = m_idByKey.value(entry.target);
    if (recipient != 0) {
        const Member &member = m_members[recipient];
        deliver(recipient, member.worker, Wire::encode(member.mode, *whisper, member.nick));
    }
    // The sender's copy, from the stream too: it shows the whisper went out.
    if (entry.instance != m_cluster->instanceId() || entry.connection == recipient)
        return;
    const auto sender = m_members.constFind(entry.connection);
    if (sender != m_members.cend())
        deliver(entry.connection, sender->worker, Wire::encode(sender->mode, *whisper, sender->nick));
}

void Room::dropLostNicknames(const QStringList &keys)
{
    for (const QString &key : keys) {
        const Wire::ConnectionId id = m_idByKey.value(key);
        if (id == 0)
            continue;
        const Member member = m_members.value(id);
        qCWarning(lcRoom).noquote() << member.nick << "lost the nickname to another instance while Redis was away";
        removeMember(id, LeaveReason::Disconnected, {});
        closeAfter(member.worker, id,
                   Wire::encode(member.mode,
                                Error{ErrorCode::NickTaken,
                                      u"while this server could not reach the others, someone else took the "
                                      u"nickname %1; connect again with another one"_s.arg(member.nick),
                                      {}},
                                member.nick));
    }
}
